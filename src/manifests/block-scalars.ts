// Large literal block scalars (`key: |` followed by many lines: Grafana dashboards, config files in ConfigMaps) are
// most of the bytes of real manifest repos, and js-yaml reads them one character at a time, building each value from
// a slice per line. Here they are read a line at a time with native string search, and the text js-yaml sees has each
// of them replaced by a short placeholder scalar, which fast-load.ts swaps for the value as js-yaml closes that node.
//
// Nothing here decides what the text means. The lifting follows js-yaml's readBlockScalar (auto-detected indentation,
// chomping) only for blocks whose header is a plain mapping key on its own line; fast-load.ts then checks that js-yaml
// read every placeholder as a whole node exactly where it was put. A placeholder that landed elsewhere (inside a quoted
// or plain multi-line scalar, a comment, another block scalar, a flow collection, where its `{` is an error) fails that
// check, and the file is parsed again as it is.

/** The text with its large literal block scalars replaced by placeholders, and their values. */
export interface LiftedText {
  text: string;
  /** values[i] replaces placeholder(i). */
  values: string[];
  /** Offset in `text` of placeholder i. */
  starts: number[];
  /** Offset in the original text minus offset in `text`, for any offset after placeholder i. */
  shifts: number[];
}

/** Blocks with less content than this stay for js-yaml: lifting pays for big ones. */
export const MIN_LIFTED_BLOCK = 512;
const MARK = '\uE000';

/** Placeholder i: a private-use character no lifted file contains, the index, and `{` (an error in a flow collection). */
export function placeholder(i: number): string {
  return `${MARK}${i}{`;
}

/** The index of a placeholder, or -1 for any other string. */
export function placeholderIndex(s: string): number {
  if (s.charCodeAt(0) !== 0xe000 || s.charCodeAt(s.length - 1) !== 0x7b) return -1;
  const digits = s.slice(1, -1);
  return /^\d+$/.test(digits) ? Number(digits) : -1;
}

/** A block header line: indentation, optional `- ` entries, a plain key, `:`, spaces; the header itself follows. */
const HEADER_PREFIX = /^( *)((?:- +)*)[^\s'"#&*!|>%@`{}[\],?:-][^:#\n]*:( +)$/;
/** After `|` or `>`: chomping and indentation indicators, then blanks and an optional comment to the line's end. */
const HEADER_REST = /([-+]?)([1-9]?)([-+]?)(?:[ \t]+(?:#[^\n]*)?)?\n/y;

export function liftBlockScalars(text: string, minBlock = MIN_LIFTED_BLOCK): LiftedText | undefined {
  // A BOM is dropped by js-yaml (it would shift every offset); a private-use MARK in the input could pass for a placeholder.
  if (text.length < minBlock || text.charCodeAt(0) === 0xfeff || text.includes(MARK)) return undefined;
  const pieces: string[] = [];
  const lifted: LiftedText = { text: '', values: [], starts: [], shifts: [] };
  let copied = 0;
  let outLength = 0;
  const indicator = /[|>]/g;
  for (let m = indicator.exec(text); m !== null; m = indicator.exec(text)) {
    const at = m.index;
    HEADER_REST.lastIndex = at + 1;
    const rest = HEADER_REST.exec(text);
    if (rest === null) continue;
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    const prefix = HEADER_PREFIX.exec(text.slice(lineStart, at));
    if (prefix === null) continue;
    const keyColumn = (prefix[1] ?? '').length + (prefix[2] ?? '').length;
    const chomp = (rest[1] || rest[3]) ?? '';
    const explicit = rest[2] ? Number(rest[2]) : 0;
    if (rest[1] && rest[3]) continue; // a repeated indicator: js-yaml's error to report
    const block = readBlock(text, at + 1 + rest[0].length, keyColumn + 1, explicit);
    if (block === undefined) continue;
    // Skip the block's lines either way: a header-like line inside it is content.
    indicator.lastIndex = block.end;
    if (m[0] !== '|' || explicit !== 0 || block.contentEnd - block.contentStart < minBlock || /[\r\u2028\u2029]/.test(text.slice(block.contentStart, block.contentEnd))) continue;
    const i = lifted.values.length;
    lifted.values.push(blockValue(block, chomp));
    pieces.push(text.slice(copied, at));
    outLength += at - copied;
    lifted.starts.push(outLength);
    const mark = placeholder(i);
    pieces.push(mark);
    outLength += mark.length;
    copied = block.contentEnd;
    lifted.shifts.push(copied - outLength);
  }
  if (lifted.values.length === 0) return undefined;
  pieces.push(text.slice(copied));
  lifted.text = pieces.join('');
  return lifted;
}

/** The offset in the original text of an offset in the lifted text outside any placeholder. */
export function originalOffset(lifted: LiftedText, offset: number): number {
  let lo = 0;
  let hi = lifted.starts.length;
  // The last placeholder that starts before `offset`.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((lifted.starts[mid] ?? 0) < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? offset : offset + (lifted.shifts[lo - 1] ?? 0);
}

export interface Block {
  /** The block's lines: from the first line after the header to the end of its last content line (before its line break). */
  contentStart: number;
  contentEnd: number;
  /** Where scanning resumes: the start of the first line after the block (past trailing empty lines). */
  end: number;
  indent: number;
  /** Lines from contentStart to contentEnd, each without its first `indent` characters ('' for empty lines). */
  lines: string[];
  /** Empty lines after the last content line (what `|+` keeps). */
  trailingEmpty: number;
}

/**
 * The extent of a block scalar whose lines start at `from`, as js-yaml's readBlockScalar reads it: `minIndent` is
 * js-yaml's nodeIndent (one more than the key's column). Undefined when js-yaml would do something odd (leading empty
 * lines more indented than the first content line, no content): those blocks stay for js-yaml.
 */
export function readBlock(text: string, from: number, minIndent: number, explicit: number): Block | undefined {
  let indent = explicit > 0 ? minIndent - 1 + explicit : -1;
  let maxLeading = 0;
  let pos = from;
  const lines: string[] = [];
  let empty = 0;
  let contentEnd = -1;
  let pad = '';
  while (pos < text.length) {
    const eol = text.indexOf('\n', pos);
    const lineEnd = eol < 0 ? text.length : eol;
    const next = eol < 0 ? text.length : eol + 1;
    if (indent < 0) {
      // Indentation not yet known: this line's spaces decide it unless the line is empty.
      let n = pos;
      while (text.charCodeAt(n) === 0x20) n++;
      if (n === lineEnd) {
        maxLeading = Math.max(maxLeading, n - pos);
        empty++;
        pos = next;
        continue;
      }
      if (n - pos < minIndent || maxLeading > n - pos) return undefined;
      indent = n - pos;
      pad = ' '.repeat(indent);
    } else if (!text.startsWith(pad, pos)) {
      // Fewer spaces than the indentation: an empty line when only spaces follow, else the block's end.
      let n = pos;
      while (text.charCodeAt(n) === 0x20) n++;
      if (n !== lineEnd) break;
      empty++;
      pos = next;
      continue;
    } else if (pos + indent === lineEnd) {
      empty++;
      pos = next;
      continue;
    }
    for (; empty > 0; empty--) lines.push('');
    lines.push(text.slice(pos + indent, lineEnd));
    contentEnd = lineEnd;
    pos = next;
  }
  if (contentEnd < 0 || indent < 0) return undefined;
  return { contentStart: from, contentEnd, end: pos, indent, lines, trailingEmpty: empty };
}

export function blockValue(block: Block, chomp: string, folded = false): string {
  const body = folded ? foldedBody(block.lines) : block.lines.join('\n');
  if (chomp === '-') return body;
  if (chomp === '+') return body + '\n'.repeat(1 + block.trailingEmpty);
  return `${body}\n`;
}

/**
 * A folded block's lines as js-yaml's readBlockScalar joins them: a line break between two lines becomes a space,
 * empty lines stay line breaks, and lines starting with a blank ("more indented") keep their line breaks.
 */
function foldedBody(lines: readonly string[]): string {
  let out = '';
  let read = false;
  let empty = 0;
  let moreIndented = false;
  for (const line of lines) {
    if (line === '') {
      empty++;
      continue;
    }
    const c = line.charCodeAt(0);
    if (c === 0x20 || c === 0x09) {
      moreIndented = true;
      out += '\n'.repeat(read ? 1 + empty : empty);
    } else if (moreIndented) {
      moreIndented = false;
      out += '\n'.repeat(empty + 1);
    } else if (empty === 0) {
      if (read) out += ' ';
    } else out += '\n'.repeat(empty);
    out += line;
    read = true;
    empty = 0;
  }
  return out;
}
