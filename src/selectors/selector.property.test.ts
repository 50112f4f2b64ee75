// Property tests: the library against a deliberately naive reference model written straight from the
// Kubernetes API documentation, over a small universe of keys and values so that collisions are frequent.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../core/types.ts';
import { matchOutcome, parseLabelSelector, parseSelectorMap, selectorsOverlap, type Selector } from './index.ts';

const KEYS = ['a', 'b', 'example.com/c'] as const;
const VALUES = ['x', 'y', 'z'] as const;
/** 'w' stands for "any value no selector mentions"; undefined = label absent. */
const LABEL_VALUES = [...VALUES, 'w', undefined] as const;

type Expr = { key: string; operator: string; values?: string[] };
interface RawSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Expr[];
}

const key = fc.constantFrom(...KEYS);
const value = fc.constantFrom(...VALUES);
const expr: fc.Arbitrary<Expr> = fc.oneof(
  fc.record({ key, operator: fc.constantFrom('In', 'NotIn'), values: fc.uniqueArray(value, { minLength: 1, maxLength: 3 }) }),
  fc.record({ key, operator: fc.constantFrom('Exists', 'DoesNotExist') }),
);
const rawSelector: fc.Arbitrary<RawSelector | null> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  {
    weight: 9,
    arbitrary: fc.record(
      {
        matchLabels: fc.dictionary(key, value, { maxKeys: 3 }),
        matchExpressions: fc.array(expr, { maxLength: 4 }),
      },
      { requiredKeys: [] },
    ),
  },
);
const labels: fc.Arbitrary<Record<string, string>> = fc
  .tuple(...KEYS.map(() => fc.constantFrom(...LABEL_VALUES)))
  .map((vs) => Object.fromEntries(KEYS.flatMap((k, i) => (vs[i] === undefined ? [] : [[k, vs[i] as string]]))));

/** The reference: the API documentation, read literally. */
function referenceMatches(s: RawSelector | null, l: Record<string, string>): boolean {
  if (s === null) return false; // "A null label selector matches no objects."
  const ml = s.matchLabels ?? {};
  const me = s.matchExpressions ?? [];
  if (Object.keys(ml).length === 0 && me.length === 0) return true; // "An empty label selector matches all objects."
  for (const [k, v] of Object.entries(ml)) if (l[k] !== v) return false;
  for (const e of me) {
    const has = k(l, e.key);
    const vals = e.values ?? [];
    if (e.operator === 'In' && !(has && vals.includes(l[e.key] as string))) return false;
    if (e.operator === 'NotIn' && has && vals.includes(l[e.key] as string)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}
function k(l: Record<string, string>, key: string): boolean {
  return Object.keys(l).includes(key);
}

function parse(s: RawSelector | null): Selector {
  const r = parseLabelSelector(s as JsonValue);
  if (!r.ok) throw new Error(`generated selector did not parse: ${JSON.stringify(r.errors)}`);
  return r.selector;
}

/** Every label set over the universe: enough to decide overlap, since 'w' represents all unmentioned values. */
const allLabelSets: Record<string, string>[] = (() => {
  let sets: Record<string, string>[] = [{}];
  for (const key of KEYS) {
    sets = sets.flatMap((s) => LABEL_VALUES.map((v) => (v === undefined ? s : { ...s, [key]: v })));
  }
  return sets;
})();

describe('selector properties', () => {
  it('matches agrees with the reference model', () => {
    fc.assert(
      fc.property(rawSelector, labels, (s, l) => {
        expect(parse(s).matches(l)).toBe(referenceMatches(s, l));
      }),
      { numRuns: 3000 },
    );
  });

  it('a map selector matches exactly when every entry is equal, and an empty map selects nothing', () => {
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 3 }), labels, (m, l) => {
        const r = parseSelectorMap(m as JsonObject);
        if (!r.ok) throw new Error('map did not parse');
        const want = Object.keys(m).length > 0 && Object.entries(m).every(([mk, v]) => l[mk] === v);
        expect(r.selector.matches(l)).toBe(want);
      }),
      { numRuns: 1000 },
    );
  });

  it('selectorsOverlap is exact: yes iff some label set satisfies both', () => {
    fc.assert(
      fc.property(rawSelector, rawSelector, (a, b) => {
        const want = allLabelSets.some((l) => referenceMatches(a, l) && referenceMatches(b, l)) ? 'yes' : 'no';
        expect(selectorsOverlap(parse(a), parse(b))).toBe(want);
      }),
      { numRuns: 3000 },
    );
  });

  it('selectorsOverlap is symmetric and a selector overlaps itself iff it can match something', () => {
    fc.assert(
      fc.property(rawSelector, rawSelector, (a, b) => {
        const sa = parse(a);
        const sb = parse(b);
        expect(selectorsOverlap(sa, sb)).toBe(selectorsOverlap(sb, sa));
        expect(selectorsOverlap(sa, sa)).toBe(allLabelSets.some((l) => sa.matches(l)) ? 'yes' : 'no');
      }),
    );
  });

  it('matchOutcome without runtime keys is matches(); with them it never says no where some runtime value would match', () => {
    fc.assert(
      fc.property(rawSelector, labels, fc.subarray([...KEYS]), (s, l, runtimeKeys) => {
        const sel = parse(s);
        expect(matchOutcome(sel, l)).toBe(sel.matches(l) ? 'yes' : 'no');
        const runtime = new Set(runtimeKeys.filter((rk) => !(rk in l)));
        // The runtime labels will be present with some value: enumerate them.
        let completions: Record<string, string>[] = [l];
        for (const rk of runtime) completions = completions.flatMap((c) => ['x', 'y', 'z', 'w'].map((v) => ({ ...c, [rk]: v })));
        const results = completions.map((c) => sel.matches(c));
        const outcome = matchOutcome(sel, l, runtime);
        if (results.every(Boolean)) expect(outcome).toBe('yes');
        else if (!results.some(Boolean)) expect(outcome === 'no' || outcome === 'maybe').toBe(true);
        else expect(outcome).toBe('maybe');
        if (outcome === 'yes') expect(results.every(Boolean)).toBe(true);
        if (outcome === 'no') expect(results.some(Boolean)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('parse never throws on arbitrary JSON and either yields a selector or errors with paths', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = parseLabelSelector(v as JsonValue);
        if (!r.ok) expect(r.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });
});
