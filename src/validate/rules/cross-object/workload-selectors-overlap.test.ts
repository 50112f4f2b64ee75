import { describe, expect, it } from 'vitest';
import { workloadSelectorsOverlap } from './workload-selectors-overlap.ts';
import { findingsAt, messages } from './test-support.ts';

const deploy = (name: string, selector: string, labels: string, ns = '') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}${ns ? `, namespace: ${ns}` : ''}}\nspec:\n  selector: ${selector}\n  template:\n    metadata: {labels: ${labels}}\n`;

describe('workload-selectors-overlap', () => {
  it.each([
    { name: 'distinct selectors', yaml: `${deploy('web', '{matchLabels: {app: web}}', '{app: web}')}---\n${deploy('api', '{matchLabels: {app: api}}', '{app: api}')}`, want: [] as string[] },
    {
      name: 'canary shares app: web — the broad selector is flagged',
      yaml: `${deploy('web', '{matchLabels: {app: web}}', '{app: web}')}---\n${deploy('web-canary', '{matchLabels: {app: web, track: canary}}', '{app: web, track: canary}')}`,
      want: ['5:13 warning @{'],
    },
    {
      name: 'both directions',
      yaml: `${deploy('a', '{matchLabels: {app: web}}', '{app: web}')}---\n${deploy('b', '{matchLabels: {app: web}}', '{app: web}')}`,
      want: ['5:13 warning @{', '13:13 warning @{'],
    },
    { name: 'different namespaces', yaml: `${deploy('a', '{matchLabels: {app: web}}', '{app: web}', 'x')}---\n${deploy('b', '{matchLabels: {app: web}}', '{app: web}', 'y')}`, want: [] },
    {
      name: 'matchExpressions NotIn matches pods lacking the key',
      yaml: `${deploy('a', '{matchExpressions: [{key: tier, operator: NotIn, values: [db]}]}', '{tier: web}')}---\n${deploy('b', '{matchLabels: {app: b}}', '{app: b}')}`,
      want: ['5:13 warning @{'],
    },
    { name: 'a bare Pod matching a Deployment is adopted', yaml: `${deploy('web', '{matchLabels: {app: web}}', '{app: web}')}---\napiVersion: v1\nkind: Pod\nmetadata: {name: debug, labels: {app: web}}\n`, want: ['5:13 warning @{'] },
    { name: 'the same object twice is duplicate-object, not an overlap', yaml: `${deploy('web', '{matchLabels: {app: web}}', '{app: web}')}---\n${deploy('web', '{matchLabels: {app: web}}', '{app: web}')}`, want: [] },
  ])('$name', ({ yaml, want }) => {
    expect(findingsAt(workloadSelectorsOverlap, yaml)).toEqual(want);
  });
  it('names the other workload', () => {
    const yaml = `${deploy('web', '{matchLabels: {app: web}}', '{app: web}')}---\n${deploy('web-canary', '{matchLabels: {app: web, track: canary}}', '{app: web, track: canary}')}`;
    expect(messages(workloadSelectorsOverlap, yaml)[0]).toMatch(/Deployment default\/web: selector app=web also matches the pods of Deployment default\/web-canary \(test.yaml:9\)/);
  });
});
