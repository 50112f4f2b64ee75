// The CronJob schedule check of the API server: robfig/cron/v3 ParseStandard (five fields or a
// descriptor), ported for validation only. Messages are the library's, which the server returns verbatim.

interface Bounds {
  min: number;
  max: number;
  names?: Readonly<Record<string, number>>;
}

const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = { min: 1, max: 12, names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 } };
const DOW: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };
const FIELDS = [MINUTES, HOURS, DOM, MONTHS, DOW];

const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
/** Go's strings.Fields separators (unicode.IsSpace). */
const GO_FIELDS = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/** The error robfig/cron's ParseStandard returns for a schedule, or null when it parses. */
export function cronScheduleError(spec: string): string | null {
  if (spec.length === 0) return 'empty spec string';
  let rest = spec;
  if (rest.startsWith('TZ=') || rest.startsWith('CRON_TZ=')) {
    // The location itself is the server's business (and Kubernetes rejects TZ in schedules anyway).
    const space = rest.indexOf(' ');
    if (space === -1) return `provided bad location ${rest.slice(rest.indexOf('=') + 1)}: unknown time zone`;
    rest = rest.slice(space).trim();
  }
  if (rest.startsWith('@')) return descriptorError(rest);
  const fields = rest.split(GO_FIELDS).filter((f) => f.length > 0);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
  for (let i = 0; i < 5; i++) {
    const err = fieldError(fields[i] ?? '', FIELDS[i] as Bounds);
    if (err !== null) return err;
  }
  return null;
}

function descriptorError(spec: string): string | null {
  if (DESCRIPTORS.has(spec)) return null;
  const every = '@every ';
  if (spec.startsWith(every)) {
    const err = durationError(spec.slice(every.length));
    return err === null ? null : `failed to parse duration ${spec}: ${err}`;
  }
  return `unrecognized descriptor: ${spec}`;
}

function fieldError(field: string, bounds: Bounds): string | null {
  for (const expr of field.split(',').filter((r) => r.length > 0)) {
    const err = rangeError(expr, bounds);
    if (err !== null) return err;
  }
  return null;
}

function rangeError(expr: string, r: Bounds): string | null {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = (rangeAndStep[0] ?? '').split('-');
  const single = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = r.min;
    end = r.max;
  } else {
    const s = intOrName(lowAndHigh[0] ?? '', r.names);
    if (typeof s === 'string') return s;
    start = s;
    if (lowAndHigh.length === 1) {
      end = start;
    } else if (lowAndHigh.length === 2) {
      const e = intOrName(lowAndHigh[1] ?? '', r.names);
      if (typeof e === 'string') return e;
      end = e;
    } else {
      return `too many hyphens: ${expr}`;
    }
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    const s = parseNonNegative(rangeAndStep[1] ?? '');
    if (typeof s === 'string') return s;
    step = s;
    if (single) end = r.max; // "N/step" means "N-max/step"
  } else if (rangeAndStep.length > 2) {
    return `too many slashes: ${expr}`;
  }
  if (start < r.min) return `beginning of range (${start}) below minimum (${r.min}): ${expr}`;
  if (end > r.max) return `end of range (${end}) above maximum (${r.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  if (step === 0) return `step of range should be a positive number: ${expr}`;
  return null;
}

function intOrName(expr: string, names: Bounds['names']): number | string {
  const named = names?.[expr.toLowerCase()];
  if (named !== undefined) return named;
  return parseNonNegative(expr);
}

/** strconv.Atoi, then cron's "negative number" check. */
function parseNonNegative(expr: string): number | string {
  if (!/^[+-]?[0-9]+$/.test(expr)) return `failed to parse int from ${expr}: strconv.Atoi: parsing ${goQuote(expr)}: invalid syntax`;
  const n = BigInt(expr);
  if (n > (1n << 63n) - 1n || n < -(1n << 63n)) return `failed to parse int from ${expr}: strconv.Atoi: parsing ${goQuote(expr)}: value out of range`;
  if (n < 0n) return `negative number (${n}) not allowed: ${expr}`;
  // Bounds are tiny; anything beyond them only needs to compare as large.
  return n > 1_000_000n ? 1_000_000 : Number(n);
}

function goQuote(s: string): string {
  return JSON.stringify(s);
}

const UNITS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** time.ParseDuration's error (without the "time: " context being lost), or null when it parses. */
export function durationError(orig: string): string | null {
  const invalid = `time: invalid duration ${goQuote(orig)}`;
  let s = orig;
  if (s.startsWith('-') || s.startsWith('+')) s = s.slice(1);
  if (s === '0') return null;
  if (s === '') return invalid;
  let total = 0;
  while (s !== '') {
    if (!(s[0] === '.' || (s[0] !== undefined && s[0] >= '0' && s[0] <= '9'))) return invalid;
    const m = /^([0-9]*)(\.([0-9]*))?/.exec(s);
    const whole = m?.[1] ?? '';
    const frac = m?.[3];
    if (whole === '' && (frac === undefined || frac === '')) return invalid;
    s = s.slice((m?.[0] ?? '').length);
    const unitMatch = /^[^0-9.]*/.exec(s);
    const unit = unitMatch?.[0] ?? '';
    if (unit === '') return `time: missing unit in duration ${goQuote(orig)}`;
    const scale = UNITS[unit];
    if (scale === undefined) return `time: unknown unit ${goQuote(unit)} in duration ${goQuote(orig)}`;
    s = s.slice(unit.length);
    total += Number(`${whole || '0'}.${frac ?? ''}0`) * scale;
    if (total > 9.223372036854775e18) return invalid;
  }
  return null;
}
