import { describe, expect, it } from 'vitest';
import { runRuleOn, yaml } from '../../../../test/helpers/rule-tester.ts';
import { invalidLabelSelector } from './invalid-label-selector.ts';

const cases: { name: string; yaml: string; want: { line: number; column: number; message: RegExp }[] }[] = [
  {
    name: 'valid selectors everywhere: no finding',
    yaml: yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        selector:
          matchLabels: {app: web}
          matchExpressions: [{key: tier, operator: NotIn, values: [db]}]
        template:
          metadata: {labels: {app: web}}
          spec:
            affinity:
              podAntiAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  - topologyKey: kubernetes.io/hostname
                    labelSelector: {matchLabels: {app: web}}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec: {selector: {app: web}}
    `,
    want: [],
  },
  {
    name: 'lower-case operator in a Deployment',
    yaml: yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        selector:
          matchExpressions:
            - {key: tier, operator: exists}
    `,
    want: [{ line: 7, column: 31, message: /"exists" is not a valid label selector operator/ }],
  },
  {
    name: 'In without values in a PodDisruptionBudget',
    yaml: yaml`
      apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata: {name: p}
      spec:
        selector:
          matchExpressions:
            - key: app
              operator: In
    `,
    want: [{ line: 7, column: 9, message: /values must be specified when operator is 'In'/ }],
  },
  {
    name: 'unquoted boolean in a Service selector (kubernetes #23251)',
    yaml: yaml`
      apiVersion: v1
      kind: Service
      metadata: {name: s}
      spec:
        selector:
          canary: yes
    `,
    want: [{ line: 6, column: 13, message: /must be a string, found boolean true \(quote it/ }],
  },
  {
    name: 'selector written as a plain map on a Deployment',
    yaml: yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        selector:
          app: web
    `,
    want: [{ line: 6, column: 5, message: /did you mean matchLabels/ }],
  },
  {
    name: 'bad key in a NetworkPolicy peer namespaceSelector',
    yaml: yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: np}
      spec:
        podSelector: {}
        ingress:
          - from:
              - namespaceSelector:
                  matchLabels: {"bad key": x}
    `,
    want: [{ line: 9, column: 27, message: /invalid label key "bad key"/ }],
  },
  {
    name: 'Exists with values in a topology spread constraint',
    yaml: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: p}
      spec:
        topologySpreadConstraints:
          - maxSkew: 1
            topologyKey: zone
            whenUnsatisfiable: DoNotSchedule
            labelSelector:
              matchExpressions: [{key: app, operator: Exists, values: [x]}]
    `,
    want: [{ line: 10, column: 65, message: /may not be specified when operator is 'Exists'/ }],
  },
];

describe('invalid-label-selector', () => {
  it.each(cases)('$name', ({ yaml: text, want }) => {
    const got = runRuleOn(invalidLabelSelector, text);
    expect(got.map((f) => ({ line: f.line, column: f.column }))).toEqual(want.map(({ line, column }) => ({ line, column })));
    got.forEach((f, i) => {
      expect(f.severity).toBe('error');
      expect(f.message).toMatch(want[i]?.message ?? /./);
    });
  });
});
