import type { Document } from 'yaml';
import { fileFinding } from '../core/findings.ts';
import { getArray, getString, isObject } from '../core/objects.ts';
import type { Finding, JsonObject, JsonPath, JsonValue, Manifest, Position, Range, SourceFile } from '../core/types.ts';
import { ALIAS_FREE_COUNT, expansionBudget, fastLoad } from './fast-load.ts';
import { hasLoneCR, isPlainDocument, quickLocate, quickOptions, type ScanCache } from './quick-locate.ts';
import { type AliasLinks, contentStartOf, documentValue, linkAliases, locateInDocument, parseYamlFile, type YamlFile } from './yaml-ast.ts';

/** Files above this size are refused with a finding rather than parsed: a manifest repo has no business holding them. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;
/**
 * Alias bombs ("billion laughs") are refused with Kubernetes' own rule (go-yaml v2): up to this many values may come from
 * alias expansion freely; past it (and past 1,000 values in all) a document is refused once aliases make up more than
 * 99% of its values (falling to 10% for documents of millions of values). Conversion time is linear in the output.
 */
export const MAX_ALIAS_COUNT = ALIAS_FREE_COUNT;

export interface ParseResult {
  manifests: Manifest[];
  findings: Finding[];
}

/**
 * A file's manifests as plain data (structured-clone safe), for rebuilding them in another thread that holds the
 * same text: each manifest's locate() and position come back from the text, lazily, exactly as parseText made them.
 */
export interface FileRecord {
  path: string;
  /** Where js-yaml found each document's content; null when js-yaml could not read the file (positions come from `yaml`'s whole-file parse). */
  starts: number[] | null;
  manifests: ManifestRecord[];
}

export interface ManifestRecord {
  docIndex: number;
  itemIndex?: number;
  object: JsonObject;
  /** Where js-yaml found the document's content (meaningless when the file's `starts` is null). */
  contentStart: number;
  /** The object's position; absent for List items, whose position needs `yaml`'s document (computed on first read). */
  position?: Position;
  template?: string;
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

/** parseSource, plus the FileRecord that rebuilds its manifests elsewhere (undefined when the file has none). */
export function parseSourceRecord(file: SourceFile, maxBytes: number = MAX_FILE_BYTES): ParseResult & { record: FileRecord | undefined } {
  const { path, bytes } = file;
  if (bytes.byteLength > maxBytes) return { ...failed(tooLargeFinding(path, bytes.byteLength, maxBytes)), record: undefined };
  const decoded = decodeText(path, bytes);
  if (typeof decoded !== 'string') return { ...failed(decoded), record: undefined };
  const records: ManifestRecord[] = [];
  const out = parseWith(path, decoded, records);
  return { ...out.result, record: records.length > 0 ? { path, starts: out.starts, manifests: records } : undefined };
}

/** The text parseSource reads from bytes that decoded without a finding (a leading BOM dropped). */
export function sourceText(bytes: Uint8Array): string {
  const text = utf8.decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The manifests of a FileRecord (made by parseSourceRecord, possibly in another thread), over the same file's text:
 * objects as recorded, locate() and List item positions computed from the text on first need, as parseText does.
 * `text` may be a function, called once on the first locate().
 */
export function manifestsFromRecord(record: FileRecord, text: string | (() => string)): Manifest[] {
  const file = new SourceText(text);
  const { starts } = record;
  if (starts !== null) file.setDocumentStarts(starts);
  return record.manifests.map((r) => {
    const { docIndex } = r;
    const locate =
      starts !== null
        ? (p: JsonPath, target: 'key' | 'value' = 'value'): Range => file.locate(docIndex, r.contentStart, p, target, r.itemIndex === undefined ? r.object : undefined)
        : (p: JsonPath, target: 'key' | 'value' = 'value'): Range => file.locateInFileDoc(docIndex, p, target);
    if (r.itemIndex === undefined) return makeManifest(record.path, docIndex, r.object, r.position ?? { line: 1, column: 1 }, locate, r.template);
    const itemIndex = r.itemIndex;
    const itemLocate = (p: JsonPath, target: 'key' | 'value' = 'value'): Range => locate(['items', itemIndex, ...p], target);
    return makeManifest(record.path, docIndex, r.object, () => itemLocate([]).start, itemLocate, r.template, itemIndex);
  });
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

// Parsing is two-phase. Phase one reads every document's value with js-yaml and go-yaml v2's scalar rules
// (fast-load.ts, go-yaml-scalars.ts): about ten times faster than the `yaml` package, and all that files without
// findings ever need. Phase two is the `yaml` package (yaml-ast.ts), run on one document's text on first need and
// then kept: for locate() (exact positions of keys and values), and to read and report whatever js-yaml refused — a file it
// cannot parse, or a document with something Kubernetes rejects (duplicate keys, alias bombs, .inf, null keys) —
// with the same messages and positions as before, document by document, so one bad document drops only itself.

export function parseText(path: string, text: string): ParseResult {
  return parseWith(path, text, undefined).result;
}

/** A parse in progress: its result, and (when asked for) a ManifestRecord beside each manifest. */
interface ParseOut {
  result: ParseResult;
  records: ManifestRecord[] | undefined;
  /** FileRecord.starts: js-yaml's document starts, null when the file was read by `yaml` alone. */
  starts: number[] | null;
}

function parseWith(path: string, text: string, records: ManifestRecord[] | undefined): ParseOut {
  const file = new SourceText(text);
  const out: ParseOut = { result: { manifests: [], findings: [] }, records, starts: null };
  const fast = fastLoad(text);
  if (!fast.ok) {
    // js-yaml stops at the first error in a file; `yaml` reads every document and reports each error where it is.
    let yamlFile: YamlFile;
    try {
      yamlFile = file.yaml();
    } catch (err) {
      out.result = failed(fileFinding(path, 1, 1, PARSE_RULES.syntax, `cannot parse: ${err instanceof Error ? err.message : String(err)}`));
      if (records) records.length = 0;
      return out;
    }
    yamlFile.docs.forEach((doc, docIndex) => readWithYaml(path, file, { doc, base: 0 }, docIndex, 0, out));
    return out;
  }
  const starts = fast.docs.map((d) => d.contentStart);
  out.starts = starts;
  file.setDocumentStarts(starts);
  fast.docs.forEach((d, docIndex) => {
    if (d.ok) {
      const locate = (p: JsonPath, target: 'key' | 'value' = 'value'): Range => file.locate(docIndex, d.contentStart, p, target, d.value);
      emit(path, file, docIndex, d.value, d.contentStart, d.contentStart, locate, out);
    } else if (d.reason === 'refused') {
      const ref = file.docAt(docIndex, d.contentStart);
      if (ref !== undefined) readWithYaml(path, file, ref, docIndex, d.contentStart, out);
      else {
        const p = file.pos(d.contentStart);
        out.result.findings.push(fileFinding(path, p.line, p.column, PARSE_RULES.syntax, 'this document could not be read'));
      }
    }
  });
  return out;
}

/**
 * Phase two for one document: its value or its problems, from `yaml`'s document. `fastStart` is where js-yaml put
 * the document (file.docAt finds this same document again from it), 0 when js-yaml could not read the file.
 */
function readWithYaml(path: string, file: SourceText, ref: YamlDoc, docIndex: number, fastStart: number, out: ParseOut): void {
  const read = documentValue(ref.doc, file.links(ref.doc), expansionBudget(file.text.length));
  if (!read.ok) {
    for (const e of read.errors) {
      const p = file.pos(ref.base + e.offset);
      out.result.findings.push(fileFinding(path, p.line, p.column, PARSE_RULES.syntax, e.message));
    }
    return;
  }
  if (read.value === null || read.value === '') return;
  const locate = (p: JsonPath, target: 'key' | 'value' = 'value'): Range => file.locateIn(ref, p, target);
  emit(path, file, docIndex, read.value, ref.base + contentStartOf(ref.doc), fastStart, locate, out);
}

/** A document's value → its manifest (or a List's items), or a finding when it is not an object. */
function emit(path: string, file: SourceText, docIndex: number, value: JsonValue, contentStart: number, fastStart: number, locate: Manifest['locate'], out: ParseOut): void {
  const { result, records } = out;
  if (!isObject(value)) {
    const start = file.pos(contentStart);
    result.findings.push(fileFinding(path, start.line, start.column, PARSE_RULES.notObject, `expected a mapping with apiVersion and kind, found ${describeValue(value)}`));
    return;
  }
  const template = helmSource(file.text, docIndex, contentStart);
  const kind = getString(value, 'kind');
  const items = getArray(value, 'items');
  if (kind !== undefined && kind.endsWith('List') && items !== undefined && typeof value.apiVersion === 'string') {
    items.forEach((item, itemIndex) => {
      const itemLocate = (p: JsonPath, target: 'key' | 'value' = 'value'): Range => locate(['items', itemIndex, ...p], target);
      if (!isObject(item)) {
        const r = itemLocate([]);
        result.findings.push(fileFinding(path, r.start.line, r.start.column, PARSE_RULES.notObject, `${kind} item ${itemIndex} is ${describeValue(item)}, expected an object`));
        return;
      }
      // An item's position needs `yaml`'s document: computed on first read.
      result.manifests.push(makeManifest(path, docIndex, item, () => itemLocate([]).start, itemLocate, template, itemIndex));
      if (records) records.push(record(docIndex, item, fastStart, undefined, template, itemIndex));
    });
    return;
  }
  const position = file.pos(contentStart);
  result.manifests.push(makeManifest(path, docIndex, value, position, locate, template));
  if (records) records.push(record(docIndex, value, fastStart, position, template));
}

function record(docIndex: number, object: JsonObject, contentStart: number, position: Position | undefined, template: string | undefined, itemIndex?: number): ManifestRecord {
  const r: ManifestRecord = { docIndex, object, contentStart };
  if (itemIndex !== undefined) r.itemIndex = itemIndex;
  if (position !== undefined) r.position = position;
  if (template !== undefined) r.template = template;
  return r;
}

function makeManifest(
  file: string,
  docIndex: number,
  object: JsonObject,
  position: Position | (() => Position),
  locate: Manifest['locate'],
  template: string | undefined,
  itemIndex?: number,
): Manifest {
  const manifest: Manifest = { file, docIndex, object, position: typeof position === 'function' ? { line: 1, column: 1 } : position, locate };
  if (typeof position === 'function') {
    Object.defineProperty(manifest, 'position', {
      enumerable: true,
      configurable: true,
      get(): Position {
        const value = position();
        Object.defineProperty(manifest, 'position', { value, enumerable: true, configurable: true, writable: true });
        return value;
      },
    });
  }
  if (itemIndex !== undefined) manifest.itemIndex = itemIndex;
  if (template !== undefined) manifest.template = template;
  return manifest;
}

function describeValue(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a sequence';
  return `a ${typeof v}`;
}

/** A `yaml` document, parsed from the file's text starting at `base` (its node ranges are relative to that). */
interface YamlDoc {
  doc: Document.Parsed;
  base: number;
}

/**
 * One file's text, with `yaml` documents built on first need and kept for later locate() calls: after js-yaml has
 * read the file, only the document asked for is parsed (a finding in one document of a 300-document Helm render
 * parses that one); after js-yaml failed, the whole file.
 */
class SourceText {
  private source: string | (() => string);
  /** Where js-yaml found each document's content; undefined when js-yaml could not read the file. */
  private starts: number[] | undefined;
  private readonly docs = new Map<number, YamlDoc | undefined>();
  private yamlFile: YamlFile | undefined;
  private byStart: Map<number, Document.Parsed> | undefined;
  private readonly linkCache = new WeakMap<Document.Parsed, AliasLinks>();
  // Offset → line and column: by scanning forward from the last answer (documents come in order), else by search.
  private scanOffset = 0;
  private scanLine = 1;
  private scanLineStart = 0;
  private lineStarts: number[] | undefined;
  private readonly scans: ScanCache = new Map();
  private loneCR: boolean | undefined;
  private readonly plainDocs = new Map<number, boolean>();

  constructor(text: string | (() => string)) {
    this.source = text;
  }

  get text(): string {
    const { source } = this;
    if (typeof source === 'string') return source;
    const text = source();
    this.source = text;
    return text;
  }

  setDocumentStarts(starts: number[]): void {
    this.starts = starts;
  }

  /** Every document of the file, parsed by `yaml` at once (when js-yaml could not read the file). */
  yaml(): YamlFile {
    return (this.yamlFile ??= parseYamlFile(this.text));
  }

  /** `yaml`'s document for js-yaml's document `index`, whose content starts at `contentStart`. */
  docAt(index: number, contentStart: number): YamlDoc | undefined {
    if (!this.docs.has(index)) this.docs.set(index, this.parseDoc(index, contentStart));
    return this.docs.get(index);
  }

  private parseDoc(index: number, contentStart: number): YamlDoc | undefined {
    const starts = this.starts;
    if (starts !== undefined) {
      // The document's own text: from its header (`---`, comments, directives) to the next document's header.
      const base = index === 0 ? 0 : headerStart(this.text, starts[index] ?? contentStart);
      const next = starts[index + 1];
      const end = next === undefined ? this.text.length : headerStart(this.text, next);
      if (base <= contentStart && contentStart <= end) {
        const doc = parseYamlFile(this.text.slice(base, end)).docs.find((d) => base + contentStartOf(d) === contentStart);
        if (doc !== undefined) return { doc, base };
      }
    }
    // Whole-file fallback: the document whose content starts where js-yaml's does, else the same index.
    const { docs } = this.yaml();
    this.byStart ??= new Map(docs.map((d) => [contentStartOf(d), d]));
    const doc = this.byStart.get(contentStart) ?? docs[index];
    return doc === undefined ? undefined : { doc, base: 0 };
  }

  links(doc: Document.Parsed): AliasLinks {
    let links = this.linkCache.get(doc);
    if (links === undefined) {
      links = linkAliases(doc);
      this.linkCache.set(doc, links);
    }
    return links;
  }

  /**
   * `value` (the document's parsed object, when known) allows a quick answer for a path of keys through block
   * mappings (`data`, `spec.selector`: most findings' places) without building `yaml`'s document, when the text
   * plainly agrees with the parse (quick-locate.ts).
   */
  locate(index: number, contentStart: number, path: JsonPath, target: 'key' | 'value', value?: JsonValue): Range {
    if (value !== undefined && isObject(value) && quickOptions.enabled) {
      const next = this.starts?.[index + 1];
      const end = next === undefined ? this.text.length : headerStart(this.text, next);
      if (this.isPlain(index, contentStart, end)) {
        const quick = quickLocate(this.text, contentStart, end, path, target, value, this.scans);
        if (quick !== undefined) return { start: this.pos(quick[0]), end: this.pos(quick[1]) };
      }
    }
    const ref = this.docAt(index, contentStart);
    if (ref === undefined) {
      const p = this.pos(contentStart);
      return { start: p, end: p };
    }
    return this.locateIn(ref, path, target);
  }

  /** Whether document `index`, its text (header included) ending at `end`, is plain enough to scan (quick-locate.ts). */
  private isPlain(index: number, contentStart: number, end: number): boolean {
    if ((this.loneCR ??= hasLoneCR(this.text))) return false;
    let plain = this.plainDocs.get(index);
    if (plain === undefined) {
      const base = index === 0 ? 0 : headerStart(this.text, this.starts?.[index] ?? contentStart);
      plain = isPlainDocument(this.text, base, end);
      this.plainDocs.set(index, plain);
    }
    return plain;
  }

  /** locate() in document `index` of `yaml`'s whole-file parse (a file js-yaml could not read). */
  locateInFileDoc(index: number, path: JsonPath, target: 'key' | 'value'): Range {
    const doc = this.yaml().docs[index];
    if (doc === undefined) return { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
    return this.locateIn({ doc, base: 0 }, path, target);
  }

  locateIn(ref: YamlDoc, path: JsonPath, target: 'key' | 'value'): Range {
    return locateInDocument(ref.doc, this.links(ref.doc), path, target, (offset) => this.pos(ref.base + offset));
  }

  /** 1-based line and column of an offset, counting lines as `yaml`'s LineCounter does (at each \n). */
  pos(offset: number): Position {
    const { text } = this;
    if (offset < this.scanOffset) {
      const starts = (this.lineStarts ??= lineStartsOf(text));
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((starts[mid] ?? 0) <= offset) lo = mid;
        else hi = mid - 1;
      }
      return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
    }
    let nl = text.indexOf('\n', this.scanOffset);
    while (nl !== -1 && nl < offset) {
      this.scanLine++;
      this.scanLineStart = nl + 1;
      nl = text.indexOf('\n', nl + 1);
    }
    this.scanOffset = offset;
    return { line: this.scanLine, column: offset - this.scanLineStart + 1 };
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', nl + 1)) starts.push(nl + 1);
  return starts;
}

/** Lines that may sit between a document's `---` and its content, or before the `---`: blank, comment, directive. */
function isHeaderLine(line: string): boolean {
  const t = line.trim();
  return t === '' || t.startsWith('#');
}

/**
 * Where the header of the document whose content starts at `contentStart` begins: its `---` line (and directives
 * and comment lines just above it), found by walking back over comment and blank lines. Without a `---` (a document
 * after `...`), the first comment line above the content.
 */
function headerStart(text: string, contentStart: number): number {
  let from = text.lastIndexOf('\n', contentStart - 1) + 1;
  const head = text.slice(from, contentStart);
  if (DOCUMENT_START.test(head) || head.trim() !== '') return from;
  let marker = false;
  while (from > 0) {
    const prev = text.lastIndexOf('\n', from - 2) + 1;
    const line = text.slice(prev, from - 1);
    if (!marker && DOCUMENT_START.test(line)) marker = true;
    else if (!(marker ? line.startsWith('%') || isHeaderLine(line) : isHeaderLine(line))) break;
    from = prev;
  }
  return from;
}

const SOURCE_COMMENT = /^#\s*Source:\s*(\S.*?)\s*$/m;
const DOCUMENT_START = /^---(?:[ \t\r]|$)/;

/**
 * Helm prefixes each rendered document with `# Source: chart/templates/x.yaml`; findings map back to that template.
 * The comment sits between the document's `---` and its content (before the first document, anywhere above it).
 * Read from the text, walking back from the content over comment and blank lines, so no `yaml` document is needed.
 */
function helmSource(text: string, docIndex: number, contentStart: number): string | undefined {
  let from = text.lastIndexOf('\n', contentStart - 1) + 1;
  if (docIndex === 0) from = 0;
  else if (text.slice(from, contentStart).trim() === '') {
    while (from > 0) {
      const prev = text.lastIndexOf('\n', from - 2) + 1;
      const line = text.slice(prev, from - 1);
      const t = line.trim();
      if (DOCUMENT_START.test(line)) {
        from = prev;
        break;
      }
      if (t !== '' && !t.startsWith('#')) break;
      from = prev;
    }
  }
  return SOURCE_COMMENT.exec(text.slice(from, contentStart))?.[1];
}
