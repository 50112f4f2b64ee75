import { describe, expect, it } from 'vitest';
import { runRuleOn, yaml } from '../../../../test/helpers/rule-tester.ts';
import { workloadSelectorMismatch } from './workload-selector-mismatch.ts';

const workload = (kind: string, selector: string, labels: string, apiVersion = 'apps/v1'): string => yaml`
  apiVersion: ${apiVersion}
  kind: ${kind}
  metadata: {name: w, labels: {app: w, tier: fe}}
  spec:
    selector: ${selector}
    template:
      metadata: {labels: ${labels}}
`;

const cases: { name: string; yaml: string; want: { line: number; column: number; message?: RegExp }[] }[] = [
  { name: 'matching matchLabels', yaml: workload('Deployment', '{matchLabels: {app: w}}', '{app: w, extra: x}'), want: [] },
  { name: 'matchLabels the template lacks', yaml: workload('Deployment', '{matchLabels: {app: w, tier: fe}}', '{app: w}'), want: [{ line: 5, column: 13, message: /fails tier=fe.*selector does not match template labels/ }] },
  {
    name: 'workload metadata.labels do not count, only template labels (Polaris PR #1027)',
    yaml: workload('StatefulSet', '{matchLabels: {tier: fe}}', '{app: w}'),
    want: [{ line: 5, column: 13, message: /StatefulSet default\/w: selector tier=fe/ }],
  },
  { name: 'matchExpressions In satisfied', yaml: workload('DaemonSet', '{matchExpressions: [{key: app, operator: In, values: [w, v]}]}', '{app: v}'), want: [] },
  { name: 'matchExpressions NotIn violated', yaml: workload('ReplicaSet', '{matchExpressions: [{key: app, operator: NotIn, values: [w]}]}', '{app: w}'), want: [{ line: 5, column: 13, message: /app!=w/ }] },
  { name: 'matchExpressions DoesNotExist on a missing key matches', yaml: workload('Deployment', '{matchLabels: {app: w}, matchExpressions: [{key: legacy, operator: DoesNotExist}]}', '{app: w}'), want: [] },
  {
    name: 'runtime label in the selector is rejected: the template does not carry it',
    yaml: workload('Deployment', '{matchLabels: {app: w, pod-template-hash: abc}}', '{app: w}'),
    want: [{ line: 5, column: 13, message: /fails pod-template-hash=abc/ }],
  },
  { name: 'empty selector {} is left to the api-server rule workload-spec', yaml: workload('Deployment', '{}', '{app: w}'), want: [] },
  { name: 'missing selector is left to schema validation', yaml: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\nspec:\n  template:\n    metadata: {labels: {app: w}}\n', want: [] },
  {
    name: 'extensions/v1beta1 without selector defaults to template labels',
    yaml: 'apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: w}\nspec:\n  template:\n    metadata: {labels: {app: w}}\n',
    want: [],
  },
  {
    name: 'ReplicationController map selector (kube-linter #1188)',
    yaml: 'apiVersion: v1\nkind: ReplicationController\nmetadata: {name: rc}\nspec:\n  selector: {app: rc, tier: x}\n  template:\n    metadata: {labels: {app: rc}}\n',
    want: [{ line: 5, column: 13, message: /fails tier=x/ }],
  },
  { name: 'ReplicationController empty selector defaults to template labels', yaml: 'apiVersion: v1\nkind: ReplicationController\nmetadata: {name: rc}\nspec:\n  template:\n    metadata: {labels: {app: rc}}\n', want: [] },
  {
    name: 'CronJob job template with a manual selector',
    yaml: yaml`
      apiVersion: batch/v1
      kind: CronJob
      metadata: {name: cj}
      spec:
        schedule: "@daily"
        jobTemplate:
          spec:
            manualSelector: true
            selector: {matchLabels: {job: a}}
            template:
              metadata: {labels: {job: b}}
    `,
    want: [{ line: 9, column: 17, message: /CronJob default\/cj: selector job=a/ }],
  },
  { name: 'Job without selector (generated) is fine', yaml: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    metadata: {labels: {x: y}}\n', want: [] },
  { name: 'invalid selectors are left to label-syntax and schema validation', yaml: workload('Deployment', '{matchExpressions: [{key: app, operator: Bogus}]}', '{app: w}'), want: [] },
];

describe('workload-selector-mismatch', () => {
  it.each(cases)('$name', ({ yaml: text, want }) => {
    const got = runRuleOn(workloadSelectorMismatch, text);
    expect(got.map((f) => ({ line: f.line, column: f.column }))).toEqual(want.map(({ line, column }) => ({ line, column })));
    got.forEach((f, i) => {
      expect(f.severity).toBe('error');
      if (want[i]?.message) expect(f.message).toMatch(want[i].message);
    });
  });

  it('configured workload CRDs are checked (Argo Rollout built in)', () => {
    const text = 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\nspec:\n  selector: {matchLabels: {app: r}}\n  template:\n    metadata: {labels: {app: s}}\n';
    expect(runRuleOn(workloadSelectorMismatch, text).map((f) => f.line)).toEqual([5]);
  });
});
