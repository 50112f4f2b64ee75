import { describe, expect, it } from 'vitest';
import { runRuleOn, yaml } from '../../../../test/helpers/rule-tester.ts';
import { labelSyntax } from './label-syntax.ts';

const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

const run = (text: string) => runRuleOn(labelSyntax, text).sort((a, b) => a.line - b.line || a.column - b.column);
const f = (line: number, column: number, message: string) => ({ rule: 'label-syntax', severity: 'error', line, column, message });

const valid: [string, string][] = [
  [
    'well-known keys and empty values',
    yaml`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: a
        labels:
          app.kubernetes.io/name: web
          kubernetes.io/os: linux
          tier: ""
          Version_1.2: v1.2.3-rc_1
    `,
  ],
  [
    'a Deployment with selectors everywhere',
    yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        selector:
          matchLabels: {app: web}
          matchExpressions:
          - {key: tier, operator: In, values: [frontend, backend]}
          - {key: canary, operator: DoesNotExist}
        template:
          metadata:
            labels: {app: web, tier: frontend}
          spec:
            nodeSelector: {kubernetes.io/arch: amd64}
            affinity:
              podAntiAffinity:
                preferredDuringSchedulingIgnoredDuringExecution:
                - weight: 100
                  podAffinityTerm:
                    topologyKey: kubernetes.io/hostname
                    labelSelector: {matchLabels: {app: web}}
            topologySpreadConstraints:
            - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: web}}}
            containers: [{name: web, image: nginx}]
    `,
  ],
  ['a NetworkPolicy with an empty pod selector', 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: a}\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}'],
  ['non-string values are the schema rule’s business', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: {enabled: true, version: 1.10}'],
  ['a custom resource selector is not guessed at', 'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: a}\nspec:\n  selector: {matchLabels: {"bad key": x}}'],
];

const invalid: [string, string, ReturnType<typeof f>[]][] = [
  [
    'a key with a space and a value that starts with a dash',
    yaml`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: a
        labels:
          app name: web
          version: -beta
    `,
    [f(6, 5, `metadata.labels: Invalid value: "app name": ${NAME_PART}`), f(7, 14, `metadata.labels: Invalid value: "-beta": ${VALUE}`)],
  ],
  ['G3: value _', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: {x: _}', [f(5, 15, `metadata.labels: Invalid value: "_": ${VALUE}`)]],
  [
    'a value over 63 characters',
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n    x: ${'v'.repeat(64)}`,
    [f(6, 8, `metadata.labels: Invalid value: "${'v'.repeat(64)}": must be no more than 63 characters`)],
  ],
  ['an uppercase prefix', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n    Example.com/x: y', [f(6, 5, expect.stringMatching(/^metadata\.labels: Invalid value: "Example\.com\/x": prefix part a lowercase RFC 1123 subdomain/) as unknown as string)]],
  ['an empty prefix', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n    /x: y', [f(6, 5, 'metadata.labels: Invalid value: "/x": prefix part must be non-empty')]],
  [
    'pod template labels',
    'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: a}\nspec:\n  template:\n    metadata:\n      labels: {"a b": c}\n    spec: {}',
    [f(7, 16, `spec.template.labels: Invalid value: "a b": ${NAME_PART}`)],
  ],
  ['Service map selector', 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  selector:\n    app: "web server"', [f(6, 10, `spec.selector: Invalid value: "web server": ${VALUE}`)]],
  [
    'matchLabels of a Deployment',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  selector:\n    matchLabels:\n      app: web/1',
    [f(7, 12, `spec.selector.matchLabels: Invalid value: "web/1": ${VALUE}`)],
  ],
  [
    'matchExpressions operator, values and key',
    yaml`
      apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata: {name: a}
      spec:
        selector:
          matchExpressions:
          - {key: tier, operator: in, values: [web]}
          - {key: tier, operator: In}
          - {key: tier, operator: Exists, values: [web]}
          - {key: "bad key", operator: NotIn, values: ["bad value"]}
    `,
    [
      f(7, 29, 'spec.selector.matchExpressions[0].operator: Invalid value: "in": not a valid selector operator'),
      f(8, 7, "spec.selector.matchExpressions[1].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"),
      f(9, 45, "spec.selector.matchExpressions[2].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
      f(10, 13, `spec.selector.matchExpressions[3].key: Invalid value: "bad key": ${NAME_PART}`),
      f(10, 50, `spec.selector.matchExpressions[3].values[0]: Invalid value: "bad value": ${VALUE}`),
    ],
  ],
  [
    'NetworkPolicy peers and pod nodeSelector in a CronJob',
    yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: a}
      spec:
        podSelector: {}
        egress:
        - to:
          - podSelector: {matchLabels: {"a b": c}}
      ---
      apiVersion: batch/v1
      kind: CronJob
      metadata: {name: a}
      spec:
        jobTemplate:
          metadata:
            labels: {"x y": z}
          spec:
            template:
              spec:
                nodeSelector: {disk: "fast ssd"}
    `,
    [
      f(8, 35, `spec.egress[0].to[0].podSelector.matchLabels: Invalid value: "a b": ${NAME_PART}`),
      f(16, 16, `spec.jobTemplate.metadata.labels: Invalid value: "x y": ${NAME_PART}`),
      f(20, 32, `spec.jobTemplate.spec.template.spec.nodeSelector: Invalid value: "fast ssd": ${VALUE}`),
    ],
  ],
];

describe('label-syntax', () => {
  it.each(valid)('valid: %s', (_name, text) => {
    expect(run(text)).toEqual([]);
  });
  it.each(invalid)('invalid: %s', (_name, text, expected) => {
    expect(run(text)).toEqual(expected);
  });
});
