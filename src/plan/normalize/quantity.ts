// resource.Quantity canonical text, as the API server prints a Quantity it stored
// (k8s.io/apimachinery/pkg/api/resource CanonicalizeBytes): '0.5' → '500m', '1024Mi' → '1Gi',
// '1000M' → '1G', '1e3' → '1e3', 1 → '1'. The planner compares quantities by this text.
// The shared src/k8s/quantity.ts (written concurrently) has the same contract; this file is the
// planner's own copy so the plan does not depend on its arrival.

const DECIMAL_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_BY_EXP = new Map(Object.entries(DECIMAL_SUFFIX).map(([s, e]) => [e, s]));
const BINARY_BY_EXP = new Map(Object.entries(BINARY_SUFFIX).map(([s, e]) => [e, s]));

type Format = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

interface Parsed {
  /** Value in nano units (×1e9), rounded up away from zero as the API server rounds sub-nano precision. */
  nano: bigint;
  format: Format;
}

const NUMBER = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(.*)$/;

function parse(text: string): Parsed | null {
  const m = NUMBER.exec(text.trim());
  if (!m) return null;
  const [, sign = '', num = '', suffix = ''] = m;
  let format: Format;
  let exp10 = 0;
  let pow1024 = 0;
  if (suffix in DECIMAL_SUFFIX) {
    format = 'DecimalSI';
    exp10 = DECIMAL_SUFFIX[suffix] as number;
  } else if (suffix in BINARY_SUFFIX) {
    format = 'BinarySI';
    pow1024 = BINARY_SUFFIX[suffix] as number;
  } else if (/^[eE][+-]?\d+$/.test(suffix)) {
    format = 'DecimalExponent';
    exp10 = Number(suffix.slice(1));
    if (!Number.isSafeInteger(exp10)) return null;
  } else return null;
  const [intPart = '', fracPart = ''] = num.split('.');
  // value = digits × 10^(exp10 - frac.length) × 1024^pow1024; nano = value × 1e9.
  const digits = BigInt(`${intPart}${fracPart}` || '0');
  const scale = exp10 - fracPart.length + 9;
  const numerator = digits * 1024n ** BigInt(pow1024);
  let nano: bigint;
  if (scale >= 0) nano = numerator * 10n ** BigInt(scale);
  else {
    const div = 10n ** BigInt(-scale);
    nano = numerator / div + (numerator % div === 0n ? 0n : 1n);
  }
  if (sign === '-') nano = -nano;
  return { nano, format };
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

/** Canonical text of a Quantity (string or number), or null when it is not a valid quantity. */
export function canonicalQuantity(value: string | number): string | null {
  let parsed: Parsed | null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    parsed = parse(numberText(value));
  } else parsed = parse(value);
  if (!parsed) return null;
  const { nano } = parsed;
  if (nano === 0n) return '0';
  let format = parsed.format;
  const ONE = 1_000_000_000n;
  if (format === 'BinarySI') {
    if (abs(nano) < 1024n * ONE || nano % ONE !== 0n) format = 'DecimalSI';
  }
  const sign = nano < 0n ? '-' : '';
  const mag = abs(nano);
  if (format === 'BinarySI') {
    let m = mag / ONE;
    let e = 0;
    while (e < 6 && m % 1024n === 0n) {
      m /= 1024n;
      e++;
    }
    return `${sign}${m}${BINARY_BY_EXP.get(e) ?? ''}`;
  }
  // Decimal: integer mantissa, exponent a multiple of 3 from -9 up.
  let m = mag;
  let e = -9;
  while (m % 1000n === 0n && (format === 'DecimalExponent' || e < 18)) {
    m /= 1000n;
    e += 3;
  }
  if (format === 'DecimalExponent') return e === 0 ? `${sign}${m}` : `${sign}${m}e${e}`;
  return `${sign}${m}${DECIMAL_BY_EXP.get(e) ?? ''}`;
}

function numberText(n: number): string {
  // Avoid exponent notation from Number#toString for small/large numbers.
  if (Number.isInteger(n)) return BigInt(n).toString();
  const s = n.toString();
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

/** True when two quantities are the same value (by canonical text), or are equal as given. */
export function sameQuantity(a: string | number, b: string | number): boolean {
  const ca = canonicalQuantity(a);
  return ca !== null && ca === canonicalQuantity(b);
}

/** Compare numerically; null when either is invalid. */
export function compareQuantity(a: string | number, b: string | number): number | null {
  const pa = parse(typeof a === 'number' ? numberText(a) : a);
  const pb = parse(typeof b === 'number' ? numberText(b) : b);
  if (!pa || !pb) return null;
  return pa.nano === pb.nano ? 0 : pa.nano < pb.nano ? -1 : 1;
}
