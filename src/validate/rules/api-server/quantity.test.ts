import { describe, expect, it } from 'vitest';
import { runRuleOn } from '../../../../test/helpers/rule-tester.ts';
import { quantity } from './quantity.ts';

const run = (text: string) => runRuleOn(quantity, text).sort((a, b) => a.line - b.line || a.column - b.column);
function at(text: string, needle: string, nth = 0): { line: number; column: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`${needle} not in test YAML`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, column: (before.at(-1) ?? '').length + 1 };
}
type Expected = [needle: string, message: string, nth?: number];
const expected = (text: string, list: Expected[]) => list.map(([needle, message, nth]) => ({ rule: 'quantity', severity: 'error', ...at(text, needle, nth), message }));

const REGEX = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const container = (resources: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: x\n    resources:\n${resources}`;

const valid: [string, string][] = [
  ['the valid spellings from the brief', container('      requests: {cpu: 500m, memory: 1Gi, ephemeral-storage: 1e3}\n      limits: {cpu: 0.5, memory: "+1"}\n')],
  ['D4: a plain number', 'apiVersion: v1\nkind: LimitRange\nmetadata: {name: l}\nspec:\n  limits:\n  - type: Container\n    max: {memory: 256000, cpu: 2}'],
  ['D6: 100Mi for cpu is syntactically valid', container('      requests: {cpu: 100Mi}\n')],
  ['zero requests are fine', container('      requests: {cpu: "0", memory: 0}\n')],
  ['integral extended resources', container('      limits: {nvidia.com/gpu: 1}\n      requests: {nvidia.com/gpu: "1000m"}\n')],
  ['PVC, quota, emptyDir, HPA', 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 10Gi}}\n---\napiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\nspec:\n  hard: {pods: "10", requests.cpu: "4", count/deployments.apps: 5}\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec:\n  metrics:\n  - type: Pods\n    pods: {metric: {name: x}, target: {type: AverageValue, averageValue: 100m}}'],
  ['D5: a boolean is the schema rule’s finding', container('      limits: {cpu: true}\n')],
];

const invalid: [string, string, Expected[]][] = [
  [
    'D6 and the brief: 1GB, half, 100mi, 1000ms',
    container('      requests: {memory: 1GB, cpu: half}\n      limits: {memory: 100mi, cpu: 1000ms}\n'),
    [
      ['1GB', `spec.containers[0].resources.requests[memory]: Invalid value: "1GB": ${REGEX}`],
      ['half', `spec.containers[0].resources.requests[cpu]: Invalid value: "half": ${REGEX}`],
      ['100mi', `spec.containers[0].resources.limits[memory]: Invalid value: "100mi": unable to parse quantity's suffix`],
      ['1000ms', `spec.containers[0].resources.limits[cpu]: Invalid value: "1000ms": ${REGEX}`],
    ],
  ],
  ['a negative request', container('      requests: {cpu: "-1"}\n'), [['"-1"', 'spec.containers[0].resources.requests[cpu]: Invalid value: "-1": must be greater than or equal to 0']]],
  ['a fractional extended resource', container('      limits: {nvidia.com/gpu: 0.5}\n'), [['0.5', 'spec.containers[0].resources.limits[nvidia.com/gpu]: Invalid value: "500m": must be an integer']]],
  [
    'PVC storage: zero, and a bad limit',
    'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nspec:\n  resources:\n    requests: {storage: "0"}\n    limits: {storage: 10 Gi}',
    [
      ['"0"', 'spec.resources.requests[storage]: Invalid value: "0": must be greater than zero'],
      ['10 Gi', `spec.resources.limits[storage]: Invalid value: "10 Gi": ${REGEX}`],
    ],
  ],
  [
    'emptyDir sizeLimit and a StatefulSet claim template',
    'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n  template:\n    spec:\n      containers: [{name: a, image: x}]\n      volumes: [{name: tmp, emptyDir: {sizeLimit: -1Gi}}]\n  volumeClaimTemplates:\n  - metadata: {name: data}\n    spec: {resources: {requests: {storage: 1Tb}}}',
    [
      ['-1Gi', 'spec.template.spec.volumes[0].emptyDir.sizeLimit: Forbidden: SizeLimit field must be a valid resource quantity'],
      ['1Tb', `spec.volumeClaimTemplates[0].spec.resources.requests[storage]: Invalid value: "1Tb": ${REGEX}`],
    ],
  ],
  [
    'ResourceQuota: negative and fractional counts',
    'apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\nspec:\n  hard: {requests.memory: -1Gi, pods: 1.5}',
    [
      ['-1Gi', 'spec.hard[requests.memory]: Invalid value: "-1Gi": must be greater than or equal to 0'],
      ['1.5', 'spec.hard[pods]: Invalid value: "1500m": must be an integer'],
    ],
  ],
  ['LimitRange values parse', 'apiVersion: v1\nkind: LimitRange\nmetadata: {name: l}\nspec:\n  limits:\n  - type: Container\n    default: {memory: 512MB}', [['512MB', `spec.limits[0].default[memory]: Invalid value: "512MB": ${REGEX}`]]],
  [
    'HPA targets must be positive',
    'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec:\n  metrics:\n  - type: External\n    external: {metric: {name: q}, target: {type: Value, value: "0"}}',
    [['"0"', 'spec.metrics[0].external.target.value: Invalid value: "0": must be positive']],
  ],
  [
    'downward API divisors',
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: x\n    env:\n    - name: MEM\n      valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1MB}}',
    [['1MB', `spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor: Invalid value: "1MB": ${REGEX}`]],
  ],
];

describe('quantity', () => {
  it.each(valid)('valid: %s', (_name, text) => {
    expect(run(text)).toEqual([]);
  });
  it.each(invalid)('invalid: %s', (_name, text, list) => {
    expect(run(text)).toEqual(expected(text, list));
  });
});
