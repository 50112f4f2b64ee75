import { describe, expect, it } from 'vitest';
import { runRuleOn } from '../../../../test/helpers/rule-tester.ts';
import type { RunSettings } from '../rule.ts';
import { enumValue } from './enum-value.ts';

const run = (text: string, settings?: Partial<RunSettings>) => runRuleOn(enumValue, text, settings ? { settings } : {}).sort((a, b) => a.line - b.line || a.column - b.column);
/** Line and column of the nth occurrence of `needle`: where the finding must point. */
function at(text: string, needle: string, nth = 0): { line: number; column: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`${needle} not in test YAML`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, column: (before.at(-1) ?? '').length + 1 };
}
type Expected = [needle: string, message: string, nth?: number];
const expected = (text: string, list: Expected[]) => list.map(([needle, message, nth]) => ({ rule: 'enum-value', severity: 'error', ...at(text, needle, nth), message }));

const pod = (body: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n${body}`;

const valid: [string, string, Partial<RunSettings>?][] = [
  [
    'a pod using many enums correctly',
    pod(
      '  restartPolicy: OnFailure\n  dnsPolicy: ClusterFirstWithHostNet\n  os: {name: linux}\n  securityContext: {fsGroupChangePolicy: OnRootMismatch, seccompProfile: {type: RuntimeDefault}}\n  tolerations: [{operator: Exists}, {key: a, operator: Equal, value: b, effect: NoSchedule}]\n  topologySpreadConstraints: [{maxSkew: 1, topologyKey: z, whenUnsatisfiable: ScheduleAnyway}]\n  initContainers: [{name: s, image: x, restartPolicy: Always}]\n  containers:\n  - name: a\n    image: x\n    imagePullPolicy: IfNotPresent\n    terminationMessagePolicy: FallbackToLogsOnError\n    securityContext: {privileged: true}\n    volumeMounts: [{name: v, mountPath: /v, mountPropagation: Bidirectional}]\n    livenessProbe: {httpGet: {port: 80, scheme: HTTPS}}',
    ),
  ],
  ['a Service', 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: LoadBalancer\n  sessionAffinity: ClientIP\n  externalTrafficPolicy: Local\n  ipFamilyPolicy: PreferDualStack\n  ipFamilies: [IPv4, IPv6]'],
  ['a PVC and a StatefulSet', 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nspec:\n  accessModes: [ReadWriteOncePod]\n  volumeMode: Block\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n  podManagementPolicy: Parallel\n  updateStrategy: {type: OnDelete}\n  volumeClaimTemplates: [{metadata: {name: d}, spec: {accessModes: [ReadWriteOnce]}}]'],
  ['an Ingress with path types', 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n  rules:\n  - http:\n      paths: [{path: /, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}]'],
  ['absent fields are defaulted', pod('  containers: [{name: a, image: x}]')],
];

const invalid: [string, string, Expected[], Partial<RunSettings>?][] = [
  [
    'pod and container enums in the wrong case',
    pod('  restartPolicy: always\n  dnsPolicy: clusterFirst\n  containers:\n  - name: a\n    image: x\n    imagePullPolicy: always\n    livenessProbe: {httpGet: {port: 80, scheme: http}}'),
    [
      ['always', 'spec.restartPolicy: Unsupported value: "always": supported values: "Always", "OnFailure", "Never"'],
      ['clusterFirst', 'spec.dnsPolicy: Unsupported value: "clusterFirst": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'],
      ['always', 'spec.containers[0].imagePullPolicy: Unsupported value: "always": supported values: "Always", "IfNotPresent", "Never"', 1],
      ['http}', 'spec.containers[0].livenessProbe.httpGet.scheme: Unsupported value: "http": supported values: "HTTP", "HTTPS"'],
    ],
  ],
  [
    'container restartPolicy: only Always, only on init containers',
    pod('  initContainers: [{name: i, image: x, restartPolicy: OnFailure}]\n  containers: [{name: a, image: x, restartPolicy: Always}]'),
    [
      ['OnFailure', 'spec.initContainers[0].restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
      ['restartPolicy: Always', 'spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers'],
    ],
  ],
  [
    'tolerations and mount propagation',
    pod('  tolerations: [{key: a, operator: equals, effect: NoScheduleNoAdmit}]\n  containers: [{name: a, image: x, volumeMounts: [{name: v, mountPath: /v, mountPropagation: Bidirectional}]}]'),
    [
      ['equals', 'spec.tolerations[0].operator: Unsupported value: "equals": supported values: "Equal", "Exists"'],
      ['NoScheduleNoAdmit', 'spec.tolerations[0].effect: Unsupported value: "NoScheduleNoAdmit": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"'],
      ['Bidirectional', 'spec.containers[0].volumeMounts.mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers'],
    ],
  ],
  ['a Service type', 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: Loadbalancer', [['Loadbalancer', 'spec.type: Unsupported value: "Loadbalancer": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']]],
  [
    'PVC access modes',
    'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nspec:\n  accessModes: [ReadWriteOnce, ReadWriteOncePod, RWX]\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: d}\nspec:\n  volumeMode: filesystem',
    [
      ['[ReadWriteOnce, ReadWriteOncePod', 'spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes'],
      ['RWX', 'spec.accessModes: Unsupported value: "RWX": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"'],
      ['spec:\n  volumeMode', 'spec.accessModes: Required value: at least 1 access mode is required'],
      ['filesystem', 'spec.volumeMode: Unsupported value: "filesystem": supported values: "Block", "Filesystem"'],
    ],
  ],
  [
    'workload strategies',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  strategy: {type: Rolling}\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n  podManagementPolicy: parallel\n  updateStrategy: {type: Recreate}',
    [
      ['Rolling', 'spec.strategy: Unsupported value: "Rolling": supported values: "Recreate", "RollingUpdate"'],
      ['parallel', "spec.podManagementPolicy: Invalid value: \"parallel\": must be 'OrderedReady' or 'Parallel'"],
      ['Recreate', "spec.updateStrategy: Invalid value: \"Recreate\": must be 'RollingUpdate' or 'OnDelete'"],
    ],
  ],
  ['CronJob concurrency', 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  concurrencyPolicy: forbid', [['forbid', 'spec.concurrencyPolicy: Unsupported value: "forbid": supported values: "Allow", "Forbid", "Replace"']]],
  [
    'Ingress path types (an absent one is the schema rule’s finding)',
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n  rules:\n  - http:\n      paths:\n      - {path: /, backend: {service: {name: a, port: {number: 80}}}}\n      - {path: /b, pathType: prefix, backend: {service: {name: a, port: {number: 80}}}}',
    [
      ['prefix', 'spec.rules[0].http.paths[1].pathType: Unsupported value: "prefix": supported values: "Exact", "ImplementationSpecific", "Prefix"'],
    ],
  ],
  ['NetworkPolicy policy types', 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, egress]', [['egress', 'spec.policyTypes: Unsupported value: "egress": supported values: "Ingress", "Egress"']]],
];

describe('enum-value', () => {
  it.each(valid)('valid: %s', (_name, text, settings) => {
    expect(run(text, settings)).toEqual([]);
  });
  it.each(invalid)('invalid: %s', (_name, text, list, settings) => {
    expect(run(text, settings)).toEqual(expected(text, list));
  });
});
