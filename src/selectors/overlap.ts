import { parseInt64, requirementMatches, type Requirement, type Selector } from './selector.ts';

export type Overlap = 'yes' | 'no' | 'maybe';

/**
 * Can one label set satisfy both selectors? Both are conjunctions of per-key requirements, so this is decided
 * key by key: a key's constraints are satisfiable when
 *   - DoesNotExist is present: no In/Equals/Exists/GreaterThan/LessThan on that key (NotIn is satisfied by an absent key);
 *   - otherwise, with In/Equals: some value of the intersection of their value sets, minus every NotIn value,
 *     passes every GreaterThan/LessThan;
 *   - otherwise, with GreaterThan/LessThan: some integer in range has a spelling no NotIn excludes (see integerFits);
 *   - otherwise (only Exists and NotIn): always — there are infinitely many valid label values.
 * The answer is exact ('yes' | 'no') for selectors produced by this library; 'maybe' is reserved for callers that
 * combine it with facts it cannot see.
 */
export function selectorsOverlap(a: Selector, b: Selector): Overlap {
  if (a.nothing || b.nothing) return 'no';
  const byKey = new Map<string, Requirement[]>();
  for (const r of [...a.requirements, ...b.requirements]) {
    const list = byKey.get(r.key);
    if (list) list.push(r);
    else byKey.set(r.key, [r]);
  }
  for (const reqs of byKey.values()) {
    if (!keySatisfiable(reqs)) return 'no';
  }
  return 'yes';
}

const isNumeric = (r: Requirement): boolean => r.operator === 'GreaterThan' || r.operator === 'LessThan';

function keySatisfiable(reqs: readonly Requirement[]): boolean {
  const mustBeAbsent = reqs.some((r) => r.operator === 'DoesNotExist');
  const mustExist = reqs.some((r) => r.operator === 'Exists' || r.operator === 'In' || r.operator === 'Equals' || isNumeric(r));
  if (mustBeAbsent) return !mustExist;
  let allowed: Set<string> | null = null; // null = any value
  for (const r of reqs) {
    if (r.operator !== 'In' && r.operator !== 'Equals') continue;
    const values: readonly string[] = r.values;
    allowed = allowed === null ? new Set(values) : new Set(values.filter((v) => (allowed as Set<string>).has(v)));
  }
  const excluded = new Set(reqs.flatMap((r) => (r.operator === 'NotIn' ? r.values : [])));
  const numeric = reqs.filter(isNumeric);
  if (allowed !== null) {
    const key = reqs[0]?.key ?? '';
    return [...allowed].some((v) => !excluded.has(v) && numeric.every((r) => requirementMatches(r, { [key]: v })));
  }
  return numeric.length === 0 || integerFits(numeric, excluded);
}

/** The longest label value, and so the longest spelling of an integer label value. */
const MAX_LABEL_VALUE = 63;

/**
 * Is there a label value that is an integer within every GreaterThan/LessThan bound and not a NotIn value?
 * A label value starts with a letter or digit, so the integer is 0..2^63-1 written in digits, with any number of
 * leading zeros up to 63 characters: `7`, `07`, … . A NotIn list is finite, so once the range holds more integers
 * than it has values, one of them is free; otherwise count each integer's spellings against the excluded ones.
 */
function integerFits(numeric: readonly Requirement[], excluded: ReadonlySet<string>): boolean {
  let low = 0n;
  let high = 2n ** 63n - 1n;
  for (const r of numeric) {
    const bound = r.values.length === 1 ? parseInt64(r.values[0] as string) : undefined;
    if (bound === undefined) return false;
    if (r.operator === 'GreaterThan' && bound + 1n > low) low = bound + 1n;
    if (r.operator === 'LessThan' && bound - 1n < high) high = bound - 1n;
  }
  if (low > high) return false;
  if (high - low + 1n > BigInt(excluded.size)) return true;
  for (let n = low; n <= high; n++) {
    const digits = n.toString();
    const spellings = MAX_LABEL_VALUE - digits.length + 1;
    const taken = [...excluded].filter((v) => /^[0-9]+$/.test(v) && v.length <= MAX_LABEL_VALUE && BigInt(v) === n).length;
    if (taken < spellings) return true;
  }
  return false;
}
