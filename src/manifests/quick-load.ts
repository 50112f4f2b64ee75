import type { JsonObject, JsonValue } from '../core/types.ts';
import { blockValue, readBlock } from './block-scalars.ts';
import type { FastDoc, FastLoad } from './fast-load.ts';
import { GoBigInt, GoFloat, resolvePlain } from './go-yaml-scalars.ts';

// The YAML most manifests are written in — block mappings and sequences, plain and quoted scalars (over one line or
// more), block scalars, comments, `---` between documents — read a line at a time with native string search. It is
// a shortcut in front of fast-load.ts's js-yaml read, not a parser: the moment a text holds anything else (flow
// collections other than `{}` and `[]`, anchors, aliases, tags, comments inside multi-line plain scalars, escaped
// line breaks, escapes JSON lacks, block scalars with an indentation indicator, quoted or non-string keys, merge
// keys, duplicate keys, tabs, CR line breaks, empty documents, directives, anything js-yaml would refuse), it gives
// up and js-yaml reads the whole text as before. What it returns must be exactly what js-yaml with go-yaml's scalar
// rules gives (quick-load.test.ts compares the two).

const GIVE_UP = Symbol('give up');

/** js-yaml refuses a text with any of these anywhere (and the slow path reports it). */
const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;
/** One character class that every text NON_PRINTABLE refuses matches, and that V8 scans several times faster. */
const SUSPECT = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Past this nesting the shortcut gives up (js-yaml has its own limit, and its own error). */
const MAX_DEPTH = 200;

/** What the current line is (QuickReader.kind). */
const Line = { Content: 0, DocumentStart: 1, End: 2 } as const;
type LineKind = (typeof Line)[keyof typeof Line];

const SPACE = 0x20;
const HASH = 0x23;
const DASH = 0x2d;
const COLON = 0x3a;

/** First characters that make a plain scalar or a key something else (indicators), or that the shortcut leaves to js-yaml. */
const SPECIAL_FIRST = new Uint8Array(128);
for (const c of '-?:,[]{}#&*!|>\'"%@`') SPECIAL_FIRST[c.charCodeAt(0)] = 1;
/** Of those, the ones that start a plain scalar when a non-blank follows (`-v`, `:8080`, `?x`). */
const LONE_INDICATOR = new Uint8Array(128);
for (const c of '-?:') LONE_INDICATOR[c.charCodeAt(0)] = 1;
/** The escapes of double-quoted scalars that JSON has too, with the same meaning. */
const JSON_ESCAPES = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/g;

export function quickLoad(text: string): FastLoad | undefined {
  if (text.length === 0 || text.charCodeAt(0) === 0xfeff || text.includes('\r') || (SUSPECT.test(text) && NON_PRINTABLE.test(text))) return undefined;
  try {
    return { ok: true, docs: new QuickReader(text).documents() };
  } catch (err) {
    if (err === GIVE_UP) return undefined;
    throw err;
  }
}

function giveUp(): never {
  throw GIVE_UP;
}

class QuickReader {
  private readonly t: string;
  private readonly n: number;
  /** Start of the current line. */
  private line = 0;
  /** The current content line: what it is, its indentation, where its content starts, where it ends (its \n or n). */
  private kind: LineKind = Line.End;
  private ind = 0;
  private cs = 0;
  private eol = 0;
  /** The next tab at or after `line` (-1: none): a tab outside block scalars is left to js-yaml. */
  private tab: number;
  private depth = 0;

  constructor(text: string) {
    this.t = text;
    this.n = text.length;
    this.tab = text.indexOf('\t');
  }

  documents(): FastDoc[] {
    const docs: FastDoc[] = [];
    this.peek();
    if (this.kind === Line.End) giveUp(); // nothing but comments: js-yaml's business
    for (;;) {
      if (this.kind === Line.DocumentStart) {
        this.markerLine();
        this.next();
      }
      if (this.kind !== Line.Content) giveUp(); // an empty document
      const contentStart = this.cs;
      const value = this.isSequenceLine() ? this.sequence(this.ind) : this.mapping(this.ind, this.cs);
      docs.push({ ok: true, value, contentStart });
      // (Reading the value moved on: `kind` is not what the check above left it.)
      const after = this.kind as LineKind;
      if (after === Line.End) return docs;
      if (after !== Line.DocumentStart) giveUp();
    }
  }

  /** `---` alone on its line, or with a comment. */
  private markerLine(): void {
    let p = this.line + 3;
    while (this.t.charCodeAt(p) === SPACE) p++;
    if (p !== this.eol && !(this.t.charCodeAt(p) === HASH && p > this.line + 3)) giveUp();
  }

  /** Past the current line to the next content line. */
  private next(): void {
    this.line = this.eol + 1;
    this.peek();
  }

  /** From `line`, skip blank and comment lines; describe the content line found (or the end). */
  private peek(): void {
    const { t, n } = this;
    for (;;) {
      if (this.line >= n) {
        this.kind = Line.End;
        return;
      }
      let p = this.line;
      while (t.charCodeAt(p) === SPACE) p++;
      let eol = t.indexOf('\n', p);
      if (eol < 0) eol = n;
      if (this.tab !== -1 && this.tab < this.line) this.tab = t.indexOf('\t', this.line);
      if (this.tab !== -1 && this.tab < eol) giveUp();
      const c = t.charCodeAt(p);
      if (p === eol || c === HASH) {
        this.line = eol + 1;
        continue;
      }
      this.eol = eol;
      this.ind = p - this.line;
      this.cs = p;
      this.kind = Line.Content;
      if (this.ind === 0) {
        if ((c === DASH && t.startsWith('---', p)) || (c === 0x2e && t.startsWith('...', p))) {
          const after = t.charCodeAt(p + 3);
          if (p + 3 === eol || after === SPACE) {
            if (c === 0x2e) giveUp();
            this.kind = Line.DocumentStart;
          }
        } else if (c === 0x25 /* % */) giveUp();
      }
      return;
    }
  }

  private isSequenceLine(): boolean {
    return this.t.charCodeAt(this.cs) === DASH && (this.cs + 1 === this.eol || this.t.charCodeAt(this.cs + 1) === SPACE);
  }

  /** A block mapping whose keys sit at column `indent`; its first key starts at `first` on the current line. */
  private mapping(indent: number, first: number): JsonObject {
    if (++this.depth > MAX_DEPTH) giveUp();
    const { t } = this;
    const obj: JsonObject = {};
    let keyStart = first;
    for (;;) {
      const colon = this.keyColon(keyStart);
      if (colon < 0) giveUp();
      const key = this.key(keyStart, colon);
      if (Object.prototype.hasOwnProperty.call(obj, key)) giveUp(); // js-yaml's error to report
      let v = colon + 1;
      while (t.charCodeAt(v) === SPACE) v++;
      if (v === this.eol || t.charCodeAt(v) === HASH) {
        this.next();
        obj[key] = this.below(indent, true);
      } else obj[key] = this.inline(v, indent);
      if (this.kind !== Line.Content || this.ind < indent) break;
      if (this.ind > indent || this.isSequenceLine()) giveUp();
      keyStart = this.cs;
    }
    this.depth--;
    return obj;
  }

  /** A block sequence whose `-` sit at column `indent`, from the current line. */
  private sequence(indent: number): JsonValue[] {
    if (++this.depth > MAX_DEPTH) giveUp();
    const { t } = this;
    const arr: JsonValue[] = [];
    for (;;) {
      let p = this.cs + 1;
      while (t.charCodeAt(p) === SPACE) p++;
      const c = t.charCodeAt(p);
      if (p === this.eol || (c === HASH && p > this.cs + 1)) {
        this.next();
        const item = this.below(indent, false);
        // js-yaml reads a `-` line after an empty item as this sequence's next item even when it is less indented.
        if (item === null && this.kind === Line.Content && this.ind < indent && this.isSequenceLine()) giveUp();
        arr.push(item);
      } else if (c === DASH && (p + 1 === this.eol || t.charCodeAt(p + 1) === SPACE)) giveUp();
      else if (this.keyColon(p) >= 0) arr.push(this.mapping(p - this.line, p));
      else arr.push(this.inline(p, indent));
      if (this.kind !== Line.Content || this.ind < indent) break;
      if (this.ind > indent) giveUp();
      if (!this.isSequenceLine()) break; // the sequence was a mapping value at the key's column
    }
    this.depth--;
    return arr;
  }

  /** The value of a key (or `-`) with nothing after it on its line: a collection on the lines below, or null. */
  private below(parentIndent: number, sequenceAtSameColumn: boolean): JsonValue {
    if (this.kind !== Line.Content) return null;
    if (this.ind > parentIndent) return this.isSequenceLine() ? this.sequence(this.ind) : this.mapping(this.ind, this.cs);
    if (this.ind === parentIndent && sequenceAtSameColumn && this.isSequenceLine()) return this.sequence(this.ind);
    return null;
  }

  /**
   * A scalar starting at `v` on the current line (a value of a collection at column `indent`), then on to the next
   * content line, which must not be more indented (that would be a continuation js-yaml reads as one scalar).
   */
  private inline(v: number, indent: number): JsonValue {
    const { t } = this;
    const c = t.charCodeAt(v);
    let value: JsonValue;
    if (c === 0x7c /* | */ || c === 0x3e /* > */) return this.block(v, indent, c === 0x3e);
    if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
      value = this.quoted(v, indent, c === 0x22);
    } else if ((c === 0x7b /* { */ && t.charCodeAt(v + 1) === 0x7d) || (c === 0x5b /* [ */ && t.charCodeAt(v + 1) === 0x5d)) {
      this.lineEndsAt(v + 2);
      value = c === 0x7b ? {} : [];
    } else {
      if (c < 128 && SPECIAL_FIRST[c] === 1 && !(LONE_INDICATOR[c] === 1 && t.charCodeAt(v + 1) !== SPACE && v + 1 !== this.eol)) giveUp();
      // To a comment or the line's end, trailing blanks dropped; `a: b` or a trailing `:` inside a value is not a
      // plain scalar (js-yaml refuses, or reads a mapping).
      let end = this.eol;
      let comment = -1;
      for (let i = v; i < end; i++) {
        const ch = t.charCodeAt(i);
        if (ch === SPACE) {
          if (t.charCodeAt(i + 1) === HASH) comment = end = i;
        } else if (ch === COLON && (i + 1 === end || t.charCodeAt(i + 1) === SPACE)) giveUp();
      }
      while (t.charCodeAt(end - 1) === SPACE) end--;
      const s = t.slice(v, end);
      if (comment < 0) return plainValue(this.continued(s, indent));
      value = plainValue(s);
    }
    this.next();
    if (this.kind === Line.Content && this.ind > indent) giveUp();
    return value;
  }

  /**
   * A plain scalar whose first line (`first`, trimmed) is the current line, with the more indented lines after it
   * folded in as js-yaml's readPlainScalar folds them (one line break: a space; n: n - 1 line breaks); then on to
   * the next content line, which must not be more indented than `indent`.
   */
  private continued(first: string, indent: number): string {
    const { t, n } = this;
    let value = first;
    let pos = this.eol + 1;
    let resume = pos;
    let breaks = 1;
    while (pos < n) {
      let p = pos;
      while (t.charCodeAt(p) === SPACE) p++;
      let eol = t.indexOf('\n', p);
      if (eol < 0) eol = n;
      if (p === eol) {
        breaks++;
        pos = eol + 1;
        continue;
      }
      if (p - pos <= indent) break;
      if (this.tab !== -1 && this.tab < pos) this.tab = t.indexOf('\t', pos);
      if (t.charCodeAt(p) === HASH || (this.tab !== -1 && this.tab < eol)) giveUp();
      let part = t.slice(p, eol);
      if (part.includes(': ') || part.includes(' #')) giveUp();
      let end = part.length;
      while (part.charCodeAt(end - 1) === SPACE) end--;
      if (end < part.length) part = part.slice(0, end);
      if (part.charCodeAt(part.length - 1) === COLON) giveUp();
      value += breaks === 1 ? ' ' : '\n'.repeat(breaks - 1);
      value += part;
      breaks = 1;
      pos = eol + 1;
      resume = pos;
    }
    this.line = resume;
    this.peek();
    if (this.kind === Line.Content && this.ind > indent) giveUp();
    return value;
  }

  /**
   * A quoted scalar opening at `v` (double or single quotes), over one line or more: line breaks fold as js-yaml's
   * readDoubleQuotedScalar and readSingleQuotedScalar fold them (blanks around them dropped; one: a space; n: n - 1
   * line breaks). Leaves the current line at the one holding the closing quote, whose end must be blank or a comment.
   */
  private quoted(v: number, indent: number, double: boolean): string {
    const { t, n } = this;
    let out = '';
    let from = v + 1;
    for (;;) {
      const segment = t.slice(from, this.eol);
      const close = double ? closingDoubleQuote(segment) : closingSingleQuote(segment);
      if (close >= 0) {
        out += double ? unescapeDouble(segment.slice(0, close)) : segment.slice(0, close).replaceAll("''", "'");
        this.lineEndsAt(from + close + 1);
        return out;
      }
      // No closing quote on this line: its text without trailing blanks (a backslash before the break escapes it).
      let end = segment.length;
      while (segment.charCodeAt(end - 1) === SPACE) end--;
      const part = segment.slice(0, end);
      if (double && endsInEscape(part)) giveUp();
      out += double ? unescapeDouble(part) : part.replaceAll("''", "'");
      let breaks = 0;
      let pos = this.eol + 1;
      for (;;) {
        if (pos >= n) giveUp(); // unterminated: js-yaml's error
        breaks++;
        let p = pos;
        while (t.charCodeAt(p) === SPACE) p++;
        let eol = t.indexOf('\n', p);
        if (eol < 0) eol = n;
        if (this.tab !== -1 && this.tab < pos) this.tab = t.indexOf('\t', pos);
        if (this.tab !== -1 && this.tab < eol) giveUp();
        if (p === eol) {
          pos = eol + 1;
          continue;
        }
        // js-yaml only warns about a continuation at or left of the collection's column; go-yaml refuses it.
        if (p - pos <= indent) giveUp();
        out += breaks === 1 ? ' ' : '\n'.repeat(breaks - 1);
        this.line = pos;
        this.eol = eol;
        from = p;
        break;
      }
    }
  }

  /** After a quoted scalar or `{}`/`[]` ending at `p`: only blanks and a comment may follow on the line. */
  private lineEndsAt(p: number): void {
    let q = p;
    while (this.t.charCodeAt(q) === SPACE) q++;
    if (q !== this.eol && !(this.t.charCodeAt(q) === HASH && q > p)) giveUp();
  }

  /** A block scalar (literal `|`, or folded `>`) whose indicator is at `v`, the value of a collection at column `indent`. */
  private block(v: number, indent: number, folded: boolean): string {
    const { t } = this;
    let p = v + 1;
    const c = t.charCodeAt(p);
    let chomp = '';
    if (c === DASH || c === 0x2b /* + */) {
      chomp = c === DASH ? '-' : '+';
      p++;
    }
    const q = p;
    while (t.charCodeAt(p) === SPACE) p++;
    if (p !== this.eol && !(t.charCodeAt(p) === HASH && p > q)) giveUp();
    if (this.eol >= this.n) giveUp();
    const block = readBlock(t, this.eol + 1, indent + 1, 0);
    if (block === undefined) giveUp();
    this.line = block.end;
    this.peek();
    if (this.kind === Line.Content && this.ind > indent) giveUp();
    return blockValue(block, chomp, folded);
  }

  /** The `:` that ends the key starting at `p` on the current line (followed by a blank or the line's end), or -1. */
  private keyColon(p: number): number {
    // A character loop within the line: no substring, and an unbounded indexOf would scan the rest of the text.
    const { t, eol } = this;
    for (let i = p; i < eol; i++) {
      const c = t.charCodeAt(i);
      if (c === COLON) {
        if (i + 1 === eol || t.charCodeAt(i + 1) === SPACE) return i;
      } else if (c === HASH && i > p && t.charCodeAt(i - 1) === SPACE) return -1; // a `:` inside a comment is not a key's
    }
    return -1;
  }

  /** A plain key that go-yaml reads as a string; anything else is left to js-yaml. */
  private key(start: number, colon: number): string {
    const { t } = this;
    const c = t.charCodeAt(start);
    if (colon === start || (c < 128 && SPECIAL_FIRST[c] === 1) || t.charCodeAt(colon - 1) === SPACE) giveUp();
    const key = t.slice(start, colon);
    if (key === '__proto__' || key === '<<' || resolvePlain(key) !== key) giveUp();
    return key;
  }
}

/** The closing `"` of a double-quoted scalar in `s` (one after an even number of backslashes), or -1. */
function closingDoubleQuote(s: string): number {
  for (let close = s.indexOf('"'); close >= 0; close = s.indexOf('"', close + 1)) {
    let slashes = 0;
    while (s.charCodeAt(close - 1 - slashes) === 0x5c) slashes++;
    if (slashes % 2 === 0) return close;
  }
  return -1;
}

/** The closing `'` of a single-quoted scalar in `s` (`''` is an escaped quote), or -1. */
function closingSingleQuote(s: string): number {
  let close = s.indexOf("'");
  while (close >= 0 && s.charCodeAt(close + 1) === 0x27) close = s.indexOf("'", close + 2);
  return close;
}

/** Whether `s` ends in an odd number of backslashes. */
function endsInEscape(s: string): boolean {
  let slashes = 0;
  while (s.charCodeAt(s.length - 1 - slashes) === 0x5c) slashes++;
  return slashes % 2 === 1;
}

/** A double-quoted scalar's text: the escapes YAML shares with JSON mean the same in both; any other is left to js-yaml. */
function unescapeDouble(s: string): string {
  if (!s.includes('\\')) return s;
  if (s.replace(JSON_ESCAPES, '').includes('\\')) giveUp();
  return JSON.parse(`"${s}"`) as string;
}

/** A plain scalar's value as fast-load.ts gives it: go-yaml's resolution, floats and big integers unboxed. */
function plainValue(s: string): JsonValue {
  const v = resolvePlain(s);
  if (typeof v !== 'object' || v === null) return v;
  if (v instanceof GoFloat) {
    if (!Number.isFinite(v.value)) giveUp();
    return v.value;
  }
  if (v instanceof GoBigInt) return Number(v.value);
  return giveUp();
}
