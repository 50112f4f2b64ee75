import { describe, expect, it } from 'vitest';
import { runRuleOn } from '../../../../test/helpers/rule-tester.ts';
import type { RunSettings } from '../rule.ts';
import { volumeMount } from './volume-mount.ts';

const run = (text: string, settings?: Partial<RunSettings>) => runRuleOn(volumeMount, text, settings ? { settings } : {}).sort((a, b) => a.line - b.line || a.column - b.column);
/** Line and column of the nth occurrence of `needle`: where the finding must point. */
function at(text: string, needle: string, nth = 0): { line: number; column: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`${needle} not in test YAML`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, column: (before.at(-1) ?? '').length + 1 };
}
type Expected = [needle: string, message: string, nth?: number];
const expected = (text: string, list: Expected[]) => list.map(([needle, message, nth]) => ({ rule: 'volume-mount', severity: 'error', ...at(text, needle, nth), message }));

const pod = (container: string, volumes = '  volumes: [{name: config, configMap: {name: app}}, {name: data, persistentVolumeClaim: {claimName: d}}]\n') =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n${volumes}  containers:\n  - name: a\n    image: x\n${container}`;

const valid: [string, string, Partial<RunSettings>?][] = [
  ['mounts and a device', pod('    volumeMounts:\n    - {name: config, mountPath: /etc/app, subPath: app.yaml}\n    - {name: config, mountPath: /etc/other, subPathExpr: $(POD_NAME)}\n    volumeDevices: [{name: data, devicePath: /dev/xvda}]')],
  [
    'a StatefulSet mounting its claim template',
    'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  template:\n    spec:\n      containers: [{name: a, image: x, volumeMounts: [{name: data, mountPath: /var/lib/db}]}]\n  volumeClaimTemplates:\n  - metadata: {name: data}\n    spec: {resources: {requests: {storage: 1Gi}}}',
  ],
];

const invalid: [string, string, Expected[], Partial<RunSettings>?][] = [
  ['a mount naming no volume', pod('    volumeMounts:\n    - {name: cfg, mountPath: /etc/app}'), [['cfg', 'spec.containers[0].volumeMounts[0].name: Not found: "cfg"']]],
  ['a pod without volumes', pod('    volumeMounts: [{name: config, mountPath: /x}]', ''), [['config', 'spec.containers[0].volumeMounts[0].name: Not found: "config"']]],
  [
    'mount paths: missing, repeated; subPath rules',
    pod('    volumeMounts:\n    - {name: config, mountPath: ""}\n    - {name: config, mountPath: /etc/a}\n    - {name: config, mountPath: /etc/a}\n    - {name: config, mountPath: /etc/b, subPath: ../x, subPathExpr: z}\n    - {name: config, mountPath: /etc/c, subPath: /abs}'),
    [
      ['""', 'spec.containers[0].volumeMounts[0].mountPath: Required value'],
      ['/etc/a', 'spec.containers[0].volumeMounts[2].mountPath: Invalid value: "/etc/a": must be unique', 1],
      ['../x', "spec.containers[0].volumeMounts.subPath: Invalid value: \"../x\": must not contain '..'"],
      ['z}', 'spec.containers[0].volumeMounts[3].subPathExpr: Invalid value: "z": subPathExpr and subPath are mutually exclusive'],
      ['/abs', 'spec.containers[0].volumeMounts.subPath: Invalid value: "/abs": must be a relative path'],
    ],
  ],
  [
    'devices need a claim-backed volume',
    pod('    volumeDevices:\n    - {name: config, devicePath: /dev/a}\n    - {name: nope, devicePath: /dev/a}'),
    [
      ['config, devicePath', 'spec.containers[0].volumeDevices[0].name: Invalid value: "config": can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'],
      ['nope', 'spec.containers[0].volumeDevices[1].name: Not found: "nope"'],
      ['/dev/a', 'spec.containers[0].volumeDevices[1].devicePath: Invalid value: "/dev/a": must be unique', 1],
    ],
  ],
];

describe('volume-mount', () => {
  it.each(valid)('valid: %s', (_name, text, settings) => {
    expect(run(text, settings)).toEqual([]);
  });
  it.each(invalid)('invalid: %s', (_name, text, list, settings) => {
    expect(run(text, settings)).toEqual(expected(text, list));
  });
});
