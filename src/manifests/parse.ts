import { type Alias, type Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseAllDocuments, type Pair, Scalar } from 'yaml';
import { fileFinding } from '../core/findings.ts';
import { getArray, getString, isObject } from '../core/objects.ts';
import type { Finding, JsonObject, JsonPath, JsonValue, Manifest, Position, Range, SourceFile } from '../core/types.ts';

/** Files above this size are refused with a finding rather than parsed: a manifest repo has no business holding them. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;
/**
 * Alias bombs ("billion laughs") are refused with Kubernetes' own rule (go-yaml v2): up to this many values may come from
 * alias expansion freely; past it (and past 1,000 values in all) a document is refused once aliases make up more than
 * 99% of its values (falling to 10% for documents of millions of values). Conversion time is linear in the output.
 */
export const MAX_ALIAS_COUNT = 100;

export interface ParseResult {
  manifests: Manifest[];
  findings: Finding[];
}

export const PARSE_RULES = {
  syntax: 'yaml-syntax',
  encoding: 'file-encoding',
  tooLarge: 'file-too-large',
  notObject: 'not-an-object',
} as const;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parse one file into Kubernetes objects: multi-document YAML (1.1 scalars, as Kubernetes reads them) or JSON; Lists expanded. */
export function parseSource(file: SourceFile, maxBytes: number = MAX_FILE_BYTES): ParseResult {
  const { path, bytes } = file;
  if (bytes.byteLength > maxBytes) return failed(tooLargeFinding(path, bytes.byteLength, maxBytes));
  const decoded = decodeText(path, bytes);
  if (typeof decoded !== 'string') return failed(decoded);
  return parseText(path, decoded);
}

function failed(finding: Finding): ParseResult {
  return { manifests: [], findings: [finding] };
}

/** The finding for a file over the size limit; loaders use it too when they refuse to read such a file at all. */
export function tooLargeFinding(path: string, size: number, maxBytes: number = MAX_FILE_BYTES): Finding {
  return fileFinding(path, 1, 1, PARSE_RULES.tooLarge, `file is ${formatSize(size)}, over the ${formatSize(maxBytes)} limit for one manifest file`);
}

function formatSize(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function decodeText(path: string, bytes: Uint8Array): string | Finding {
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    const at = positionOfByte(bytes, nul);
    return fileFinding(path, at.line, at.column, PARSE_RULES.encoding, 'file looks binary (it contains a NUL byte); expected UTF-8 YAML or JSON');
  }
  try {
    const text = utf8.decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const at = positionOfByte(bytes, bad);
    return fileFinding(path, at.line, at.column, PARSE_RULES.encoding, `file is not valid UTF-8 (byte 0x${(bytes[bad] ?? 0).toString(16).padStart(2, '0')} at offset ${bad}); Kubernetes manifests must be UTF-8`);
  }
}

function positionOfByte(bytes: Uint8Array, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return Math.max(0, bytes.length - 1);
}

// YAML 1.1 as go-yaml v2 (sigs.k8s.io/yaml) reads it: yes/no/on/off/y/n are booleans, 0644 is octal, `<<` merges.
// Timestamps stay strings: go-yaml v2 keeps timestamp-like text as a string when decoding into interface{}, as
// Kubernetes' YAML-to-JSON conversion does. Sexagesimal numbers (`1:20` = 80) are YAML 1.1 but go-yaml never read
// them, so `12:30` stays the string "12:30".
const notInGoYaml = (tags: unknown[]): unknown[] =>
  tags.filter((t) => {
    if (typeof t !== 'object' || t === null) return true;
    const { tag, format } = t as { tag?: unknown; format?: unknown };
    return tag !== 'tag:yaml.org,2002:timestamp' && format !== 'TIME';
  });

export function parseText(path: string, text: string): ParseResult {
  const lineCounter = new LineCounter();
  const manifests: Manifest[] = [];
  const findings: Finding[] = [];
  let docs: Document.Parsed[];
  try {
    const parsed = parseAllDocuments(text, {
      version: '1.1',
      lineCounter,
      // Duplicate keys are found in convertMap with a Set: yaml's own check compares every key with every earlier one,
      // which made a 40,000-key ConfigMap take seconds.
      uniqueKeys: false,
      prettyErrors: false,
      logLevel: 'error',
      customTags: notInGoYaml as never,
    });
    // An EmptyStream (not an array): nothing but comments or whitespace.
    if (!Array.isArray(parsed)) return { manifests, findings };
    docs = parsed;
  } catch (err) {
    return failed(fileFinding(path, 1, 1, PARSE_RULES.syntax, `cannot parse: ${err instanceof Error ? err.message : String(err)}`));
  }
  const pos = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const at = (node: unknown, fallback: number): Position => pos(rangeOf(node)?.[0] ?? fallback);
  let prevEnd = 0;
  docs.forEach((doc, docIndex) => {
    const docStart = prevEnd;
    prevEnd = doc.range[2];
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const p = pos(err.pos[0]);
        findings.push(fileFinding(path, p.line, p.column, PARSE_RULES.syntax, syntaxMessage(err.code, err.message)));
      }
      return;
    }
    if (doc.contents === null || (isScalar(doc.contents) && (doc.contents.value === null || doc.contents.value === ''))) return;
    const links = linkAliases(doc);
    const converted = toJsonDocument(doc, links);
    if (!converted.ok) {
      for (const e of converted.errors) {
        const p = at(e.node, doc.contents.range?.[0] ?? 0);
        findings.push(fileFinding(path, p.line, p.column, PARSE_RULES.syntax, e.message));
      }
      return;
    }
    const start = pos(doc.contents.range?.[0] ?? 0);
    if (!isObject(converted.value)) {
      findings.push(fileFinding(path, start.line, start.column, PARSE_RULES.notObject, `expected a mapping with apiVersion and kind, found ${describeValue(converted.value)}`));
      return;
    }
    const template = helmSource(text, docStart, doc);
    const object = converted.value;
    const locate = (p: JsonPath, target: 'key' | 'value' = 'value'): Range => locateIn(doc, links, p, target, pos);
    const kind = getString(object, 'kind');
    const items = getArray(object, 'items');
    if (kind !== undefined && kind.endsWith('List') && items !== undefined && typeof object.apiVersion === 'string') {
      items.forEach((item, itemIndex) => {
        const itemLocate = (p: JsonPath, target: 'key' | 'value' = 'value'): Range => locate(['items', itemIndex, ...p], target);
        if (!isObject(item)) {
          const r = itemLocate([]);
          findings.push(fileFinding(path, r.start.line, r.start.column, PARSE_RULES.notObject, `${kind} item ${itemIndex} is ${describeValue(item)}, expected an object`));
          return;
        }
        manifests.push(makeManifest(path, docIndex, item, itemLocate, template, itemIndex));
      });
      return;
    }
    manifests.push(makeManifest(path, docIndex, object, locate, template));
  });
  return { manifests, findings };
}

function makeManifest(file: string, docIndex: number, object: JsonObject, locate: Manifest['locate'], template: string | undefined, itemIndex?: number): Manifest {
  const manifest: Manifest = { file, docIndex, object, position: locate([]).start, locate };
  if (itemIndex !== undefined) manifest.itemIndex = itemIndex;
  if (template !== undefined) manifest.template = template;
  return manifest;
}

const DUPLICATE_KEY_MESSAGE = 'duplicate mapping key: Kubernetes rejects (or silently overwrites) repeated keys';

function syntaxMessage(code: string, message: string): string {
  // yaml's messages end with a source excerpt after "at line N, column M:"; our findings carry the position already.
  const first = message.split(/ at line \d+, column \d+/)[0] ?? message;
  if (code === 'DUPLICATE_KEY') return DUPLICATE_KEY_MESSAGE;
  return first.trim();
}

function describeValue(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a sequence';
  return `a ${typeof v}`;
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

/** Alias-expanded nodes allowed before the ratio check applies (go-yaml v2: aliasCount > 100 && decodeCount > 1000). */
const ALIAS_RATIO_MIN_DECODES = 1000;
const ALIAS_RATIO_RANGE_LOW = 400_000;
const ALIAS_RATIO_RANGE_HIGH = 4_000_000;

/** The share of decoded nodes that may come from alias expansion: 99% for small documents, down to 10% for huge ones. */
function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= ALIAS_RATIO_RANGE_LOW) return 0.99;
  if (decodeCount >= ALIAS_RATIO_RANGE_HIGH) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - ALIAS_RATIO_RANGE_LOW) / (ALIAS_RATIO_RANGE_HIGH - ALIAS_RATIO_RANGE_LOW));
}

/** Each alias → the node its anchor names (the last one defined before the alias), found in one pass in document order. */
type AliasLinks = Map<Alias, Node>;

function linkAliases(doc: Document.Parsed): AliasLinks {
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
}

type Converted = { ok: true; value: JsonValue } | { ok: false; errors: ConvertError[] };

function toJsonDocument(doc: Document.Parsed, links: AliasLinks): Converted {
  const st: ConvertState = { links, decodeCount: 0, aliasCount: 0, aliasStack: [], expanding: new Set(), duplicates: [] };
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
    if (st.aliasCount > MAX_ALIAS_COUNT && st.decodeCount > ALIAS_RATIO_MIN_DECODES && st.aliasCount / st.decodeCount > allowedAliasRatio(st.decodeCount)) {
      throw new ConvertError(
        `too many alias expansions (${st.aliasCount} of ${st.decodeCount} values come from aliases); refusing a possible alias bomb, as Kubernetes does`,
        st.aliasStack[0],
      );
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

function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  const v = key.value;
  return (typeof v === 'symbol' && v.description === '<<') || (v === '<<' && (key.type === undefined || key.type === Scalar.PLAIN));
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
    const v = node.value;
    if (typeof v === 'string') return v;
    if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint') return String(v);
    if (v instanceof Uint8Array) return binaryText(v);
    if (typeof v === 'symbol') return v.description ?? '';
    if (v === null) return { error: 'a null mapping key cannot be converted to JSON; Kubernetes rejects it' };
  }
  return { error: 'a mapping key must be a string, number or boolean to convert to JSON; Kubernetes rejects this one' };
}

function scalarToJson(node: Scalar): JsonValue {
  const v: unknown = node.value;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new ConvertError(`${node.source ?? String(v)} (${String(v)}) cannot be represented in JSON; Kubernetes rejects it`, node);
    return v;
  }
  if (typeof v === 'bigint') return Number(v);
  // go-yaml decodes !!binary into the raw bytes' text, which is what then goes into the JSON.
  if (v instanceof Uint8Array) return binaryText(v);
  if (typeof v === 'symbol') return v.description ?? '';
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

function binaryText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

const SOURCE_COMMENT = /^#\s*Source:\s*(\S.*?)\s*$/m;

/** Helm prefixes each rendered document with `# Source: chart/templates/x.yaml`; findings map back to that template. */
function helmSource(text: string, docStart: number, doc: Document.Parsed): string | undefined {
  // The comment sits between the previous document's end and this one's content, on either side of `---`.
  const contentStart = doc.contents?.range?.[0] ?? doc.range[0];
  const m = SOURCE_COMMENT.exec(text.slice(docStart, contentStart));
  return m?.[1];
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
