import { isObject } from '../core/objects.ts';
import type { JsonObject, JsonPath, JsonValue } from '../core/types.ts';

// Locating a key or value by scanning a document's lines, without building `yaml`'s document (~0.5 ms for a small
// one): for paths of string keys through block mappings, as most findings' paths are (`data`, `spec.selector`,
// `metadata.name`). It answers only when the text is plainly what the parse says, and then exactly what
// `yaml`'s locateInDocument (yaml-ast.ts) answers; otherwise undefined, and `yaml` answers.
// parse-quick-locate.test.ts holds it to that on tricky documents, random ones, and every path of the shared corpus.
//
// The rule, at each mapping on the path (the document's top level first):
//  - the mapping's lines run from the line after its key's line (the document's content, for the top level) to the
//    next line at the parent's indentation or less; blank lines and comment lines are ignored throughout;
//  - the first line fixes the mapping's indentation (more than the parent's); every line at exactly that indentation
//    must be a plain `key:` (or, after a key, an indentless `- ` item of that key's sequence), and those keys must be
//    exactly Object.keys() of the parsed object, in order (an integer-like key, which JS would reorder, bails);
//    deeper lines are skipped; a line between the parent's indentation and the mapping's bails, as does a tab there;
//  - to descend, the key's line must hold nothing after `key:` but blanks or a comment.
// Every real key of a block mapping starts a line at the mapping's indentation, so the lines taken for keys include
// all real keys; if one were a line inside a multi-line scalar, there would be more of them than the parse has keys.
// A line inside a scalar at a parent's indentation or less is caught the same way at that parent's level.
//
// Values: a one-line plain scalar equal to the parsed string, number or boolean (as written); a one-line quoted string
// without escapes equal to the parsed string; `{}` and `[]`. A block mapping's range is `yaml`'s: from its first key
// to the end of its last value's node (yaml-ast.ts's walk gives the map node; its range ends where the last pair's
// value node does, trailing comment and line break included). That end is found by following the last key down to a
// one-line value or a clipped or stripped block scalar, and only when no indented comment or blank line with spaces
// (for a block scalar) follows it, since `yaml` counts some of those in and not others.
//
// All of this holds only where js-yaml (whose parse the keys are checked against) and `yaml` read the document alike:
// the caller first rules out documents with lines they may read differently (isPlainDocument, hasLoneCR).

/**
 * Whether the document whose text (header included) runs from `from` to `to` holds no line on which js-yaml and `yaml`
 * may disagree about the whole document: a tab in the indentation or in a blank line (`yaml` refuses some that js-yaml
 * reads), or a quoted scalar or flow collection that does not close on the line it starts (js-yaml reads continuation
 * lines that `yaml` refuses as under-indented). A document holding one is left to `yaml`: its answer there is whatever
 * its reading of the document gives. Block scalars' content is skipped (JSON and scripts in ConfigMaps open brackets
 * and quotes on one line and close them on another), unless a line is less indented than the first.
 * (A lone \r, a line break to YAML but not to these scans, is the caller's to rule out: see hasLoneCR.)
 */
export function isPlainDocument(text: string, from: number, to: number): boolean {
  // The block scalar being skipped: its parent's indentation (-1: none) and its content's (-1: not seen yet).
  let parent = -1;
  let content = -1;
  for (let line = from; line < to; ) {
    const end = lineEndOf(text, line);
    const next = end + 1;
    let n = line;
    while (n < end && text.charCodeAt(n) === SPACE) n++;
    const indent = n - line;
    const j = skipBlanks(text, n, end);
    if (isBlankFrom(text, j, end)) {
      if (j > n) return false;
      line = next;
      continue;
    }
    if (parent >= 0) {
      if (indent > parent && (content < 0 || indent >= content)) {
        if (content < 0) content = indent;
        line = next;
        continue;
      }
      if (indent > parent) return false;
      parent = -1;
      content = -1;
    }
    const c = text.charCodeAt(n);
    if (c === TAB) return false;
    if (c === HASH) {
      line = next;
      continue;
    }
    const m = VALUE_START.exec(text.slice(n, end));
    const at = n + (m?.[0].length ?? 0);
    const v = text[at];
    if (v === '"' || v === "'" || v === '{' || v === '[') {
      if (!closesOnLine(text, at)) return false;
    } else if (v === '|' || v === '>') {
      // A block scalar: its content is the lines indented more than its key (or its `-`).
      const dashes = m?.[1] ?? '';
      if (m?.[2] !== undefined) parent = indent + dashes.length;
      else if (dashes !== '') parent = indent + dashes.trimEnd().length - 1;
      else return false;
      content = -1;
    }
    line = next;
  }
  return true;
}

/** Whether the text holds a \r that is not part of a \r\n. */
export function hasLoneCR(text: string): boolean {
  return LONE_CR.test(text);
}

const LONE_CR = /\r(?!\n)/;
/** What comes before a line's value: `- ` indicators, a key and `:`, an anchor or a tag. */
const VALUE_START = /^((?:-[ \t]+)*)(?:("[^"]*"|'[^']*'|[^\s#"'{[\]}][^#]*?)[ \t]*:(?:[ \t]+|$))?(?:[&!][^ \t]*[ \t]+)*/;

/** Whether the quoted scalar or flow collection opening at `at` closes on its line (quotes and brackets followed). */
function closesOnLine(text: string, at: number): boolean {
  const end = lineEndOf(text, at);
  let depth = 0;
  for (let k = at; k < end; k++) {
    const c = text[k];
    if (c === '"') {
      for (k++; k < end && text[k] !== '"'; k++) if (text[k] === '\\') k++;
      if (k >= end) return false;
    } else if (c === "'") {
      for (k++; k < end; k++) if (text[k] === "'") {
        if (text[k + 1] !== "'") break;
        k++;
      }
      if (k >= end) return false;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === '#' && depth > 0 && (text[k - 1] === ' ' || text[k - 1] === '\t')) return false;
    if (depth <= 0) return true;
  }
  return false;
}

/** A block mapping's keys as written: each at `indent` spaces, at the start of a line of its own, in written order. */
export interface BlockScan {
  indent: number;
  keys: string[];
  /** Offset of each key's first character. */
  starts: number[];
  /** Where the mapping's lines end: the first line at the parent's indentation or less, else `to`. */
  end: number;
  /** The parsed object whose keys these were found to be (checked once per object). */
  checked: JsonObject | undefined;
}

/** Scans of one file's mappings by their first offset (`scan` null: the text there is not plainly a block mapping). */
export type ScanCache = Map<number, { to: number; parentIndent: number; scan: BlockScan | null }>;

/** How many locations were answered from the text and how many were left to `yaml`: tests check the quick path is taken. */
export const quickStats = { answered: 0, declined: 0 };
/** Tests turn the quick path off to get the answer `yaml` gives in its place. */
export const quickOptions = { enabled: true };

/**
 * [start, end) offsets of the key or value at `path` in the document whose (block mapping) content starts at
 * `contentStart` and whose text ends at `docEnd`, when the text plainly agrees with `value`, the parsed document.
 */
export function quickLocate(...args: Parameters<typeof locateByLines>): [number, number] | undefined {
  const found = locateByLines(...args);
  if (found === undefined) quickStats.declined++;
  else quickStats.answered++;
  return found;
}

function locateByLines(
  text: string,
  contentStart: number,
  docEnd: number,
  path: JsonPath,
  target: 'key' | 'value',
  value: JsonObject,
  cache: ScanCache,
): [number, number] | undefined {
  if (path.length === 0) return undefined;
  if (contentStart > 0 && text.charCodeAt(contentStart - 1) !== LF) return undefined;
  let scan = scanCached(text, contentStart, docEnd, -1, cache);
  let obj: JsonObject = value;
  for (let depth = 0; ; depth++) {
    if (scan === null || !agrees(scan, obj)) return undefined;
    const seg = path[depth];
    if (typeof seg !== 'string') return undefined;
    const i = scan.keys.indexOf(seg);
    const keyStart = scan.starts[i];
    if (keyStart === undefined) return undefined;
    const child = obj[seg];
    if (depth === path.length - 1) {
      if (target === 'key') return [keyStart, keyStart + seg.length];
      return valueRange(text, scan, i, child, cache);
    }
    if (!isObject(child)) return undefined;
    scan = childScan(text, scan, i, cache);
    obj = child;
  }
}

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const HASH = 0x23;
const DASH = 0x2d;

/** A plain mapping key at the start of a line: `name:`, `app.kubernetes.io/name:` (followed by a blank or the line's end). */
const KEY = /^([A-Za-z0-9_][A-Za-z0-9_.\/-]*):(?:[ \t]|\r?$)/;
/** Keys JS objects put first, whatever the written order. */
const INTEGER_LIKE = /^\d+$/;
/** Plain scalars start with none of YAML's indicators (a quoted, flow, anchored, tagged or block value is not plain). */
const PLAIN_SCALAR_START = /^["'{[&*!|>%@`#,\]}?:-]/;
const DOUBLE_QUOTED = /^"([^"\\]*)"$/;
const SINGLE_QUOTED = /^'([^']*)'$/;
/** A block scalar header that clips or strips the final line break, without an explicit indentation. */
const BLOCK_HEADER = /^[|>]-?$/;

function scanCached(text: string, from: number, to: number, parentIndent: number, cache: ScanCache): BlockScan | null {
  const hit = cache.get(from);
  if (hit !== undefined && hit.to === to && hit.parentIndent === parentIndent) return hit.scan;
  const scan = scanBlock(text, from, to, parentIndent);
  cache.set(from, { to, parentIndent, scan });
  return scan;
}

/** Whether the written keys are exactly the parsed object's, in order. */
function agrees(scan: BlockScan, obj: JsonObject): boolean {
  if (scan.checked === obj) return true;
  const keys = Object.keys(obj);
  if (keys.length !== scan.keys.length) return false;
  for (let i = 0; i < keys.length; i++) if (keys[i] !== scan.keys[i]) return false;
  scan.checked = obj;
  return true;
}

/** Offset of the first character that is not a space or tab, from `at`. */
function skipBlanks(text: string, at: number, end: number): number {
  while (at < end) {
    const c = text.charCodeAt(at);
    if (c !== SPACE && c !== TAB) break;
    at++;
  }
  return at;
}

/** End of the line starting at `line` (its \n, or the text's end). */
function lineEndOf(text: string, line: number): number {
  const nl = text.indexOf('\n', line);
  return nl === -1 ? text.length : nl;
}

/** Whether the line's content from `j` (its first character not a space or tab) is nothing (\r at most). */
function isBlankFrom(text: string, j: number, lineEnd: number): boolean {
  return j === lineEnd || (j + 1 === lineEnd && text.charCodeAt(j) === CR);
}

/** The block mapping whose lines start at `from` (see the rule above), or null when the text is not plainly one. */
function scanBlock(text: string, from: number, to: number, parentIndent: number): BlockScan | null {
  let indent = -1;
  const keys: string[] = [];
  const starts: number[] = [];
  let line = from;
  while (line < to) {
    const lineEnd = Math.min(lineEndOf(text, line), to);
    const next = lineEnd + 1;
    let n = line;
    while (n < lineEnd && text.charCodeAt(n) === SPACE) n++;
    const j = skipBlanks(text, n, lineEnd);
    if (isBlankFrom(text, j, lineEnd) || text.charCodeAt(j) === HASH) {
      line = next;
      continue;
    }
    const col = n - line;
    if (text.charCodeAt(n) === TAB) {
      // A tab where indentation would be: whose line it is depends on tab rules this scan does not follow.
      if (indent >= 0 && col > indent) {
        line = next;
        continue;
      }
      return null;
    }
    if (col <= parentIndent) return indent < 0 ? null : { indent, keys, starts, end: line, checked: undefined };
    if (indent < 0) indent = col;
    if (col > indent) {
      line = next;
      continue;
    }
    if (col < indent) return null;
    if (text.charCodeAt(n) === DASH && isSequenceIndicator(text, n + 1, lineEnd)) {
      // An indentless sequence: items of the previous key's value.
      if (keys.length === 0) return null;
      line = next;
      continue;
    }
    const m = KEY.exec(text.slice(n, lineEnd));
    if (m === null) return null;
    const key = m[1] ?? '';
    if (INTEGER_LIKE.test(key)) return null;
    keys.push(key);
    starts.push(n);
    line = next;
  }
  if (indent < 0) return null;
  return { indent, keys, starts, end: to, checked: undefined };
}

function isSequenceIndicator(text: string, at: number, lineEnd: number): boolean {
  if (at >= lineEnd) return true;
  const c = text.charCodeAt(at);
  return c === SPACE || c === TAB || isBlankFrom(text, at, lineEnd);
}

/** The block mapping that is the value of key `i` of `scan`, when its line holds nothing after `key:` but a comment. */
function childScan(text: string, scan: BlockScan, i: number, cache: ScanCache): BlockScan | null {
  const key = scan.keys[i];
  const keyStart = scan.starts[i];
  if (key === undefined || keyStart === undefined) return null;
  const after = keyStart + key.length + 1;
  const lineEnd = lineEndOf(text, after);
  if (lineEnd >= scan.end) return null;
  const j = skipBlanks(text, after, lineEnd);
  if (!isBlankFrom(text, j, lineEnd) && !(text.charCodeAt(j) === HASH && j > after)) return null;
  const nextKey = scan.starts[i + 1];
  const to = nextKey === undefined ? scan.end : nextKey - scan.indent;
  return scanCached(text, lineEnd + 1, to, scan.indent, cache);
}

/** What follows `key:` on key `i`'s line: [offset of the value's first character, the value as written without comment]. */
function writtenValue(text: string, scan: BlockScan, i: number): [number, string] {
  const key = scan.keys[i] ?? '';
  const after = (scan.starts[i] ?? 0) + key.length + 1;
  const lineEnd = lineEndOf(text, after);
  const start = skipBlanks(text, after, lineEnd);
  if (text.charCodeAt(start) === HASH) return [start, ''];
  let end = lineEnd;
  const comment = text.slice(start, lineEnd).search(/[ \t]#/);
  if (comment !== -1) end = start + comment;
  while (end > start) {
    const c = text.charCodeAt(end - 1);
    if (c !== SPACE && c !== TAB && c !== CR) break;
    end--;
  }
  return [start, text.slice(start, end)];
}

/** A one-line value on its key's line that `yaml` reads as a node of exactly that text. */
function isOneLineValue(written: string, v: JsonValue | undefined): boolean {
  if (written === '{}') return isObject(v) && Object.keys(v).length === 0;
  if (written === '[]') return Array.isArray(v) && v.length === 0;
  const quoted = DOUBLE_QUOTED.exec(written) ?? SINGLE_QUOTED.exec(written);
  if (quoted !== null) return v === quoted[1];
  if (written === '' || PLAIN_SCALAR_START.test(written)) return false;
  return typeof v === 'string' ? v === written : (typeof v === 'number' || typeof v === 'boolean') && String(v) === written;
}

/** [start, end) of the value of key `i` of `scan`, `v` as parsed. */
function valueRange(text: string, scan: BlockScan, i: number, v: JsonValue | undefined, cache: ScanCache): [number, number] | undefined {
  if (isObject(v) && Object.keys(v).length > 0) {
    const inner = childScan(text, scan, i, cache);
    if (inner === null || !agrees(inner, v)) return undefined;
    const first = inner.starts[0];
    const end = mappingEnd(text, inner, v, cache);
    return first === undefined || end === undefined ? undefined : [first, end];
  }
  const [start, written] = writtenValue(text, scan, i);
  return isOneLineValue(written, v) ? [start, start + written.length] : undefined;
}

/**
 * Where `yaml`'s node for a block mapping ends: where its last value's node ends, followed down through the last keys
 * of nested mappings to a one-line value (its line, line break included) or a block scalar (its last non-blank line).
 */
function mappingEnd(text: string, scan: BlockScan, obj: JsonObject, cache: ScanCache): number | undefined {
  for (;;) {
    const i = scan.keys.length - 1;
    const key = scan.keys[i];
    const keyStart = scan.starts[i];
    if (key === undefined || keyStart === undefined) return undefined;
    const v = obj[key];
    const [, written] = writtenValue(text, scan, i);
    const lineEnd = lineEndOf(text, keyStart);
    if (written === '') {
      if (!isObject(v) || Object.keys(v).length === 0) return undefined;
      const inner = childScan(text, scan, i, cache);
      if (inner === null || !agrees(inner, v)) return undefined;
      scan = inner;
      obj = v;
      continue;
    }
    if (written.startsWith('|') || written.startsWith('>')) {
      if (!BLOCK_HEADER.test(written) || typeof v !== 'string') return undefined;
      return blockScalarEnd(text, lineEnd + 1, scan.end, scan.indent);
    }
    // A one-line value; a plain scalar may be read as anything (go-yaml reads `yes` as true), its node is its line.
    const oneLine = isOneLineValue(written, v) || (!PLAIN_SCALAR_START.test(written) && !isObject(v) && !Array.isArray(v));
    if (!oneLine) return undefined;
    const end = lineEnd === text.length ? lineEnd : lineEnd + 1;
    return nothingFollows(text, end, scan.end, false) ? end : undefined;
  }
}

/** End of a block scalar's last non-blank line, its content being the lines from `from` to `regionEnd`. */
function blockScalarEnd(text: string, from: number, regionEnd: number, mapIndent: number): number | undefined {
  let indent = -1;
  let last = -1;
  for (let line = from; line < regionEnd; ) {
    const lineEnd = lineEndOf(text, line);
    let n = line;
    while (n < lineEnd && text.charCodeAt(n) === SPACE) n++;
    const j = skipBlanks(text, n, lineEnd);
    if (!isBlankFrom(text, j, lineEnd)) {
      if (indent < 0) {
        indent = n - line;
        if (indent <= mapIndent || text.charCodeAt(n) === TAB) return undefined;
      }
      if (n - line < indent) return undefined;
      last = lineEnd === text.length ? lineEnd : lineEnd + 1;
    }
    line = lineEnd + 1;
  }
  if (last < 0) return undefined;
  return nothingFollows(text, last, regionEnd, true) ? last : undefined;
}

/**
 * Whether the lines from `from` to the next line with content hold nothing `yaml` might count into the node ending
 * at `from`: blank lines (truly empty ones only, after a block scalar) and comments at column 0 — and whether that
 * next line is outside the value (at or after `regionEnd`).
 */
function nothingFollows(text: string, from: number, regionEnd: number, emptyOnly: boolean): boolean {
  for (let line = from; line < text.length; ) {
    const lineEnd = lineEndOf(text, line);
    const j = skipBlanks(text, line, lineEnd);
    if (isBlankFrom(text, j, lineEnd)) {
      if (emptyOnly && !isBlankFrom(text, line, lineEnd)) return false;
    } else if (text.charCodeAt(j) === HASH) {
      if (j !== line) return false;
    } else {
      return line >= regionEnd;
    }
    line = lineEnd + 1;
  }
  return true;
}
