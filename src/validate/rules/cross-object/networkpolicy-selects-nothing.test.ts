import { describe, expect, it } from 'vitest';
import { networkpolicySelectsNothing } from './networkpolicy-selects-nothing.ts';
import { findingsAt } from './test-support.ts';

const np = (podSelector: string, ns = '') => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np${ns ? `, namespace: ${ns}` : ''}}\nspec:\n  podSelector: ${podSelector}\n  policyTypes: [Ingress]\n`;
const deploy = (ns = '') => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web${ns ? `, namespace: ${ns}` : ''}}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web, tier: fe}}\n`;

describe('networkpolicy-selects-nothing', () => {
  it.each([
    { name: 'selects a template', yaml: `${np('{matchLabels: {app: web}}')}---\n${deploy()}`, want: [] as string[] },
    { name: '{} selects all pods, also with no templates (kube-score #293, #420)', yaml: np('{}'), want: [] },
    { name: 'label typo: warning', yaml: `${np('{matchLabels: {app: wbe}}')}---\n${deploy()}`, want: ['5:16 warning @{'] },
    { name: 'matchExpressions-only selector is evaluated, not "all pods" (checkov #7668)', yaml: `${np('{matchExpressions: [{key: tier, operator: In, values: [db]}]}')}---\n${deploy()}`, want: ['5:16 warning @{'] },
    { name: 'matchExpressions-only selector that matches', yaml: `${np('{matchExpressions: [{key: tier, operator: NotIn, values: [db]}]}')}---\n${deploy()}`, want: [] },
    { name: 'policies only select pods in their own namespace (checkov #7474)', yaml: `${np('{matchLabels: {app: web}}', 'a')}---\n${deploy('b')}---\n${deploy('a').replace('app: web, tier', 'app: other, tier')}`, want: ['5:16 warning @{'] },
    { name: 'no templates in the namespace: info', yaml: np('{matchLabels: {app: web}}'), want: ['5:16 info @{'] },
    { name: 'absent podSelector is {} (all pods)', yaml: `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np}\nspec: {policyTypes: [Ingress]}\n`, want: [] },
  ])('$name', ({ yaml, want }) => {
    expect(findingsAt(networkpolicySelectsNothing, yaml)).toEqual(want);
  });
});
