import { loadAll, type LoadOptions } from 'js-yaml';
import type { JsonObject, JsonValue } from '../core/types.ts';
import { constructed, GO_YAML_SCHEMA } from './go-yaml-schema.ts';
import { GoBigInt, GoFloat, GoProblem } from './go-yaml-scalars.ts';
import { quickLoad } from './quick-load.ts';
import { type LiftedText, liftBlockScalars, originalOffset, placeholder, placeholderIndex } from './block-scalars.ts';

// Phase one of parsing: every document's value, read with go-yaml v2's scalar rules, ~10× faster than the `yaml`
// package. No positions are kept beyond where each document's content starts; `yaml` builds those later, and only for
// files whose findings need them. Three readers, fastest first, each giving exactly what the next would: the line
// reader for the common shapes of YAML (quick-load.ts, which takes every file of the benchmark corpus); js-yaml with
// large literal block scalars read outside it (block-scalars.ts); js-yaml on the text as it is.
//
// A document is handed back as `refused` (to be re-read by the slower `yaml` path, which reports each problem with
// its position, exactly as before) when it holds something Kubernetes would refuse: a null or collection mapping key,
// a value JSON cannot hold (.inf, .nan), a scalar go-yaml cannot decode (`!!int abc`), an anchor that contains
// itself, or alias expansion past go-yaml v2's limits (measured while parsing, without expanding anything).

/** go-yaml v2 decode.go: below this many alias-expanded values nothing is refused. */
export const ALIAS_FREE_COUNT = 100;
const ALIAS_RATIO_MIN_DECODES = 1000;
const ALIAS_RATIO_RANGE_LOW = 400_000;
const ALIAS_RATIO_RANGE_HIGH = 4_000_000;

/** go-yaml v2's allowedAliasRatio: 99% of decoded values may come from aliases in small documents, 10% in huge ones. */
export function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= ALIAS_RATIO_RANGE_LOW) return 0.99;
  if (decodeCount >= ALIAS_RATIO_RANGE_HIGH) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - ALIAS_RATIO_RANGE_LOW) / (ALIAS_RATIO_RANGE_HIGH - ALIAS_RATIO_RANGE_LOW));
}

/** Past this many values (with aliases expanded) in one document, it is refused whatever the ratio. */
export function expansionBudget(textLength: number): number {
  return Math.max(200_000, 10 * textLength);
}

export type FastDoc =
  | {
      ok: true;
      /** The document's value, as plain JSON with no shared parts (safe to mutate). */
      value: JsonValue;
      /** Offset of the document's content (its first key for a mapping), as `yaml` reports contents.range[0]. */
      contentStart: number;
    }
  | { ok: false; contentStart: number; reason: 'refused' | 'empty' };

export type FastLoad = { ok: true; docs: FastDoc[] } | { ok: false; error: unknown };

/** js-yaml's parser state as the listener sees it (more than @types/js-yaml declares). */
interface ListenerState {
  input: string;
  position: number;
  depth: number;
  kind: string | null;
  tag: string | null;
  anchor: string | null;
  result: unknown;
}

interface DocStats {
  contentStart: number;
  aliases: number;
  refused: boolean;
  boxes: number;
  problems: number;
  decodeCount: number;
  aliasCount: number;
}

export function fastLoad(text: string): FastLoad {
  return quickLoad(text) ?? liftedLoad(text) ?? jsYamlLoad(text);
}

/** js-yaml on the text as it is: the reference the shortcuts are tested against. */
export function jsYamlLoad(text: string): FastLoad {
  return load(text, undefined) as FastLoad;
}

/**
 * The read with large literal block scalars lifted out (block-scalars.ts), or undefined when there are none or js-yaml
 * did not read every placeholder as a whole node where it was put (the text must then be read as it is).
 */
export function liftedLoad(text: string, minLiftedBlock?: number): FastLoad | undefined {
  const lifted = liftBlockScalars(text, minLiftedBlock);
  const out = lifted === undefined ? MISPLACED : load(text, lifted);
  return out === MISPLACED ? undefined : out;
}

const MISPLACED = Symbol('misplaced placeholder');

function load(text: string, lifted: LiftedText | undefined): FastLoad | typeof MISPLACED {
  // js-yaml drops a leading BOM, which would shift every offset it reports by one.
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let consumed = 0;
  let misplaced = false;
  const read: boolean[] = [];
  const budget = expansionBudget(text.length);
  const stats: DocStats[] = [];
  let doc: DocStats = newStats(0);
  /** Sizes of the nodes being read, innermost last: each node's count of values as go-yaml would decode them. */
  const sizes: number[] = [];
  /** Anchored collections → their decoded size, which every alias to them adds again. */
  const weights = new WeakMap<object, number>();

  const listener = (event: 'open' | 'close', st: ListenerState): void => {
    if (event === 'open') {
      if (st.depth === 1) {
        const start = skipProperties(st.input, st.position);
        doc = newStats((lifted ? originalOffset(lifted, start) : start) + bom);
        doc.boxes = constructed.boxes;
        doc.problems = constructed.problems;
        stats.push(doc);
        sizes.length = 0;
      }
      sizes.push(1);
      doc.decodeCount++;
      return;
    }
    if (lifted && typeof st.result === 'string' && st.result.charCodeAt(0) === 0xe000) {
      // A placeholder must be read whole, once, where it was put; anything else means the lifting misread the text.
      const i = placeholderIndex(st.result);
      const start = lifted.starts[i];
      if (i >= 0 && start !== undefined && st.position === start + placeholder(i).length && !read[i]) {
        st.result = lifted.values[i];
        read[i] = true;
        consumed++;
      } else misplaced = true;
    }
    const size = sizes.pop() ?? 1;
    const r = st.result;
    let nodeSize = size;
    if (st.kind === null && st.tag === null && st.anchor === null && r !== null) {
      // An alias: go-yaml decodes the anchored value again here.
      doc.aliases++;
      const w = typeof r === 'object' ? (weights.get(r) ?? 1) : 1;
      nodeSize = 1 + w;
      doc.aliasCount += w;
      doc.decodeCount += w;
      if (doc.aliasCount > ALIAS_FREE_COUNT && doc.decodeCount > ALIAS_RATIO_MIN_DECODES && doc.aliasCount / doc.decodeCount > allowedAliasRatio(doc.decodeCount)) {
        doc.refused = true;
      }
    } else if (st.anchor !== null && typeof r === 'object' && r !== null) {
      weights.set(r, size);
    }
    const parent = sizes.length - 1;
    if (parent >= 0) sizes[parent] = (sizes[parent] ?? 0) + nodeSize;
    // A null or a collection used as a mapping key has no JSON form; js-yaml would quietly make it "null" or "a,b".
    if ((r === null || (typeof r === 'object' && !(r instanceof GoFloat) && !(r instanceof GoBigInt) && !(r instanceof GoProblem))) && isKey(st.input, st.position)) {
      doc.refused = true;
    }
    if (st.depth === 1) {
      doc.boxes = constructed.boxes - doc.boxes;
      doc.problems = constructed.problems - doc.problems;
      if (doc.problems > 0 || doc.decodeCount > budget) doc.refused = true;
    }
  };

  let values: unknown[];
  try {
    values = loadAll(lifted ? lifted.text : text, null, {
      schema: GO_YAML_SCHEMA,
      listener: listener as unknown as LoadOptions['listener'],
      // Kubernetes' go-yaml allows 10,000 levels; real manifests stay under 30 and deep recursion costs stack.
      maxDepth: 1000,
      // js-yaml's own bound on merge-key copying (per file); the decode accounting above bounds merges per document.
      maxTotalMergeKeys: Math.max(10_000, text.length),
    } as LoadOptions);
  } catch (error) {
    return lifted ? MISPLACED : { ok: false, error };
  }
  if (lifted && (misplaced || consumed !== lifted.values.length)) return MISPLACED;
  if (values.length !== stats.length) return { ok: false, error: new Error(`internal: ${values.length} documents but ${stats.length} roots`) };

  const docs: FastDoc[] = values.map((value, i): FastDoc => {
    const s = stats[i] as DocStats;
    if (value === null || value === undefined || value === '') return { ok: false, contentStart: s.contentStart, reason: 'empty' };
    if (s.refused) return { ok: false, contentStart: s.contentStart, reason: 'refused' };
    if (s.aliases === 0 && s.boxes === 0) return { ok: true, value: value as JsonValue, contentStart: s.contentStart };
    const copied = plainCopy(value, budget);
    return copied === REFUSED ? { ok: false, contentStart: s.contentStart, reason: 'refused' } : { ok: true, value: copied, contentStart: s.contentStart };
  });
  return { ok: true, docs };
}

function newStats(contentStart: number): DocStats {
  return { contentStart, aliases: 0, refused: false, boxes: 0, problems: 0, decodeCount: 0, aliasCount: 0 };
}

/** After a node ends at `pos`: does a `:` follow (past blanks, line breaks and comments), making it a mapping key? */
function isKey(input: string, pos: number): boolean {
  let i = pos;
  for (;;) {
    const c = input.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
    else if (c === 0x23 /* # */ && (i === 0 || isBlank(input.charCodeAt(i - 1)))) {
      while (i < input.length && input.charCodeAt(i) !== 0x0a) i++;
    } else break;
  }
  if (input.charCodeAt(i) !== 0x3a /* : */) return false;
  const next = input.charCodeAt(i + 1);
  return Number.isNaN(next) || next === 0 || isBlank(next) || next === 0x2c || next === 0x5d || next === 0x7d;
}

/**
 * js-yaml opens a document's root node at its properties (`--- !!map &a`); `yaml` reports the content after them.
 * Skip anchors, tags, blanks, line breaks and comments.
 */
function skipProperties(input: string, pos: number): number {
  let i = pos;
  for (;;) {
    const c = input.charCodeAt(i);
    if (c === 0x26 /* & */ || c === 0x21 /* ! */) {
      while (i < input.length && !isBlank(input.charCodeAt(i)) && input.charCodeAt(i) !== 0) i++;
    } else if (isBlank(c)) i++;
    else if (c === 0x23 /* # */) {
      while (i < input.length && input.charCodeAt(i) !== 0x0a) i++;
    } else return i;
  }
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

const REFUSED = Symbol('refused');

/**
 * js-yaml shares one object among an anchor and its aliases (and merged keys), and boxes floats; Kubernetes gets a
 * tree. Copy into plain JSON, bounded by the expansion budget, refusing cycles (`&a [*a]`) and unholdable values.
 */
function plainCopy(root: unknown, budget: number): JsonValue | typeof REFUSED {
  let left = budget;
  const path = new Set<object>();
  const copy = (v: unknown): JsonValue => {
    if (v === null || typeof v !== 'object') return v as JsonValue;
    if (v instanceof GoFloat) {
      if (!Number.isFinite(v.value)) throw REFUSED;
      return v.value;
    }
    if (v instanceof GoBigInt) return Number(v.value);
    if (v instanceof GoProblem) throw REFUSED;
    if (path.has(v)) throw REFUSED;
    if (--left < 0) throw REFUSED;
    path.add(v);
    let out: JsonValue;
    if (Array.isArray(v)) {
      const arr: JsonValue[] = new Array<JsonValue>(v.length);
      for (let i = 0; i < v.length; i++) arr[i] = copy(v[i]);
      out = arr;
    } else {
      const obj: JsonObject = {};
      for (const k of Object.keys(v)) {
        const c = copy((v as Record<string, unknown>)[k]);
        if (k === '__proto__') Object.defineProperty(obj, k, { value: c, writable: true, enumerable: true, configurable: true });
        else obj[k] = c;
      }
      out = obj;
    }
    path.delete(v);
    return out;
  };
  try {
    return copy(root);
  } catch (err) {
    if (err === REFUSED || err instanceof RangeError) return REFUSED;
    throw err;
  }
}
