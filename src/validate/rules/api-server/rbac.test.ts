import { describe, expect, it } from 'vitest';
import { runRuleOn } from '../../../../test/helpers/rule-tester.ts';
import type { RunSettings } from '../rule.ts';
import { rbac } from './rbac.ts';

const run = (text: string, settings?: Partial<RunSettings>) => runRuleOn(rbac, text, settings ? { settings } : {}).sort((a, b) => a.line - b.line || a.column - b.column);
/** Line and column of the nth occurrence of `needle`: where the finding must point. */
function at(text: string, needle: string, nth = 0): { line: number; column: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`${needle} not in test YAML`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, column: (before.at(-1) ?? '').length + 1 };
}
type Expected = [needle: string, message: string, nth?: number];
const expected = (text: string, list: Expected[]) => list.map(([needle, message, nth]) => ({ rule: 'rbac', severity: 'error', ...at(text, needle, nth), message }));

const role = (rules: string, kind = 'ClusterRole') => `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata: {name: r, namespace: n}\nrules:\n${rules}`;
const binding = (body: string, kind = 'ClusterRoleBinding') => `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata: {name: b, namespace: n}\n${body}`;

const valid: [string, string, Partial<RunSettings>?][] = [
  ['resource and non-resource rules', role('- {apiGroups: [""], resources: [pods], verbs: [get, list]}\n- {nonResourceURLs: [/metrics], verbs: [get]}\n- {apiGroups: [apps], resources: [deployments], resourceNames: [web], verbs: ["*"]}')],
  ['an aggregated ClusterRole without rules', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: agg}\naggregationRule: {clusterRoleSelectors: [{matchLabels: {a: b}}]}'],
  [
    'bindings with every subject kind',
    binding('roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:controller:foo}\nsubjects:\n- {kind: ServiceAccount, name: ci, namespace: ci}\n- {kind: User, name: "jane@example.com"}\n- {kind: Group, name: system:masters, apiGroup: rbac.authorization.k8s.io}'),
  ],
  ['a RoleBinding to a Role with a namespace-less ServiceAccount', binding('roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}\nsubjects: [{kind: ServiceAccount, name: default}]', 'RoleBinding')],
];

const invalid: [string, string, Expected[], Partial<RunSettings>?][] = [
  [
    'rules missing verbs, apiGroups, resources',
    role('- {resources: [pods], verbs: []}\n- {apiGroups: [""], verbs: [get]}'),
    [
      ['{resources', 'rules[0].apiGroups: Required value: resource rules must supply at least one api group'],
      ['[]', 'rules[0].verbs: Required value: verbs must contain at least one value'],
      ['{apiGroups', 'rules[1].resources: Required value: resource rules must supply at least one resource'],
    ],
  ],
  [
    'non-resource URLs in a Role, mixed with resources',
    role('- {nonResourceURLs: [/healthz], resources: [pods], verbs: [get]}', 'Role'),
    [
      ['[/healthz]', 'rules[0].nonResourceURLs: Invalid value: ["/healthz"]: namespaced rules cannot apply to non-resource URLs'],
      ['[/healthz]', 'rules[0].nonResourceURLs: Invalid value: ["/healthz"]: rules cannot apply to both regular resources and non-resource URLs'],
    ],
  ],
  [
    'roleRef without apiGroup, a Role in a ClusterRoleBinding, a subject without namespace',
    binding('roleRef: {kind: Role, name: view}\nsubjects:\n- {kind: ServiceAccount, name: ci}\n- {kind: user, name: jane}\n- {kind: ServiceAccount, name: x, namespace: yy, apiGroup: v1}'),
    [
      ['roleRef', 'roleRef.apiGroup: Unsupported value: "": supported values: "rbac.authorization.k8s.io"'],
      ['Role,', 'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"'],
      ['{kind: ServiceAccount, name: ci}', 'subjects[0].namespace: Required value'],
      ['user', 'subjects[1].kind: Unsupported value: "user": supported values: "ServiceAccount", "User", "Group"'],
      ['v1}', 'subjects[2].apiGroup: Unsupported value: "v1": supported values: ""'],
    ],
  ],
  ['a roleRef with an empty name', binding('roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ""}', 'RoleBinding'), [['""', 'roleRef.name: Required value']]],
];

describe('rbac', () => {
  it.each(valid)('valid: %s', (_name, text, settings) => {
    expect(run(text, settings)).toEqual([]);
  });
  it.each(invalid)('invalid: %s', (_name, text, list, settings) => {
    expect(run(text, settings)).toEqual(expected(text, list));
  });
});
