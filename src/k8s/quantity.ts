// A port of k8s.io/apimachinery/pkg/api/resource.Quantity: parsing (ParseQuantity as reached through
// UnmarshalJSON), the canonical string the API server stores and serves (String / CanonicalizeBytes),
// and exact comparison (Cmp). Values are exact: a bigint mantissa with a base-10 exponent, never a float.
//
// Go quirks kept on purpose, because the planner must predict what the server will serve:
// - input that is already canonical is served verbatim, including a leading "+" or leading zeros when the
//   fast int64 path took it ("+1" stays "+1", "1.500" stays "1.500", "05Mi" stays "05Mi");
// - values with more than 9 decimal places round up (away from zero) to the nanounit ("0.1n" is "1n");
// - BinarySI values are capped at 2^63-1, and a BinarySI value between 0 and 1 becomes DecimalSI;
// - a DecimalSI value whose canonical exponent is above 18 has no suffix to name it and Go prints the bare
//   mantissa ("1000E" is served as "1"): a real server bug, reproduced rather than fixed.

export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

export interface Quantity {
  /** The value is exactly `mantissa × 10^exponent`. */
  readonly mantissa: bigint;
  readonly exponent: number;
  /** The suffix family the value was written in; it decides the canonical spelling. */
  readonly format: QuantityFormat;
  /** Set when the input was already canonical: Go keeps that string and serves it unchanged. */
  readonly cached?: string;
}

export type QuantityError = 'format' | 'numeric' | 'suffix';

/** The regular expression Go's ErrFormatWrong quotes. */
export const QUANTITY_REGEX = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';

/** The messages of Go's ErrFormatWrong, ErrNumeric and ErrSuffix. */
export const QUANTITY_ERROR_MESSAGES: Readonly<Record<QuantityError, string>> = {
  format: `quantities must match the regular expression '${QUANTITY_REGEX}'`,
  numeric: 'unable to parse numeric part of quantity',
  suffix: "unable to parse quantity's suffix",
};

export type QuantityParseResult = { ok: true; quantity: Quantity } | { ok: false; error: QuantityError; message: string };

const MAX_INT64 = (1n << 63n) - 1n;
const NANO = -9;
/** Go's maxInt64Factors: decimal digits that always fit the int64 fast path. */
const MAX_INT64_FACTORS = 18;

const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SUFFIX_OF_EXPONENT = new Map<number, string>(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_SUFFIX_OF_POWER = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const SUFFIX_CHARS = 'eEinumkKMGTP';

/** Go's strings.TrimSpace set (unicode.IsSpace), which differs from String.prototype.trim at U+0085 and U+FEFF. */
const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

const wrap32 = (n: number): number => n | 0;
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * Parse a quantity as the API server decodes it from JSON: a string (surrounding whitespace ignored) or a
 * number (YAML `cpu: 0.5` reaches the server as the JSON number 0.5). Returns null when the server rejects it.
 */
export function parseQuantity(text: string | number): Quantity | null {
  const r = parseQuantityDetailed(text);
  return r.ok ? r.quantity : null;
}

/** parseQuantity with the reason for a rejection (Go's ErrFormatWrong / ErrNumeric / ErrSuffix). */
export function parseQuantityDetailed(text: string | number): QuantityParseResult {
  if (typeof text === 'number') {
    if (!Number.isFinite(text)) return fail('format');
    return parseGo(String(text));
  }
  return parseGo(text.replace(GO_SPACE, ''));
}

function fail(error: QuantityError): QuantityParseResult {
  return { ok: false, error, message: QUANTITY_ERROR_MESSAGES[error] };
}

interface Scanned {
  positive: boolean;
  value: string;
  num: string;
  denom: string;
  suffix: string;
}

/** Go's parseQuantityString: a permissive scanner; the suffix is checked later. */
function scan(str: string): Scanned | null {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (pos < end) {
    if (str[0] === '-') {
      positive = false;
      pos++;
    } else if (str[0] === '+') {
      pos++;
    }
  }
  // strip leading zeros
  for (let i = pos; ; i++) {
    if (i >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
    if (str[i] === '0') pos++;
    else break;
  }
  // the numerator
  let num = '';
  for (let i = pos; ; i++) {
    if (i >= end) return { positive, value: str.slice(0, end), num: str.slice(pos, end), denom: '', suffix: '' };
    if (!isDigit(str[i])) {
      num = str.slice(pos, i);
      pos = i;
      break;
    }
  }
  if (num.length === 0) num = '0';
  // the denominator
  let denom = '';
  if (pos < end && str[pos] === '.') {
    pos++;
    for (let i = pos; ; i++) {
      if (i >= end) return { positive, value: str.slice(0, end), num, denom: str.slice(pos, end), suffix: '' };
      if (!isDigit(str[i])) {
        denom = str.slice(pos, i);
        pos = i;
        break;
      }
    }
  }
  const value = str.slice(0, pos);
  // the suffix: letters, an optional sign, digits
  const suffixStart = pos;
  for (let i = pos; ; i++) {
    if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart, end) };
    if (!SUFFIX_CHARS.includes(str[i] ?? '')) {
      pos = i;
      break;
    }
  }
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  for (let i = pos; ; i++) {
    if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart, end) };
    if (!isDigit(str[i])) break;
  }
  return null;
}

interface Interpreted {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

function interpretSuffix(suffix: string): Interpreted | null {
  const dec = DECIMAL_SUFFIXES[suffix];
  if (dec !== undefined) return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = BINARY_SUFFIXES[suffix];
  if (bin !== undefined) return { base: 2, exponent: bin, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    // strconv.ParseInt(s, 10, 64), then a plain int32 conversion (which wraps, as Go's does).
    const digits = suffix.slice(1);
    if (!/^[+-]?[0-9]+$/.test(digits)) return null;
    const parsed = BigInt(digits);
    if (parsed > MAX_INT64 || parsed < -MAX_INT64 - 1n) return null;
    return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: 'DecimalExponent' };
  }
  return null;
}

function parseGo(str: string): QuantityParseResult {
  if (str.length === 0) return fail('format');
  if (str === '0') return { ok: true, quantity: { mantissa: 0n, exponent: 0, format: 'DecimalSI', cached: '0' } };
  const s = scan(str);
  if (s === null) return fail('format');
  const interpreted = interpretSuffix(s.suffix);
  if (interpreted === null) return fail('suffix');
  const { base, exponent } = interpreted;
  let format = interpreted.format;

  // The int64 fast path, taken when the digits surely fit; it decides whether the input string is kept.
  let precision = 0;
  let scale = 0;
  let multiplier = 1n;
  if (format === 'BinarySI') {
    if (exponent >= 0 && s.denom.length === 0) {
      multiplier = 1n << BigInt(exponent);
      precision = 15 - s.num.length - Math.trunc((exponent * 3) / 10) - 1;
    } else {
      precision = -1;
    }
  } else {
    scale = exponent;
    precision = MAX_INT64_FACTORS - (s.num.length + s.denom.length);
  }
  if (precision >= 0) {
    scale = wrap32(scale - s.denom.length);
    if (scale >= NANO) {
      const shifted = s.num + s.denom;
      const value = BigInt(shifted);
      const product = value * multiplier;
      if (product <= MAX_INT64) {
        const mantissa = s.positive ? product : -product;
        const canonical =
          format === 'BinarySI'
            ? exponent % 10 === 0 && (value & 7n) !== 0n
            : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
        const quantity: Quantity = canonical ? { mantissa, exponent: scale, format, cached: str } : { mantissa, exponent: scale, format };
        return { ok: true, quantity };
      }
    }
  }

  // The inf.Dec path: exact decimal arithmetic, then rounding up to the nanounit and capping.
  const dec = parseInfDec(s.value);
  if (dec === null) return fail('numeric');
  let unscaled = dec.unscaled;
  let infScale = dec.scale;
  if (base === 10) {
    infScale = wrap32(infScale + wrap32(-exponent));
  } else {
    unscaled *= 1n << BigInt(exponent);
  }
  const negative = unscaled < 0n;
  if (negative) unscaled = -unscaled;
  if (unscaled !== 0n && infScale > -NANO) {
    unscaled = divideRoundingUp(unscaled, infScale - -NANO);
    infScale = -NANO;
  }
  let mantissa = unscaled;
  let exp = -infScale;
  if (format === 'BinarySI' && compareMagnitude(mantissa, exp, MAX_INT64, 0) > 0) {
    mantissa = MAX_INT64;
    exp = 0;
  }
  if (format === 'BinarySI' && mantissa !== 0n && compareMagnitude(mantissa, exp, 1n, 0) < 0) format = 'DecimalSI';
  return { ok: true, quantity: { mantissa: negative ? -mantissa : mantissa, exponent: exp, format } };
}

/** inf.Dec.SetString: an optional sign, digits with at most one '.', nothing else; at least one digit. */
function parseInfDec(value: string): { unscaled: bigint; scale: number } | null {
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?$/.exec(value);
  if (!m) return null;
  const intPart = m[2] ?? '';
  const frac = m[3] ?? '';
  if (intPart.length + frac.length === 0) return null;
  const digits = BigInt(intPart + frac);
  return { unscaled: m[1] === '-' ? -digits : digits, scale: frac.length };
}

/** ceil(n / 10^k) for n > 0 and k > 0, without building 10^k when it would dwarf n. */
function divideRoundingUp(n: bigint, k: number): bigint {
  if (k >= n.toString().length) return 1n;
  const d = 10n ** BigInt(k);
  const q = n / d;
  return q * d === n ? q : q + 1n;
}

/** Compare |a|·10^ea with |b|·10^eb exactly; mantissas are taken as magnitudes. */
function compareMagnitude(a: bigint, ea: number, b: bigint, eb: number): number {
  const ma = a < 0n ? -a : a;
  const mb = b < 0n ? -b : b;
  if (ma === 0n || mb === 0n) return ma === mb ? 0 : ma === 0n ? -1 : 1;
  // Order of magnitude first: the number has digits+exponent digits before the point.
  const oa = ma.toString().length + ea;
  const ob = mb.toString().length + eb;
  if (oa !== ob) return oa < ob ? -1 : 1;
  // Same magnitude: aligning costs at most the digit counts.
  const shift = ea - eb;
  const x = shift >= 0 ? ma * 10n ** BigInt(shift) : ma;
  const y = shift < 0 ? mb * 10n ** BigInt(-shift) : mb;
  return x === y ? 0 : x < y ? -1 : 1;
}

function sign(n: bigint): number {
  return n === 0n ? 0 : n < 0n ? -1 : 1;
}

/** Exact comparison of two quantities (Go's Quantity.Cmp); strings and numbers are parsed first (a RangeError if invalid). */
export function compareQuantities(a: Quantity | string | number, b: Quantity | string | number): number {
  const qa = toQuantity(a);
  const qb = toQuantity(b);
  const sa = sign(qa.mantissa);
  const sb = sign(qb.mantissa);
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (sa === 0) return 0;
  const m = compareMagnitude(qa.mantissa, qa.exponent, qb.mantissa, qb.exponent);
  return sa < 0 ? -m : m;
}

function toQuantity(q: Quantity | string | number): Quantity {
  if (typeof q === 'object') return q;
  const parsed = parseQuantity(q);
  if (parsed === null) throw new RangeError(`not a valid quantity: ${JSON.stringify(q)}`);
  return parsed;
}

/** The sign of a quantity: -1, 0 or 1. */
export function quantitySign(q: Quantity): number {
  return sign(q.mantissa);
}

/** ceil(q × 10^-scale) away from zero, as Go's ScaledValue (e.g. scale -3 gives MilliValue). */
export function scaledValue(q: Quantity, scale: number): bigint {
  const e = q.exponent - scale;
  if (e >= 0) return q.mantissa * 10n ** BigInt(e);
  const negative = q.mantissa < 0n;
  const m = negative ? -q.mantissa : q.mantissa;
  if (m === 0n) return 0n;
  const r = divideRoundingUp(m, -e);
  return negative ? -r : r;
}

/** Strip factors of ten from the mantissa into the exponent. */
function normalize(mantissa: bigint, exponent: number): { mantissa: bigint; exponent: number } {
  let m = mantissa;
  let e = exponent;
  while (m !== 0n && m % 10n === 0n) {
    m /= 10n;
    e++;
  }
  return { mantissa: m, exponent: e };
}

/** The string Go's Quantity.String() produces: what the API server stores and serves. */
export function formatQuantity(q: Quantity): string {
  if (q.cached !== undefined) return q.cached;
  if (q.mantissa === 0n) return '0';
  let format = q.format;
  let integral: bigint | null = null;
  if (format === 'BinarySI') {
    if (compareMagnitude(q.mantissa, q.exponent, 1024n, 0) < 0) {
      format = 'DecimalSI';
    } else {
      const rounded = scaledValue(q, 0);
      if (compareQuantities(q, { mantissa: rounded, exponent: 0, format: 'DecimalSI' }) !== 0) format = 'DecimalSI';
      else integral = rounded;
    }
  }
  if (format === 'BinarySI' && integral !== null) {
    const negative = integral < 0n;
    let m = negative ? -integral : integral;
    let power = 0;
    while (m >= 1024n && m % 1024n === 0n) {
      m /= 1024n;
      power++;
    }
    return `${negative ? '-' : ''}${m}${BINARY_SUFFIX_OF_POWER[power] ?? ''}`;
  }
  let { mantissa, exponent } = normalize(q.mantissa, q.exponent);
  // Lower the exponent to a multiple of three (Go's % truncates, as JavaScript's does).
  while (exponent % 3 !== 0) {
    mantissa *= 10n;
    exponent--;
  }
  if (format === 'DecimalExponent') return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  return `${mantissa}${DECIMAL_SUFFIX_OF_EXPONENT.get(exponent) ?? ''}`;
}

/** The string the API server would store and serve for this input, or null when it rejects the input. */
export function canonicalQuantity(text: string | number): string | null {
  const q = parseQuantity(text);
  return q === null ? null : formatQuantity(q);
}
