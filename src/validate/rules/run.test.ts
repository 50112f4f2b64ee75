import { describe, expect, it } from 'vitest';
import { parseText } from '../../manifests/parse.ts';
import type { Manifest } from '../../core/types.ts';
import { perObject, type Rule } from './rule.ts';
import { mergeObjectRuleRuns, type RuleInput, runObjectRules, runRule } from './run.ts';

const manifests = parseText(
  'm.yaml',
  Array.from({ length: 6 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${i}}\ndata: {k: "${i}"}\n`).join('---\n'),
).manifests;
const settings = { kubernetesVersion: '1.36', defaultNamespace: 'default' };
const meta = (id: string, enabledByDefault = true) => ({ id, description: id, defaultSeverity: 'error' as const, enabledByDefault });
const nameOf = (m: Manifest): string => String((m.object.metadata as { name: string }).name);

const rules: Rule[] = [
  perObject(meta('each'), (m, ctx) => ctx.report({ manifest: m, path: ['metadata', 'name'], message: `saw ${nameOf(m)}` })),
  perObject(meta('throws-on-2'), (m, ctx) => {
    if (nameOf(m) === 'cm-2') throw new Error('boom');
    ctx.report({ manifest: m, path: ['data', 'k'], message: `ok ${nameOf(m)}`, severity: 'warning' });
  }),
  { meta: meta('whole'), check: (ctx) => ctx.report({ manifest: ctx.reportedManifests[0] as Manifest, path: [], message: `${ctx.reportedManifests.length} objects` }) },
  perObject(meta('opt-in', false), (m, ctx) => ctx.report({ manifest: m, path: [], message: 'opt-in' })),
  perObject(meta('off'), (m, ctx) => ctx.report({ manifest: m, path: [], message: 'off' })),
];
const config = { 'opt-in': { severity: 'info' as const }, off: { severity: 'off' as const } };
const input = (ms: readonly Manifest[], reportOn: ReadonlySet<string> | null = null): RuleInput => ({ manifests: ms, reportedManifests: ms, reportOn });
const noGraph = () => {
  throw new Error('no graph');
};

describe('runObjectRules', () => {
  it('gives each rule exactly what runRule gives it, object by object', () => {
    const expected = rules.flatMap((r) => {
      const run = runRule(r, input(manifests), settings, config, noGraph);
      return run === undefined ? [] : [{ id: r.meta.id, ...run }];
    });
    const got = runObjectRules(rules, input(manifests), settings, config);
    expect(got).toEqual(expected);
    expect(got.map((r) => r.id)).toEqual(['each', 'throws-on-2', 'whole', 'opt-in']);
    expect(got[1]?.failed).toBe(true);
    expect(got[1]?.findings.map((f) => f.message)).toEqual(['ok cm-0', 'ok cm-1', 'internal error in rule throws-on-2: boom']);
  });

  it('runs over consecutive parts merge into the run over the whole', () => {
    const perRule = rules.filter((r) => r.checkObject !== undefined);
    const whole = mergeObjectRuleRuns([runObjectRules(perRule, input(manifests), settings, config)]);
    for (const cut of [1, 2, 3, 5]) {
      const parts = [manifests.slice(0, cut), manifests.slice(cut)].map((ms) => runObjectRules(perRule, input(ms), settings, config));
      expect(mergeObjectRuleRuns(parts)).toEqual(whole);
    }
  });

  it('a rule asking for the resource graph fails loudly instead of seeing part of the input', () => {
    const greedy = perObject(meta('greedy'), (_m, ctx) => void ctx.graph);
    const [run] = runObjectRules([greedy], input(manifests), settings, {});
    expect(run?.failed).toBe(true);
    expect(run?.findings[0]?.message).toMatch(/asked for the resource graph/);
  });
});
