import { describe, expect, it } from 'vitest';
import { pdbSelectsNoPods } from './pdb-selects-no-pods.ts';
import { findingsAt, messages } from './test-support.ts';

const pdb = (selector: string, apiVersion = 'policy/v1') => `apiVersion: ${apiVersion}\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec:\n  minAvailable: 1\n  selector: ${selector}\n`;
const deploy = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: fe}}
`;

describe('pdb-selects-no-pods', () => {
  it.each([
    { name: 'matchLabels matching a template', yaml: `${pdb('{matchLabels: {app: web}}')}---\n${deploy}`, want: [] as string[] },
    { name: 'matchExpressions are evaluated (kube-linter PR #554)', yaml: `${pdb('{matchExpressions: [{key: tier, operator: In, values: [fe, be]}]}')}---\n${deploy}`, want: [] },
    { name: 'no template matches: warning', yaml: `${pdb('{matchLabels: {app: api}}')}---\n${deploy}`, want: ['6:13 warning @{'] },
    { name: 'null selector selects no pods (kube-linter #1041 crashed)', yaml: `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec: {minAvailable: 1}\n---\n${deploy}`, want: ['4:7 warning @{'] },
    { name: '{} selects every pod in the namespace in policy/v1', yaml: `${pdb('{}')}---\n${deploy}`, want: [] },
    { name: '{} selects nothing in policy/v1beta1', yaml: `${pdb('{}', 'policy/v1beta1')}---\n${deploy}`, want: ['6:13 warning @{'] },
    { name: 'no pod templates in the namespace: info', yaml: pdb('{matchLabels: {app: web}}'), want: ['6:13 info @{'] },
    { name: 'matches a template, not a workload selector converted to labels', yaml: `${pdb('{matchLabels: {tier: fe}}')}---\n${deploy}`, want: [] },
  ])('$name', ({ yaml, want }) => {
    expect(findingsAt(pdbSelectsNoPods, yaml)).toEqual(want);
  });
  it('names the closest template', () => {
    expect(messages(pdbSelectsNoPods, `${pdb('{matchLabels: {app: web, tier: be}}')}---\n${deploy}`)[0]).toMatch(/closest: Deployment default\/web \(test.yaml:8\) fails tier=be/);
  });
});
