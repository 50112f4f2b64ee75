import { createRequire } from 'node:module';
import type { Alias, Document, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { isObject } from '../core/objects.ts';
import type { JsonObject, JsonPath, JsonValue, Position, Range } from '../core/types.ts';
import { ALIAS_FREE_COUNT, allowedAliasRatio, expansionBudget } from './fast-load.ts';
import { GoFloat, GoProblem, type GoScalar, goScalarToJson, resolvePlain, resolveTagged } from './go-yaml-scalars.ts';

// Phase two of parsing, and its fallback: the `yaml` package's documents, which know where every node is written.
// They are built only when something needs a position (a finding's locate()), or when js-yaml refused a file or a
// document, to report each problem where it is. Values are converted here with the same go-yaml scalar rules as
// the fast path, so both paths give the same objects.

const ALIAS_RATIO_MIN_DECODES = 1000;

// `yaml` takes ~40 ms to import, more than parsing a pre-commit's worth of files with js-yaml: load it on first use.
// (It is CommonJS under Node, so require() gives the same instance an `import` elsewhere would.)
type YamlLib = typeof import('yaml');
let lib: YamlLib | undefined;
const yaml = (): YamlLib => (lib ??= createRequire(import.meta.url)('yaml') as YamlLib);
const isAlias = (n: unknown): n is Alias => yaml().isAlias(n);
const isMap = (n: unknown): n is YAMLMap => yaml().isMap(n);
const isSeq = (n: unknown): n is YAMLSeq => yaml().isSeq(n);
const isPair = (n: unknown): n is Pair => yaml().isPair(n);
const isScalar = (n: unknown): n is Scalar => yaml().isScalar(n);

export const DUPLICATE_KEY_MESSAGE = 'duplicate mapping key: Kubernetes rejects (or silently overwrites) repeated keys';

/** How many files `yaml` has parsed: tests check that files without findings never pay for it. */
export const yamlStats = { files: 0 };

export interface YamlFile {
  docs: Document.Parsed[];
  pos(offset: number): Position;
}

/** Every document of a file with positions, parsed as before the two-phase split (YAML 1.1 syntax, no key check here). */
export function parseYamlFile(text: string): YamlFile {
  yamlStats.files++;
  const { LineCounter, parseAllDocuments } = yaml();
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, {
    version: '1.1',
    lineCounter,
    // Duplicate keys are found in convertMap with a Set: yaml's own check compares every key with every earlier one,
    // which made a 40,000-key ConfigMap take seconds.
    uniqueKeys: false,
    prettyErrors: false,
    logLevel: 'error',
  });
  const pos = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  // An EmptyStream (not an array): nothing but comments or whitespace.
  return { docs: Array.isArray(parsed) ? parsed : [], pos };
}

/** Where a document's content starts, as Manifest.position reports it. */
export function contentStartOf(doc: Document.Parsed): number {
  return doc.contents?.range?.[0] ?? doc.range[0];
}

export function syntaxMessage(code: string, message: string): string {
  // yaml's messages end with a source excerpt after "at line N, column M:"; our findings carry the position already.
  const first = message.split(/ at line \d+, column \d+/)[0] ?? message;
  if (code === 'DUPLICATE_KEY') return DUPLICATE_KEY_MESSAGE;
  return first.trim();
}

/** A document's value, or the problems that keep it from being one, each at the offset of the node at fault. */
export type DocumentValue = { ok: true; value: JsonValue } | { ok: false; errors: { offset: number; message: string }[] };

/** Convert one parsed document to JSON as Kubernetes would, or say why not. Empty documents give null. */
export function documentValue(doc: Document.Parsed, links: AliasLinks = linkAliases(doc), budget: number = expansionBudget(0)): DocumentValue {
  if (doc.errors.length > 0) return { ok: false, errors: doc.errors.map((e) => ({ offset: e.pos[0], message: syntaxMessage(e.code, e.message) })) };
  const converted = toJsonDocument(doc, links, budget);
  if (converted.ok) return converted;
  const fallback = contentStartOf(doc);
  return { ok: false, errors: converted.errors.map((e) => ({ offset: rangeOf(e.node)?.[0] ?? fallback, message: e.message })) };
}

/** Position of the value (or key) at a path, following aliases and merge keys; a missing path gives its nearest ancestor's key. */
export function locateInDocument(doc: Document.Parsed, links: AliasLinks, path: JsonPath, target: 'key' | 'value', pos: (offset: number) => Position): Range {
  return locateIn(doc, links, path, target, pos);
}

function rangeOf(node: unknown): readonly [number, number, number] | undefined {
  return typeof node === 'object' && node !== null && 'range' in node ? ((node as Node).range ?? undefined) : undefined;
}

// ---------------------------------------------------------------------------------------------------------------------
// YAML AST → JSON, as Kubernetes converts YAML (sigs.k8s.io/yaml over go-yaml v2), in time linear in what it produces.
//
// Converting the AST ourselves rather than with yaml's toJS() fixes three problems:
//  - yaml resolves every alias by scanning all earlier anchors and aliases, so n aliases cost O(n²): a 700 KB file with
//    20,000 anchors took 20 s;
//  - its alias limit (count × nested aliases > 100) refused ordinary files that use one anchor 101 times, which
//    Kubernetes accepts;
//  - its duplicate-key check compares each key with every earlier one (disabled above, done here with a Set).
// Alias expansion is bounded with go-yaml v2's own rule, so we refuse exactly the alias bombs Kubernetes refuses.

/** Each alias → the node its anchor names (the last one defined before the alias), found in one pass in document order. */
export type AliasLinks = Map<Alias, Node>;

export function linkAliases(doc: Document.Parsed): AliasLinks {
  const anchors = new Map<string, Node>();
  const links: AliasLinks = new Map();
  const visit = (n: unknown): void => {
    if (isAlias(n)) {
      const target = anchors.get(n.source);
      if (target) links.set(n, target);
      return;
    }
    if ((isScalar(n) || isMap(n) || isSeq(n)) && n.anchor) anchors.set(n.anchor, n);
    if (isMap(n) || isSeq(n)) {
      for (const item of n.items as unknown[]) {
        if (isPair(item)) {
          visit(item.key);
          visit(item.value);
        } else visit(item);
      }
    }
  };
  visit(doc.contents);
  return links;
}

class ConvertError extends Error {
  readonly node: unknown;
  constructor(message: string, node: unknown) {
    super(message);
    this.node = node;
  }
}

interface ConvertState {
  links: AliasLinks;
  decodeCount: number;
  aliasCount: number;
  /** Aliases being expanded, outermost first: the outermost is in the text the user wrote at that spot. */
  aliasStack: Alias[];
  expanding: Set<Node>;
  duplicates: ConvertError[];
  /** Values allowed in all, aliases expanded (bounds time and memory whatever the ratio). */
  budget: number;
}

type Converted = { ok: true; value: JsonValue } | { ok: false; errors: ConvertError[] };

function toJsonDocument(doc: Document.Parsed, links: AliasLinks, budget: number): Converted {
  const st: ConvertState = { links, decodeCount: 0, aliasCount: 0, aliasStack: [], expanding: new Set(), duplicates: [], budget };
  try {
    const value = convertNode(doc.contents, st);
    return st.duplicates.length > 0 ? { ok: false, errors: st.duplicates } : { ok: true, value };
  } catch (err) {
    if (err instanceof ConvertError) return { ok: false, errors: [...st.duplicates, err] };
    if (err instanceof RangeError) return { ok: false, errors: [new ConvertError('the document nests too deeply to convert to JSON', doc.contents)] };
    throw err;
  }
}

function convertNode(node: unknown, st: ConvertState): JsonValue {
  st.decodeCount++;
  if (st.aliasStack.length > 0) {
    st.aliasCount++;
    if (st.aliasCount > ALIAS_FREE_COUNT && st.decodeCount > ALIAS_RATIO_MIN_DECODES && st.aliasCount / st.decodeCount > allowedAliasRatio(st.decodeCount)) {
      throw new ConvertError(
        `too many alias expansions (${st.aliasCount} of ${st.decodeCount} values come from aliases); refusing a possible alias bomb, as Kubernetes does`,
        st.aliasStack[0],
      );
    }
    if (st.decodeCount > st.budget) {
      throw new ConvertError(`too many values after alias expansion (over ${st.budget}); refusing a possible alias bomb`, st.aliasStack[0]);
    }
  }
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return convertAlias(node, st);
  if (isScalar(node)) return scalarToJson(node);
  if (isMap(node)) return convertMap(node.items as unknown[], st);
  if (isSeq(node)) {
    const out: JsonValue[] = [];
    // !!omap and !!pairs hold pairs directly in a sequence; go-yaml reads each as a one-key mapping.
    for (const item of node.items as unknown[]) out.push(isPair(item) ? convertMap([item], st) : convertNode(item, st));
    return out;
  }
  throw new ConvertError('unsupported YAML node', node);
}

function convertAlias(node: Alias, st: ConvertState): JsonValue {
  const target = st.links.get(node);
  if (target === undefined) throw new ConvertError(`alias *${node.source} refers to no anchor defined before it`, node);
  if (st.expanding.has(target)) throw new ConvertError(`anchor &${node.source} contains an alias to itself`, node);
  st.expanding.add(target);
  st.aliasStack.push(node);
  try {
    return convertNode(target, st);
  } finally {
    st.aliasStack.pop();
    st.expanding.delete(target);
  }
}

/** A plain, untagged `<<` key (or one tagged !!merge): go-yaml's merge key. A quoted "<<" or `!!str <<` is a key like any other. */
function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  if (key.tag !== undefined) return key.tag === 'tag:yaml.org,2002:merge';
  return key.type === 'PLAIN' && key.source === '<<';
}

/** A scalar node's value as go-yaml resolves it: from its source text, its style and its explicit tag. */
export function goScalarOf(node: Scalar): GoScalar | GoProblem {
  const source = typeof node.source === 'string' ? node.source : String(node.value ?? '');
  const tag = node.tag;
  if (tag !== undefined) return tag === '!' ? source : resolveTagged(tag, source);
  return node.type === 'PLAIN' || node.type === undefined ? resolvePlain(source) : source;
}

function convertMap(items: unknown[], st: ConvertState): JsonObject {
  const out: JsonObject = {};
  const explicit = new Set<string>();
  for (const item of items) {
    if (!isPair(item)) continue;
    if (isMergeKey(item.key)) {
      mergeInto(out, item.value, st);
      continue;
    }
    const key = keyToString(item.key, st.links);
    if (explicit.has(key)) st.duplicates.push(new ConvertError(DUPLICATE_KEY_MESSAGE, item.key));
    explicit.add(key);
    setKey(out, key, convertNode(item.value, st));
  }
  return out;
}

/** `<<: *base` or `<<: [*a, *b]`: copy keys the mapping does not set itself; earlier sources win (YAML merge key spec). */
function mergeInto(out: JsonObject, value: unknown, st: ConvertState): void {
  const sources: unknown[] = isSeq(value) ? (value.items as unknown[]) : [value];
  for (const source of sources) {
    const target = isAlias(source) ? st.links.get(source) : source;
    if (!isMap(target)) throw new ConvertError('a merge key (<<) needs a mapping, an alias of one, or a sequence of them', source ?? value);
    const merged = convertNode(source, st);
    if (!isObject(merged)) continue;
    for (const [k, v] of Object.entries(merged)) if (!Object.hasOwn(out, k)) setKey(out, k, v);
  }
}

function setKey(out: JsonObject, key: string, value: JsonValue): void {
  // A "__proto__" key is data in JSON; plain assignment would set the object's prototype instead.
  if (key === '__proto__') Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  else out[key] = value;
}

/** Mapping keys as sigs.k8s.io/yaml writes them into JSON: booleans and numbers become their text; other keys are refused. */
function keyToString(keyNode: unknown, links: AliasLinks): string {
  const key = keyText(keyNode, links);
  if (typeof key === 'string') return key;
  throw new ConvertError(key.error, keyNode);
}

function keyText(keyNode: unknown, links: AliasLinks): string | { error: string } {
  const node = isAlias(keyNode) ? links.get(keyNode) : keyNode;
  if (isScalar(node)) {
    const v = goScalarOf(node);
    if (v instanceof GoProblem) return { error: v.message };
    if (v === null) return { error: 'a null mapping key cannot be converted to JSON; Kubernetes rejects it' };
    // Numbers and booleans become their text as sigs.k8s.io/yaml writes them (a float as Go's %g of a float32).
    return String(v);
  }
  return { error: 'a mapping key must be a string, number or boolean to convert to JSON; Kubernetes rejects this one' };
}

function scalarToJson(node: Scalar): JsonValue {
  const v = goScalarOf(node);
  if (v instanceof GoProblem) throw new ConvertError(v.message, node);
  if (v instanceof GoFloat && !Number.isFinite(v.value)) throw new ConvertError(`${v.source} (${String(v.value)}) cannot be represented in JSON; Kubernetes rejects it`, node);
  return goScalarToJson(v);
}

interface Located {
  node: Node | null;
  pair: Pair | null;
}

function resolveAlias(links: AliasLinks, node: unknown): unknown {
  return isAlias(node) ? (links.get(node) ?? null) : node;
}

function findPair(links: AliasLinks, map: unknown, key: string, depth = 0): Pair | null {
  if (!isMap(map) || depth > 16) return null;
  const merges: unknown[] = [];
  // Explicit keys win over merged ones, and earlier merge sources over later ones, as in convertMap.
  for (const item of map.items) {
    if (!isPair(item)) continue;
    if (isMergeKey(item.key)) {
      if (isSeq(item.value)) merges.push(...(item.value.items as unknown[]));
      else merges.push(item.value);
      continue;
    }
    if (keyText(item.key, links) === key) return item as Pair;
  }
  for (const m of merges) {
    const found = findPair(links, resolveAlias(links, m), key, depth + 1);
    if (found) return found;
  }
  return null;
}

function walk(links: AliasLinks, doc: Document.Parsed, path: JsonPath): Located[] {
  const trail: Located[] = [{ node: doc.contents as Node | null, pair: null }];
  let current: unknown = resolveAlias(links, doc.contents);
  for (const seg of path) {
    if (typeof seg === 'number' && isSeq(current)) {
      const item = current.items[seg];
      if (item === undefined) break;
      trail.push({ node: item as Node, pair: null });
      current = resolveAlias(links, item);
    } else if (isMap(current)) {
      const pair = findPair(links, current, String(seg));
      if (!pair) break;
      trail.push({ node: (pair.value ?? null) as Node | null, pair });
      current = resolveAlias(links, pair.value);
    } else {
      break;
    }
  }
  return trail;
}

function locateIn(doc: Document.Parsed, links: AliasLinks, path: JsonPath, target: 'key' | 'value', pos: (offset: number) => Position): Range {
  const trail = walk(links, doc, path);
  const found = trail.length === path.length + 1;
  const last = trail[trail.length - 1] ?? { node: null, pair: null };
  // For a missing path, point at the key of the deepest ancestor that exists: that is where the user must add it.
  const wantKey = target === 'key' || !found;
  const keyNode = last.pair && isScalar(last.pair.key) ? last.pair.key : null;
  const node = wantKey && keyNode ? keyNode : (last.node ?? keyNode);
  const range = (node as Node | null)?.range ?? doc.contents?.range ?? doc.range;
  return { start: pos(range[0]), end: pos(range[1]) };
}
