import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../core/types.ts';
import { failedRequirements, matchOutcome, parseLabelSelector, parseSelectorMap, selectorFromMap, selectorsOverlap, type Selector } from './index.ts';

function sel(value: JsonValue | undefined): Selector {
  const r = parseLabelSelector(value);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.selector;
}

describe('parseLabelSelector: null vs {} (apimachinery LabelSelectorAsSelector)', () => {
  it('absent and null select nothing', () => {
    for (const v of [undefined, null]) {
      const s = sel(v);
      expect(s.nothing).toBe(true);
      expect(s.empty).toBe(false);
      expect(s.matches({})).toBe(false);
      expect(s.matches({ app: 'web' })).toBe(false);
    }
  });
  it('{} and empty matchLabels/matchExpressions select everything', () => {
    const values: JsonValue[] = [{}, { matchLabels: {} }, { matchExpressions: [] }, { matchLabels: {}, matchExpressions: [] }, { matchLabels: null }];
    for (const v of values) {
      const s = sel(v);
      expect(s.empty).toBe(true);
      expect(s.nothing).toBe(false);
      expect(s.matches({})).toBe(true);
      expect(s.matches({ x: 'y' })).toBe(true);
      expect(s.toString()).toBe('<everything>');
    }
  });
});

describe('matching', () => {
  const cases: { name: string; selector: JsonValue; labels: Record<string, string>; want: boolean }[] = [
    { name: 'matchLabels equality', selector: { matchLabels: { app: 'web' } }, labels: { app: 'web', tier: 'fe' }, want: true },
    { name: 'matchLabels wrong value', selector: { matchLabels: { app: 'web' } }, labels: { app: 'api' }, want: false },
    { name: 'matchLabels are ANDed (not per key, kube-score #316)', selector: { matchLabels: { app: 'web', tier: 'fe' } }, labels: { app: 'web' }, want: false },
    { name: 'matchLabels AND matchExpressions', selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe'] }] }, labels: { app: 'web', tier: 'be' }, want: false },
    { name: 'In', selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] }, labels: { tier: 'b' }, want: true },
    { name: 'In without the key', selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }] }, labels: {}, want: false },
    { name: 'NotIn with another value', selector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['a'] }] }, labels: { tier: 'b' }, want: true },
    { name: 'NotIn with the value', selector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['a'] }] }, labels: { tier: 'a' }, want: false },
    { name: 'NotIn matches objects lacking the key', selector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['a'] }] }, labels: { app: 'x' }, want: true },
    { name: 'Exists', selector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, labels: { tier: '' }, want: true },
    { name: 'Exists absent', selector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, labels: {}, want: false },
    { name: 'DoesNotExist', selector: { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, labels: { app: 'x' }, want: true },
    { name: 'DoesNotExist present', selector: { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, labels: { tier: 'x' }, want: false },
    { name: 'empty label value matches ""', selector: { matchLabels: { app: '' } }, labels: { app: '' }, want: true },
    { name: 'null matchLabels value means ""', selector: { matchLabels: { app: null } }, labels: { app: '' }, want: true },
  ];
  it.each(cases)('$name', ({ selector, labels, want }) => {
    expect(sel(selector).matches(labels)).toBe(want);
  });
});

describe('validation (metav1validation.ValidateLabelSelector)', () => {
  const cases: { name: string; selector: JsonValue; path: (string | number)[]; message: RegExp }[] = [
    { name: 'bad operator', selector: { matchExpressions: [{ key: 'a', operator: 'in', values: ['x'] }] }, path: ['matchExpressions', 0, 'operator'], message: /"in" is not a valid label selector operator/ },
    { name: 'missing operator', selector: { matchExpressions: [{ key: 'a', values: ['x'] }] }, path: ['matchExpressions', 0, 'operator'], message: /operator is required/ },
    { name: 'In without values', selector: { matchExpressions: [{ key: 'a', operator: 'In' }] }, path: ['matchExpressions', 0, 'values'], message: /must be specified when operator is 'In' or 'NotIn'/ },
    { name: 'NotIn with []', selector: { matchExpressions: [{ key: 'a', operator: 'NotIn', values: [] }] }, path: ['matchExpressions', 0, 'values'], message: /must be specified/ },
    { name: 'Exists with values', selector: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, path: ['matchExpressions', 0, 'values'], message: /may not be specified/ },
    { name: 'bad key', selector: { matchLabels: { 'bad key': 'x' } }, path: ['matchLabels', 'bad key'], message: /invalid label key/ },
    { name: 'bad prefix', selector: { matchExpressions: [{ key: 'Example.com/a', operator: 'Exists' }] }, path: ['matchExpressions', 0, 'key'], message: /prefix part/ },
    { name: 'bad value', selector: { matchLabels: { app: 'web app' } }, path: ['matchLabels', 'app'], message: /invalid label value/ },
    { name: 'value too long', selector: { matchExpressions: [{ key: 'a', operator: 'In', values: ['x'.repeat(64)] }] }, path: ['matchExpressions', 0, 'values', 0], message: /no more than 63/ },
    { name: 'boolean value (unquoted true)', selector: { matchLabels: { canary: true } }, path: ['matchLabels', 'canary'], message: /must be a string.*quote it/ },
    { name: 'number in values', selector: { matchExpressions: [{ key: 'v', operator: 'In', values: [1.1] }] }, path: ['matchExpressions', 0, 'values', 0], message: /must be strings/ },
    { name: 'selector written as a map (forgot matchLabels)', selector: { app: 'web' }, path: ['app'], message: /did you mean matchLabels/ },
    { name: 'not an object', selector: 'app=web', path: [], message: /must be an object/ },
    { name: 'matchExpressions not a list', selector: { matchExpressions: { key: 'a' } }, path: ['matchExpressions'], message: /must be a list/ },
  ];
  it.each(cases)('$name', ({ selector, path, message }) => {
    const r = parseLabelSelector(selector);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path)).toContainEqual(path);
    expect(r.errors.map((e) => e.message).join('\n')).toMatch(message);
  });
});

describe('map selectors (Service spec.selector)', () => {
  it('empty or absent selects nothing — unlike LabelSelector {} (kube-score treats it as everything)', () => {
    expect(selectorFromMap({}).nothing).toBe(true);
    expect(selectorFromMap(undefined).nothing).toBe(true);
    expect(selectorFromMap(null).matches({ app: 'x' })).toBe(false);
    const parsed = parseSelectorMap({});
    expect(parsed.ok && parsed.selector.nothing).toBe(true);
  });
  it('is equality ANDed', () => {
    const s = selectorFromMap({ app: 'web', tier: 'fe' });
    expect(s.matches({ app: 'web', tier: 'fe', x: 'y' })).toBe(true);
    expect(s.matches({ app: 'web' })).toBe(false);
    expect(s.toString()).toBe('app=web,tier=fe');
  });
  it('validates keys and string values', () => {
    const r = parseSelectorMap({ app: true, 'a b': 'x' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.path)).toEqual([['app'], ['a b']]);
  });
});

describe('toString (apimachinery form, sorted by key)', () => {
  it('formats every operator', () => {
    const s = sel({
      matchLabels: { b: '1' },
      matchExpressions: [
        { key: 'a', operator: 'In', values: ['y', 'x'] },
        { key: 'c', operator: 'NotIn', values: ['z', 'w'] },
        { key: 'd', operator: 'Exists' },
        { key: 'e', operator: 'DoesNotExist' },
        { key: 'f', operator: 'NotIn', values: ['q'] },
      ],
    });
    expect(s.toString()).toBe('a in (x,y),b=1,c notin (w,z),d,!e,f!=q');
    expect(sel(null).toString()).toBe('<nothing>');
  });
});

describe('matchOutcome with runtime-injected labels', () => {
  const runtime = new Set(['pod-template-hash', 'statefulset.kubernetes.io/pod-name']);
  it('a requirement on a runtime label is maybe, not no (kube-linter PR #465)', () => {
    expect(matchOutcome(selectorFromMap({ app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-0' }), { app: 'db' }, runtime)).toBe('maybe');
    expect(matchOutcome(sel({ matchExpressions: [{ key: 'pod-template-hash', operator: 'Exists' }] }), {}, runtime)).toBe('yes');
    expect(matchOutcome(sel({ matchExpressions: [{ key: 'pod-template-hash', operator: 'DoesNotExist' }] }), {}, runtime)).toBe('no');
  });
  it('other requirements still decide', () => {
    expect(matchOutcome(selectorFromMap({ app: 'web', 'pod-template-hash': 'abc' }), { app: 'db' }, runtime)).toBe('no');
    expect(matchOutcome(selectorFromMap({ app: 'web' }), { app: 'web' }, runtime)).toBe('yes');
    expect(matchOutcome(selectorFromMap({ 'pod-template-hash': 'abc' }), { app: 'web' })).toBe('no');
  });
});

describe('failedRequirements', () => {
  it('lists what a label set lacks', () => {
    expect(failedRequirements(sel({ matchLabels: { app: 'web', tier: 'fe' } }), { app: 'web' })).toEqual(['tier=fe']);
  });
});

describe('selectorsOverlap', () => {
  const cases: { name: string; a: JsonValue; b: JsonValue; want: 'yes' | 'no' }[] = [
    { name: 'disjoint keys overlap', a: { matchLabels: { app: 'a' } }, b: { matchLabels: { tier: 'b' } }, want: 'yes' },
    { name: 'same key, different values', a: { matchLabels: { app: 'a' } }, b: { matchLabels: { app: 'b' } }, want: 'no' },
    { name: 'a subset of labels', a: { matchLabels: { app: 'a' } }, b: { matchLabels: { app: 'a', x: 'y' } }, want: 'yes' },
    { name: 'DoesNotExist vs a value', a: { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, b: { matchLabels: { app: 'a' } }, want: 'no' },
    { name: 'In intersects', a: { matchExpressions: [{ key: 'app', operator: 'In', values: ['a', 'b'] }] }, b: { matchLabels: { app: 'b' } }, want: 'yes' },
    { name: 'NotIn excludes', a: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['a'] }] }, b: { matchLabels: { app: 'a' } }, want: 'no' },
    { name: 'Exists vs DoesNotExist', a: { matchExpressions: [{ key: 'x', operator: 'Exists' }] }, b: { matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }] }, want: 'no' },
    { name: 'NotIn vs DoesNotExist', a: { matchExpressions: [{ key: 'x', operator: 'NotIn', values: ['1'] }] }, b: { matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }] }, want: 'yes' },
    { name: 'everything overlaps', a: {}, b: { matchLabels: { app: 'a' } }, want: 'yes' },
    { name: 'nothing never overlaps', a: null, b: {}, want: 'no' },
  ];
  it.each(cases)('$name', ({ a, b, want }) => {
    expect(selectorsOverlap(sel(a), sel(b))).toBe(want);
    expect(selectorsOverlap(sel(b), sel(a))).toBe(want);
  });
});
