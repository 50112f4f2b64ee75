import { describe, expect, it } from 'vitest';
import { runRuleOn } from '../../../../test/helpers/rule-tester.ts';
import { resourceRequirements } from './resource-requirements.ts';

const run = (text: string) => runRuleOn(resourceRequirements, text).sort((a, b) => a.line - b.line || a.column - b.column);
function at(text: string, needle: string, nth = 0): { line: number; column: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`${needle} not in test YAML`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, column: (before.at(-1) ?? '').length + 1 };
}
type Expected = [needle: string, message: string, nth?: number];
const expected = (text: string, list: Expected[]) => list.map(([needle, message, nth]) => ({ rule: 'resource-requirements', severity: 'error', ...at(text, needle, nth), message }));

const container = (resources: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: x\n    resources:\n${resources}`;

const valid: [string, string][] = [
  ['requests below limits, in different spellings', container('      requests: {cpu: 500m, memory: 1024Mi, ephemeral-storage: 1G}\n      limits: {cpu: "0.5", memory: 1Gi}\n')],
  ['extended resources and hugepages at their limit', container('      requests: {nvidia.com/gpu: 1, hugepages-2Mi: 4Mi, memory: 1Gi}\n      limits: {nvidia.com/gpu: "1", hugepages-2Mi: 4Mi}\n')],
  ['limits only (requests default to them)', container('      limits: {cpu: 1, example.com/dongle: 2}\n')],
  ['a PVC and a quota', 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nspec:\n  resources: {requests: {storage: 1Gi}}\n---\napiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\nspec:\n  hard: {requests.cpu: 4, limits.memory: 8Gi, pods: 10, count/deployments.apps: 3, gold.storageclass.storage.k8s.io/requests.storage: 1Ti, requests.hugepages-2Mi: 1Gi}'],
  [
    'a consistent LimitRange',
    'apiVersion: v1\nkind: LimitRange\nmetadata: {name: l}\nspec:\n  limits:\n  - type: Container\n    min: {cpu: 100m}\n    defaultRequest: {cpu: 200m}\n    default: {cpu: 500m}\n    max: {cpu: "2"}\n    maxLimitRequestRatio: {cpu: 4}\n  - type: Pod\n    max: {memory: 4Gi}\n  - type: PersistentVolumeClaim\n    min: {storage: 1Gi}',
  ],
  ['unparsable values are the quantity rule’s', container('      requests: {cpu: 2GHz}\n      limits: {cpu: 1}\n')],
];

const invalid: [string, string, Expected[]][] = [
  [
    'request above limit',
    container('      requests: {cpu: "2", memory: 2Gi}\n      limits: {cpu: 1500m, memory: 1Gi}\n'),
    [
      ['"2"', 'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1500m'],
      ['2Gi', 'spec.containers[0].resources.requests: Invalid value: "2Gi": must be less than or equal to memory limit of 1Gi'],
    ],
  ],
  [
    'extended resources must match their limit, and need one',
    container('      requests: {nvidia.com/gpu: 1, example.com/foo: 1}\n      limits: {nvidia.com/gpu: 2}\n'),
    [
      ['1, example', 'spec.containers[0].resources.requests: Invalid value: "1": must be equal to nvidia.com/gpu limit of 2'],
      ['1}', 'spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources'],
    ],
  ],
  [
    'unknown container resource names',
    container('      requests: {storage: 1Gi, gpu: 1, requests.example.com/x: 1}\n'),
    [
      ['storage', 'spec.containers[0].resources.requests[storage]: Invalid value: "storage": must be a standard resource for containers'],
      ['gpu', 'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified'],
      ['gpu', 'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers'],
      ['requests.example.com/x', "spec.containers[0].resources.requests[requests.example.com/x]: Invalid value: \"requests.example.com/x\": doesn't follow extended resource name standard"],
      ['1}', 'spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources'],
    ],
  ],
  ['hugepages alone', container('      limits: {hugepages-2Mi: 2Mi}\n      requests: {hugepages-2Mi: 2Mi}\n'), [['resources', 'spec.containers[0].resources: Forbidden: HugePages require cpu or memory']]],
  [
    'PVCs and claim templates must request storage',
    'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests: {}\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n  volumeClaimTemplates:\n  - metadata: {name: d}\n    spec: {accessModes: [ReadWriteOnce]}',
    [
      ['{}', 'spec.resources[storage]: Required value'],
      ['spec: {accessModes', 'spec.volumeClaimTemplates[0].spec.resources[storage]: Required value'],
    ],
  ],
  ['quota names', 'apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\nspec:\n  hard: {storage: 1Ti}', [['storage', 'spec.hard[storage]: Invalid value: "storage": must be a standard resource for quota']]],
  [
    'LimitRange inconsistencies',
    'apiVersion: v1\nkind: LimitRange\nmetadata: {name: l}\nspec:\n  limits:\n  - type: Container\n    min: {cpu: "1"}\n    max: {cpu: 500m}\n    maxLimitRequestRatio: {memory: 500m}\n  - type: Pod\n    default: {cpu: 1}\n  - type: PersistentVolumeClaim\n  - type: Container',
    [
      ['"1"', 'spec.limits[0].min[cpu]: Invalid value: "1": min value 1 is greater than max value 500m'],
      ['500m}', 'spec.limits[0].maxLimitRequestRatio[memory]: Invalid value: "500m": ratio 500m is less than 1', 1],
      ['default', "spec.limits[1].default: Forbidden: may not be specified when `type` is 'Pod'"],
      ['type: PersistentVolumeClaim', 'spec.limits[2].limits: Required value: either minimum or maximum storage value is required, but neither was provided'],
      ['Container', 'spec.limits[3].type: Duplicate value: "Container"', 1],
    ],
  ],
];

describe('resource-requirements', () => {
  it.each(valid)('valid: %s', (_name, text) => {
    expect(run(text)).toEqual([]);
  });
  it.each(invalid)('invalid: %s', (_name, text, list) => {
    expect(run(text)).toEqual(expected(text, list));
  });
});
