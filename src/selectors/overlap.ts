import type { Requirement, Selector } from './selector.ts';

export type Overlap = 'yes' | 'no' | 'maybe';

/**
 * Can one label set satisfy both selectors? Both are conjunctions of per-key requirements, so this is decided
 * key by key: a key's constraints are satisfiable when
 *   - DoesNotExist is present: no In/Equals/Exists on that key (NotIn is satisfied by an absent key);
 *   - otherwise, with In/Equals: the intersection of their value sets, minus every NotIn value, is non-empty;
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

function keySatisfiable(reqs: readonly Requirement[]): boolean {
  const mustBeAbsent = reqs.some((r) => r.operator === 'DoesNotExist');
  const mustExist = reqs.some((r) => r.operator === 'Exists' || r.operator === 'In' || r.operator === 'Equals');
  if (mustBeAbsent) return !mustExist;
  let allowed: Set<string> | null = null; // null = any value
  for (const r of reqs) {
    if (r.operator !== 'In' && r.operator !== 'Equals') continue;
    const values: readonly string[] = r.values;
    allowed = allowed === null ? new Set(values) : new Set(values.filter((v) => (allowed as Set<string>).has(v)));
  }
  if (allowed === null) return true;
  for (const r of reqs) {
    if (r.operator === 'NotIn') for (const v of r.values) allowed.delete(v);
  }
  return allowed.size > 0;
}
