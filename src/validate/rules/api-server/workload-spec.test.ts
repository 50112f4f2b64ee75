import { describe, expect, it } from 'vitest';
import { runRuleOn } from '../../../../test/helpers/rule-tester.ts';
import type { RunSettings } from '../rule.ts';
import { workloadSpec } from './workload-spec.ts';

const run = (text: string, settings?: Partial<RunSettings>) => runRuleOn(workloadSpec, text, settings ? { settings } : {}).sort((a, b) => a.line - b.line || a.column - b.column);
/** Line and column of the nth occurrence of `needle`: where the finding must point. */
function at(text: string, needle: string, nth = 0): { line: number; column: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`${needle} not in test YAML`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, column: (before.at(-1) ?? '').length + 1 };
}
type Expected = [needle: string, message: string, nth?: number];
const expected = (text: string, list: Expected[]) => list.map(([needle, message, nth]) => ({ rule: 'workload-spec', severity: 'error', ...at(text, needle, nth), message }));

const deploy = (spec: string, kind = 'Deployment') => `apiVersion: apps/v1\nkind: ${kind}\nmetadata: {name: w}\nspec:\n  selector: {matchLabels: {app: w}}\n  template:\n    metadata: {labels: {app: w}}\n    spec:\n      containers: [{name: a, image: x}]\n${spec}`;

const valid: [string, string, Partial<RunSettings>?][] = [
  ['a Deployment with a rolling update', deploy('  replicas: 3\n  minReadySeconds: 10\n  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}')],
  ['a Recreate Deployment', deploy('  strategy: {type: Recreate}')],
  ['percentages up to 100%', deploy('  strategy: {rollingUpdate: {maxSurge: 200%, maxUnavailable: 100%}}')],
  ['a DaemonSet surging with maxUnavailable 0', deploy('  updateStrategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}', 'DaemonSet')],
  ['a DaemonSet with the defaults', deploy('  updateStrategy: {type: RollingUpdate}', 'DaemonSet')],
  ['a StatefulSet', deploy('  serviceName: db\n  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 0, maxUnavailable: 2}}', 'StatefulSet')],
  ['a ReplicationController', 'apiVersion: v1\nkind: ReplicationController\nmetadata: {name: r}\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers: [{name: a, image: x}]'],
];

const invalid: [string, string, Expected[], Partial<RunSettings>?][] = [
  [
    'negative counts',
    deploy('  replicas: -1\n  revisionHistoryLimit: -2'),
    [
      ['-1', 'spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
      ['-2', 'spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0'],
    ],
  ],
  [
    'minReadySeconds beyond the default progress deadline',
    deploy('  minReadySeconds: 900'),
    [['900', 'spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds (progressDeadlineSeconds defaults to 600)']],
  ],
  ['an empty selector', deploy('', 'StatefulSet').replace('{matchLabels: {app: w}}', '{}'), [['{}', 'spec.selector: Invalid value: "{}": empty selector is invalid for statefulset']]],
  [
    'template restartPolicy and activeDeadlineSeconds',
    deploy('').replace('      containers:', '      restartPolicy: OnFailure\n      activeDeadlineSeconds: 60\n      containers:'),
    [
      ['OnFailure', 'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
      ['activeDeadlineSeconds', 'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported'],
    ],
  ],
  [
    'Deployment strategy mistakes',
    deploy('  strategy:\n    type: Recreate\n    rollingUpdate: {maxSurge: 1}') + '\n---\n' + deploy('  strategy:\n    rollingUpdate: {maxSurge: 0, maxUnavailable: "0%"}') + '\n---\n' + deploy('  strategy:\n    rollingUpdate: {maxSurge: 25, maxUnavailable: 150%}'),
    [
      ['rollingUpdate', "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
      ['"0%"', 'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0'],
      ['150%', 'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%'],
    ],
  ],
  ['a percent without the sign is fine, a percent with a fraction is not', deploy('  strategy:\n    rollingUpdate: {maxSurge: "2.5%"}'), [['"2.5%"', expect.stringMatching(/^spec\.strategy\.rollingUpdate\.maxSurge: Invalid value: "2\.5%": a valid percent string must be a numeric string followed by an ending '%'/) as unknown as string]]],
  [
    'DaemonSet: maxSurge alone collides with the default maxUnavailable',
    deploy('  updateStrategy:\n    rollingUpdate: {maxSurge: 1}', 'DaemonSet'),
    [['1}', 'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: "1": may not be set when maxUnavailable is non-zero (maxUnavailable defaults to 1; set it to 0)']],
  ],
  ['DaemonSet: both zero', deploy('  updateStrategy:\n    rollingUpdate: {maxSurge: 0, maxUnavailable: 0}', 'DaemonSet'), [['0}', 'spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0']]],
  [
    'StatefulSet strategy and service name',
    deploy('  serviceName: db.internal\n  updateStrategy:\n    type: OnDelete\n    rollingUpdate: {partition: 1}', 'StatefulSet') + '\n---\n' + deploy('  updateStrategy:\n    rollingUpdate: {partition: -1, maxUnavailable: 0}', 'StatefulSet'),
    [
      ['db.internal', 'spec.serviceName: Invalid value: "db.internal": must not contain dots'],
      ['{partition: 1}', "spec.updateStrategy.rollingUpdate: Invalid value: \"\": only allowed for updateStrategy 'RollingUpdate'"],
      ['-1', 'spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0'],
      ['0}', 'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0'],
    ],
  ],
];

describe('workload-spec', () => {
  it.each(valid)('valid: %s', (_name, text, settings) => {
    expect(run(text, settings)).toEqual([]);
  });
  it.each(invalid)('invalid: %s', (_name, text, list, settings) => {
    expect(run(text, settings)).toEqual(expected(text, list));
  });
});
