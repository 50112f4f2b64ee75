// Scalar resolution exactly as go-yaml v2 (gopkg.in/yaml.v2 resolve.go, vendored by sigs.k8s.io/yaml) does it when
// Kubernetes decodes YAML into interface{} and converts the result to JSON. Both parse paths (js-yaml for values,
// the `yaml` AST for error reports and positions) resolve scalars here, so they cannot disagree.
//
// go-yaml v2 in brief (resolve.go `resolve`):
//  - the first character picks a hint: sign → S, digit → D, one of yYnNtTfFoO~ → M, '.' → '.', anything else → string;
//  - a fixed table is checked first: YAML 1.1 booleans (y/yes/on/true …, n/no/off/false …), null (`~`, null, empty),
//    .inf/.nan and `<<`;
//  - D and S: timestamps stay text (go-yaml hands interface{} the original string); then, with every `_` removed,
//    strconv.ParseInt(s, 0, 64) (0x, 0o, 0b, leading-0 octal), strconv.ParseUint, a YAML-style float that ParseFloat
//    accepts without overflow, then 0b/-0b binary; otherwise a string;
//  - '.': strconv.ParseFloat of the text as it is (`.5`, `.5e3`); otherwise a string;
//  - no sexagesimal numbers (`10:30` stays text), no timestamps (dates stay text).

/** A float, kept boxed so a mapping key made of it gets go-yaml's text (strconv.FormatFloat(f, 'g', -1, 32)). */
export class GoFloat {
  readonly value: number;
  /** The scalar as written, for messages (".inf"). */
  readonly source: string;
  constructor(value: number, source: string) {
    this.value = value;
    this.source = source;
  }
  get [Symbol.toStringTag](): string {
    return 'GoFloat';
  }
  /** The mapping-key text sigs.k8s.io/yaml gives this float. */
  toString(): string {
    return goFloatKey(this.value);
  }
}

/** An integer outside ±2^53, kept exact for use as a mapping key; its JSON value is the nearest double. */
export class GoBigInt {
  readonly value: bigint;
  constructor(value: bigint) {
    this.value = value;
  }
  get [Symbol.toStringTag](): string {
    return 'GoBigInt';
  }
  toString(): string {
    return this.value.toString();
  }
}

/** A scalar go-yaml refuses (`!!int abc`, bad `!!binary`); the document is then re-read on the error-reporting path. */
export class GoProblem {
  readonly message: string;
  constructor(message: string) {
    this.message = message;
  }
  get [Symbol.toStringTag](): string {
    return 'GoProblem';
  }
}

export type GoScalar = null | boolean | number | string | GoFloat | GoBigInt;

const Hint = { None: 0, Sign: 1, Digit: 2, Map: 3, Dot: 4 } as const;

const hints = new Uint8Array(128);
hints[0x2b] = Hint.Sign;
hints[0x2d] = Hint.Sign;
for (let c = 0x30; c <= 0x39; c++) hints[c] = Hint.Digit;
for (const ch of 'yYnNtTfFoO~') hints[ch.charCodeAt(0)] = Hint.Map;
hints[0x2e] = Hint.Dot;

const MERGE = Symbol('merge');

const table = new Map<string, GoScalar | typeof MERGE>();
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) table.set(s, true);
for (const s of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) table.set(s, false);
for (const s of ['', '~', 'null', 'Null', 'NULL']) table.set(s, null);
for (const s of ['.nan', '.NaN', '.NAN']) table.set(s, new GoFloat(NaN, s));
for (const s of ['.inf', '.Inf', '.INF']) table.set(s, new GoFloat(Infinity, s));
for (const s of ['+.inf', '+.Inf', '+.INF']) table.set(s, new GoFloat(Infinity, s));
for (const s of ['-.inf', '-.Inf', '-.INF']) table.set(s, new GoFloat(-Infinity, s));
table.set('<<', MERGE);

/** `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` — go-yaml's yamlStyleFloat. */
const YAML_STYLE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** What strconv.ParseFloat accepts for text starting with '.' (no underscores without a base prefix). */
const DOT_FLOAT = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/;
const SMALL_DECIMAL = /^[1-9][0-9]{0,14}$/;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);
const SAFE_MIN = -SAFE_MAX;

/** The value go-yaml v2 gives a plain (unquoted, untagged) scalar. */
export function resolvePlain(s: string): GoScalar {
  const hint = s === '' ? Hint.Map : (hints[s.charCodeAt(0)] ?? Hint.None);
  if (hint === Hint.None) return s;
  // The common integers (ports, replicas) without the general machinery.
  if (hint === Hint.Digit && SMALL_DECIMAL.test(s)) return Number(s);
  if (s === '0') return 0;
  const fixed = table.get(s);
  if (fixed !== undefined) return fixed === MERGE ? '<<' : fixed;
  switch (hint) {
    case Hint.Map:
      return s;
    case Hint.Dot:
      return parseGoFloat(s, DOT_FLOAT) ?? s;
    default:
      return resolveNumber(s) ?? s;
  }
}

/** go-yaml's D/S branch: an int, a uint, a float, a 0b binary, or undefined (a string). */
function resolveNumber(s: string): GoScalar | undefined {
  const plain = s.includes('_') ? s.replaceAll('_', '') : s;
  const int = parseGoInt(plain, 0);
  if (int !== undefined) return int;
  const float = parseGoFloat(plain, YAML_STYLE_FLOAT);
  if (float !== undefined) return float;
  if (plain.startsWith('0b')) return parseGoInt(plain.slice(2), 2);
  if (plain.startsWith('-0b')) return parseGoInt(`-${plain.slice(3)}`, 2, true);
  return undefined;
}

function parseGoFloat(text: string, shape: RegExp): GoFloat | undefined {
  if (!shape.test(text)) return undefined;
  const v = Number(text);
  // strconv.ParseFloat reports overflow as an error, and go-yaml then keeps the text.
  return Number.isFinite(v) ? new GoFloat(v, text) : undefined;
}

function digitsValid(digits: string, base: number): boolean {
  if (digits === '') return false;
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x61 + 10 : c >= 0x41 && c <= 0x46 ? c - 0x41 + 10 : 99;
    if (d >= base) return false;
  }
  return true;
}

/**
 * strconv.ParseInt(s, base, 64), falling back to strconv.ParseUint(s, base, 64) as go-yaml does.
 * Base 0 reads Go prefixes: 0x / 0o / 0b, and a leading 0 for octal.
 */
function parseGoInt(s: string, base: number, intOnly = false): number | GoBigInt | undefined {
  let i = 0;
  let sign = '';
  if (s[0] === '+' || s[0] === '-') {
    sign = s[0];
    i = 1;
  }
  let b = base;
  if (b === 0) {
    b = 10;
    if (s[i] === '0' && s.length > i + 1) {
      const p = s[i + 1];
      if (p === 'x' || p === 'X') {
        b = 16;
        i += 2;
      } else if (p === 'b' || p === 'B') {
        b = 2;
        i += 2;
      } else if (p === 'o' || p === 'O') {
        b = 8;
        i += 2;
      } else {
        b = 8;
        i += 1;
      }
    }
  }
  const digits = s.slice(i);
  if (!digitsValid(digits, b)) return undefined;
  const prefix = b === 16 ? '0x' : b === 8 ? '0o' : b === 2 ? '0b' : '';
  let v = BigInt(prefix + digits);
  if (sign === '-') v = -v;
  const fitsInt = v >= INT64_MIN && v <= INT64_MAX;
  // ParseUint takes no sign at all, not even '+'.
  const fitsUint = !intOnly && sign === '' && v >= 0n && v <= UINT64_MAX;
  if (!fitsInt && !fitsUint) return undefined;
  if (v >= SAFE_MIN && v <= SAFE_MAX) return Number(v);
  return new GoBigInt(v);
}

/** The JSON value of a resolved scalar: boxes open up (an integer past 2^53 becomes the nearest double). */
export function goScalarToJson(v: GoScalar): null | boolean | number | string {
  if (v instanceof GoFloat) return v.value;
  if (v instanceof GoBigInt) return Number(v.value);
  return v;
}

export type GoTag = 'str' | 'bool' | 'int' | 'float' | 'null' | 'timestamp' | 'binary';

/** go-yaml's short tags that resolve() handles (plus !!binary, decoded by the caller); others leave the text as it is. */
export function goTagOf(tag: string): GoTag | undefined {
  const short = tag.startsWith('tag:yaml.org,2002:') ? tag.slice(18) : tag.startsWith('!!') ? tag.slice(2) : undefined;
  switch (short) {
    case 'str':
    case 'bool':
    case 'int':
    case 'float':
    case 'null':
    case 'timestamp':
    case 'binary':
      return short;
    default:
      return undefined;
  }
}

function tagOfValue(v: GoScalar): GoTag {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number' || v instanceof GoBigInt) return 'int';
  if (v instanceof GoFloat) return 'float';
  return 'str';
}

const TIMESTAMP_START = /^[0-9]{4}-/;

/**
 * A scalar with an explicit tag (`!!int "0644"`, `!!str 1`, `!!binary …`), as go-yaml resolves it: the text is
 * resolved as a plain scalar and must land on the tag (an int may become a float); !!str takes anything;
 * !!timestamp keeps the text; !!binary decodes base64 into the bytes' text. Tags go-yaml does not resolve
 * (`!foo`, `!!set` on a scalar) leave the text as it is.
 */
export function resolveTagged(tag: string, text: string): GoScalar | GoProblem {
  const t = goTagOf(tag);
  if (t === undefined || t === 'str') return text;
  if (t === 'binary') return decodeBinary(text) ?? new GoProblem('!!binary value contains invalid base64 data');
  const v = resolvePlain(text);
  const got = tagOfValue(v);
  // resolve() reads timestamps for an explicit !!timestamp, and go-yaml hands interface{} the original text.
  if (t === 'timestamp' && got === 'str' && TIMESTAMP_START.test(text) && isGoTimestamp(text)) return text;
  if (got === t) return v;
  if (t === 'float' && got === 'int') return new GoFloat(Number(v instanceof GoBigInt ? v.value : v), text);
  return new GoProblem(`cannot decode !!${got} \`${text}\` as a !!${t}`);
}

/** go-yaml's allowedTimestampFormats, loosely: a date, optionally followed by a time. */
function isGoTimestamp(s: string): boolean {
  return /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]| +)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]*)?(?:Z|[-+][0-9]{2}:[0-9]{2})?)?$/.test(s);
}

/**
 * base64.StdEncoding.DecodeString as go-yaml calls it on a !!binary scalar: padding required, CR and LF ignored,
 * nothing else. The bytes become a Go string, and JSON encoding turns invalid UTF-8 into U+FFFD.
 */
export function decodeBinary(text: string): string | undefined {
  const b64 = text.replace(/[\r\n]/g, '');
  if (b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return undefined;
  return Buffer.from(b64, 'base64').toString('utf8');
}

/**
 * strconv.FormatFloat(f, 'g', -1, 32), with sigs.k8s.io/yaml's spellings of the specials: how a float mapping key
 * is written into JSON (`1e3:` → "1000", `1e6:` → "1e+06", `.5:` → "0.5", `.inf:` → ".inf").
 */
export function goFloatKey(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  const f32 = Math.fround(f);
  if (f32 === Infinity) return '.inf';
  if (f32 === -Infinity) return '-.inf';
  if (f32 === 0) return Object.is(f32, -0) ? '-0' : '0';
  // The shortest decimal that reads back as the same float32.
  let exp = '';
  for (let p = 1; p <= 9; p++) {
    exp = f32.toExponential(p - 1);
    if (Math.fround(Number(exp)) === f32) break;
  }
  const neg = exp.startsWith('-');
  const [mantissa = '', e = '0'] = (neg ? exp.slice(1) : exp).split('e');
  const digits = mantissa.replace('.', '');
  const x = Number(e);
  let out: string;
  if (x < -4 || x >= 6) {
    const rest = digits.slice(1);
    const ax = Math.abs(x);
    out = `${digits[0]}${rest ? `.${rest}` : ''}e${x < 0 ? '-' : '+'}${ax < 10 ? `0${ax}` : ax}`;
  } else if (x < 0) {
    out = `0.${'0'.repeat(-x - 1)}${digits}`;
  } else if (digits.length <= x + 1) {
    out = digits + '0'.repeat(x + 1 - digits.length);
  } else {
    out = `${digits.slice(0, x + 1)}.${digits.slice(x + 1)}`;
  }
  return neg ? `-${out}` : out;
}
