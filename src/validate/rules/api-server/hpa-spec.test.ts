import { describe, expect, it } from 'vitest';
import { runRuleOn } from '../../../../test/helpers/rule-tester.ts';
import type { RunSettings } from '../rule.ts';
import { hpaSpec } from './hpa-spec.ts';

const run = (text: string, settings?: Partial<RunSettings>) => runRuleOn(hpaSpec, text, settings ? { settings } : {}).sort((a, b) => a.line - b.line || a.column - b.column);
/** Line and column of the nth occurrence of `needle`: where the finding must point. */
function at(text: string, needle: string, nth = 0): { line: number; column: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`${needle} not in test YAML`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, column: (before.at(-1) ?? '').length + 1 };
}
type Expected = [needle: string, message: string, nth?: number];
const expected = (text: string, list: Expected[]) => list.map(([needle, message, nth]) => ({ rule: 'hpa-spec', severity: 'error', ...at(text, needle, nth), message }));

const hpa = (spec: string, apiVersion = 'autoscaling/v2') => `apiVersion: ${apiVersion}\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n${spec}`;

const valid: [string, string, Partial<RunSettings>?][] = [
  ['a v2 HPA', hpa('  minReplicas: 2\n  maxReplicas: 10\n  metrics:\n  - type: Resource\n    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}\n  - type: Pods\n    pods: {metric: {name: rps}, target: {type: AverageValue, averageValue: "100"}}')],
  ['a v1 HPA', hpa('  maxReplicas: 3\n  targetCPUUtilizationPercentage: 80', 'autoscaling/v1')],
  ['min equal to max', hpa('  minReplicas: 3\n  maxReplicas: 3')],
];

const invalid: [string, string, Expected[], Partial<RunSettings>?][] = [
  [
    'replica bounds',
    hpa('  minReplicas: 0\n  maxReplicas: 0') + '\n---\n' + hpa('  minReplicas: 5\n  maxReplicas: 3'),
    [
      ['0\n', 'spec.minReplicas: Invalid value: 0: must be greater than or equal to 1'],
      ['0\n---', 'spec.maxReplicas: Invalid value: 0: must be greater than 0'],
      ['3', 'spec.maxReplicas: Invalid value: 3: must be greater than or equal to `minReplicas`'],
    ],
  ],
  [
    'metric and target types, utilization',
    hpa('  maxReplicas: 3\n  metrics:\n  - type: Cpu\n  - type: Resource\n    resource: {name: cpu, target: {type: Percent, averageUtilization: 0}}'),
    [
      ['Cpu', 'spec.metrics[0].type: Unsupported value: "Cpu": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"'],
      ['Percent', 'spec.metrics[1].resource.target.type: Unsupported value: "Percent": supported values: "AverageValue", "Utilization", "Value"'],
      ['0}}', 'spec.metrics[1].resource.target.averageUtilization: Invalid value: 0: must be greater than 0'],
    ],
  ],
  ['a v1 target of 0%', hpa('  maxReplicas: 3\n  targetCPUUtilizationPercentage: 0', 'autoscaling/v1'), [['0', 'spec.targetCPUUtilizationPercentage: Invalid value: 0: must be greater than 0']]],
  ['a target name with a slash', hpa('  maxReplicas: 3').replace('name: web', 'name: apps/web'), [['apps/web', "spec.scaleTargetRef.name: Invalid value: \"apps/web\": may not contain '/'"]]],
];

describe('hpa-spec', () => {
  it.each(valid)('valid: %s', (_name, text, settings) => {
    expect(run(text, settings)).toEqual([]);
  });
  it.each(invalid)('invalid: %s', (_name, text, list, settings) => {
    expect(run(text, settings)).toEqual(expected(text, list));
  });
});
