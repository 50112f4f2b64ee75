import { describe, expect, it } from 'vitest';
import { runRuleOn, yaml } from '../../../../test/helpers/rule-tester.ts';
import { objectName } from './object-name.ts';

const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

const f = (line: number, column: number, message: string, severity = 'error') => ({ rule: 'object-name', severity, line, column, message });

const valid: [string, string][] = [
  ['a ConfigMap with a dotted name', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app.config-v2\n  namespace: prod'],
  ['generateName with a trailing dash', 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: pi-\nspec: {}'],
  ['a ClusterRole with colons', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: system:vpa-actor'],
  ['a RoleBinding with capitals and spaces', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: "Team A: readers"\n  namespace: a'],
  ['a Service that is a DNS-1035 label', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api-v2'],
  ['a custom resource with a dotted name', 'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: kube-state-metrics.main'],
  ['a CRD named plural.group', 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  names: {plural: widgets, kind: Widget}'],
  ['a CronJob of exactly 52 characters', `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: ${'c'.repeat(52)}`],
  ['a Job with a long name and a manual selector', `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: ${'j'.repeat(64)}\nspec:\n  manualSelector: true`],
  ['a DaemonSet with dots (no warning for DaemonSets)', 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: node.exporter'],
  ['a kustomization.yaml is not an API object', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]'],
  ['no apiVersion: left to the schema rule', 'kind: ConfigMap\nmetadata:\n  name: Bad_Name'],
];

const invalid: [string, string, ReturnType<typeof f>[]][] = [
  [
    'the example from the docs',
    yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: My_App
    `,
    [f(4, 9, `metadata.name: Invalid value: "My_App": ${SUBDOMAIN}`)],
  ],
  ['G1: x.com^2', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x.com^2', [f(4, 9, `metadata.name: Invalid value: "x.com^2": ${SUBDOMAIN}`)]],
  [
    'G2: a 300-character name',
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${'a'.repeat(300)}`,
    [f(4, 9, `metadata.name: Invalid value: "${'a'.repeat(300)}": must be no more than 253 characters`)],
  ],
  ['G4: a Namespace named .hello', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: .hello', [f(4, 9, `metadata.name: Invalid value: ".hello": ${LABEL}`)]],
  ['a Namespace with dots', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team.a', [f(4, 9, 'metadata.name: Invalid value: "team.a": must not contain dots')]],
  ['G6: a Service named my.svc', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: my.svc', [f(4, 9, `metadata.name: Invalid value: "my.svc": ${DNS1035}`)]],
  ['a Service starting with a digit', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: 2fast', [f(4, 9, `metadata.name: Invalid value: "2fast": ${DNS1035}`)]],
  ['a StatefulSet with dots', 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db.primary', [f(4, 9, 'metadata.name: Invalid value: "db.primary": must not contain dots')]],
  ['RBAC names cannot hold a slash', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: a/b\n  namespace: x', [f(4, 9, `metadata.name: Invalid value: "a/b": may not contain '/'`)]],
  ['RBAC names cannot be ..', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ".."', [f(4, 9, `metadata.name: Invalid value: "..": may not be '..'`)]],
  ['B12: neither name nor generateName', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {a: b}', [f(3, 1, 'metadata.name: Required value: name or generateName is required')]],
  ['no metadata at all', 'apiVersion: v1\nkind: ConfigMap\ndata: {}', [f(1, 1, 'metadata.name: Required value: name or generateName is required')]],
  ['an invalid generateName', 'apiVersion: v1\nkind: Pod\nmetadata:\n  generateName: Web_', [f(4, 17, `metadata.generateName: Invalid value: "Web_": ${SUBDOMAIN}`)]],
  ['a namespace with capitals', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: Prod', [f(5, 14, `metadata.namespace: Invalid value: "Prod": ${LABEL}`)]],
  [
    'a CRD whose name does not match',
    'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widget.example.com\nspec:\n  group: example.com\n  names: {plural: widgets}',
    [f(4, 9, 'metadata.name: Invalid value: "widget.example.com": must be spec.names.plural+"."+spec.group')],
  ],
  [
    'a CronJob over 52 characters',
    `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: ${'c'.repeat(53)}`,
    [f(4, 9, `metadata.name: Invalid value: "${'c'.repeat(53)}": must be no more than 52 characters`)],
  ],
  [
    'a Job over 63 characters',
    `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: ${'j'.repeat(64)}`,
    [
      f(
        4,
        9,
        `metadata.name: Invalid value: "${'j'.repeat(64)}": must be no more than 63 characters (the name becomes the value of the batch.kubernetes.io/job-name label on the pod template, and label values are limited to 63 characters)`,
      ),
    ],
  ],
  [
    'a Deployment with dots gets the API server warning',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web.v2',
    [f(4, 9, 'metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]', 'warning')],
  ],
  [
    'a Pod gets its own wording',
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web.v2',
    [f(4, 9, "metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]", 'warning')],
  ],
  [
    'items of a List are checked one by one',
    'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: ok}\n- apiVersion: v1\n  kind: Service\n  metadata: {name: Not_OK}',
    [f(9, 20, `metadata.name: Invalid value: "Not_OK": ${DNS1035}`)],
  ],
];

describe('object-name', () => {
  it.each(valid)('valid: %s', (_name, text) => {
    expect(runRuleOn(objectName, text)).toEqual([]);
  });
  it.each(invalid)('invalid: %s', (_name, text, expected) => {
    expect(runRuleOn(objectName, text)).toEqual(expected);
  });
});
