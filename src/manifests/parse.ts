import { Alias, type Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseAllDocuments, type Pair } from 'yaml';
import { fileFinding } from '../core/findings.ts';
import { getArray, getString, isObject } from '../core/objects.ts';
import type { Finding, JsonObject, JsonPath, JsonValue, Manifest, Position, Range, SourceFile } from '../core/types.ts';

/** Files above this size are refused with a finding rather than parsed: a manifest repo has no business holding them. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;
/** More alias expansions than this in one document is an alias bomb ("billion laughs"); Kubernetes' own YAML decoder has a similar limit. */
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
  if (bytes.byteLength > maxBytes) {
    return failed(fileFinding(path, 1, 1, PARSE_RULES.tooLarge, `file is ${formatMiB(bytes.byteLength)}, over the ${formatMiB(maxBytes)} limit for one manifest file`));
  }
  const decoded = decodeText(path, bytes);
  if (typeof decoded !== 'string') return failed(decoded);
  return parseText(path, decoded);
}

function failed(finding: Finding): ParseResult {
  return { manifests: [], findings: [finding] };
}

function formatMiB(n: number): string {
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

// YAML 1.1 as go-yaml v2 (sigs.k8s.io/yaml) reads it: yes/no/on/off are booleans, 0644 is octal, `<<` merges.
// Timestamps stay strings: Kubernetes converts YAML to JSON, where a date is just text.
const withoutTimestamps = (tags: unknown[]): unknown[] =>
  tags.filter((t) => !(typeof t === 'object' && t !== null && 'tag' in t && (t as { tag: unknown }).tag === 'tag:yaml.org,2002:timestamp'));

export function parseText(path: string, text: string): ParseResult {
  const lineCounter = new LineCounter();
  const manifests: Manifest[] = [];
  const findings: Finding[] = [];
  const docs = parseAllDocuments(text, {
    version: '1.1',
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    customTags: withoutTimestamps as never,
  });
  const list = Array.isArray(docs) ? docs : [];
  if (!Array.isArray(docs)) {
    // An EmptyStream: nothing but comments or whitespace.
    return { manifests, findings };
  }
  const pos = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  let prevEnd = 0;
  list.forEach((doc, docIndex) => {
    const docStart = prevEnd;
    prevEnd = doc.range[2];
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const at = pos(err.pos[0]);
        findings.push(fileFinding(path, at.line, at.column, PARSE_RULES.syntax, syntaxMessage(err.code, err.message)));
      }
      return;
    }
    if (doc.contents === null || (isScalar(doc.contents) && (doc.contents.value === null || doc.contents.value === ''))) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      const at = pos(doc.contents.range?.[0] ?? 0);
      const reason = err instanceof Error && /alias/i.test(err.message) ? `too many alias expansions (over ${MAX_ALIAS_COUNT}); refusing a possible alias bomb` : String(err instanceof Error ? err.message : err);
      findings.push(fileFinding(path, at.line, at.column, PARSE_RULES.syntax, reason));
      return;
    }
    const start = pos(doc.contents.range?.[0] ?? 0);
    const converted = toJson(value);
    if (!converted.ok) {
      const r = locateIn(doc, converted.path, 'value', pos);
      findings.push(fileFinding(path, r.start.line, r.start.column, PARSE_RULES.syntax, converted.message));
      return;
    }
    if (!isObject(converted.value)) {
      findings.push(fileFinding(path, start.line, start.column, PARSE_RULES.notObject, `expected a mapping with apiVersion and kind, found ${describeValue(converted.value)}`));
      return;
    }
    const template = helmSource(text, docStart, doc);
    const object = converted.value;
    const locate = (p: JsonPath, target: 'key' | 'value' = 'value'): Range => locateIn(doc, p, target, pos);
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

function syntaxMessage(code: string, message: string): string {
  // yaml's messages end with a source excerpt after "at line N, column M:"; our findings carry the position already.
  const first = message.split(/ at line \d+, column \d+/)[0] ?? message;
  if (code === 'DUPLICATE_KEY') return 'duplicate mapping key: Kubernetes rejects (or silently overwrites) repeated keys';
  return first.trim();
}

function describeValue(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a sequence';
  return `a ${typeof v}`;
}

type Converted = { ok: true; value: JsonValue } | { ok: false; path: JsonPath; message: string };

/** yaml's JS values → JSON values, as Kubernetes' YAML-to-JSON conversion would produce (binary → base64). */
function toJson(value: unknown, path: (string | number)[] = []): Converted {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return { ok: true, value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { ok: false, path, message: `${String(value)} cannot be represented in JSON; Kubernetes rejects it` };
    return { ok: true, value };
  }
  if (typeof value === 'bigint') return { ok: true, value: Number(value) };
  if (value instanceof Uint8Array) return { ok: true, value: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) {
    const out: JsonValue[] = [];
    for (let i = 0; i < value.length; i++) {
      const c = toJson(value[i], [...path, i]);
      if (!c.ok) return c;
      out.push(c.value);
    }
    return { ok: true, value: out };
  }
  if (value instanceof Map) {
    return toJson(Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), v])), path);
  }
  if (value instanceof Set) return toJson([...value], path);
  if (typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      const c = toJson(v, [...path, k]);
      if (!c.ok) return c;
      out[k] = c.value;
    }
    return { ok: true, value: out };
  }
  return { ok: false, path, message: `unsupported YAML value of type ${typeof value}` };
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

function resolveAlias(doc: Document.Parsed, node: unknown): unknown {
  let n = node;
  for (let guard = 0; guard < 32 && isAlias(n); guard++) n = (n as Alias).resolve(doc);
  return n;
}

function findPair(doc: Document.Parsed, map: unknown, key: string, depth = 0): Pair | null {
  if (!isMap(map) || depth > 16) return null;
  let merges: unknown[] = [];
  // Later duplicates never survive parsing (uniqueKeys), so the first hit is the only one.
  for (const item of map.items) {
    if (!isPair(item)) continue;
    const k = isScalar(item.key) ? item.key.value : item.key;
    if (k === '<<' || (isScalar(item.key) && item.key.source === '<<')) {
      merges = isSeq(item.value) ? item.value.items : [item.value];
      continue;
    }
    if (String(k) === key) return item as Pair;
  }
  for (const m of merges) {
    const found = findPair(doc, resolveAlias(doc, m), key, depth + 1);
    if (found) return found;
  }
  return null;
}

function walk(doc: Document.Parsed, path: JsonPath): Located[] {
  const trail: Located[] = [{ node: doc.contents as Node | null, pair: null }];
  let current: unknown = resolveAlias(doc, doc.contents);
  for (const seg of path) {
    if (typeof seg === 'number' && isSeq(current)) {
      const item = current.items[seg];
      if (item === undefined) break;
      trail.push({ node: item as Node, pair: null });
      current = resolveAlias(doc, item);
    } else if (isMap(current)) {
      const pair = findPair(doc, current, String(seg));
      if (!pair) break;
      trail.push({ node: (pair.value ?? null) as Node | null, pair });
      current = resolveAlias(doc, pair.value);
    } else {
      break;
    }
  }
  return trail;
}

function locateIn(doc: Document.Parsed, path: JsonPath, target: 'key' | 'value', pos: (offset: number) => Position): Range {
  const trail = walk(doc, path);
  const found = trail.length === path.length + 1;
  const last = trail[trail.length - 1] ?? { node: null, pair: null };
  // For a missing path, point at the key of the deepest ancestor that exists: that is where the user must add it.
  const wantKey = target === 'key' || !found;
  const keyNode = last.pair && isScalar(last.pair.key) ? last.pair.key : null;
  const node = wantKey && keyNode ? keyNode : (last.node ?? keyNode);
  const range = (node as Node | null)?.range ?? doc.contents?.range ?? doc.range;
  return { start: pos(range[0]), end: pos(range[1]) };
}
