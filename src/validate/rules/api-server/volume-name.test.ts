import { describe, expect, it } from 'vitest';
import { runRuleOn } from '../../../../test/helpers/rule-tester.ts';
import type { RunSettings } from '../rule.ts';
import { volumeName } from './volume-name.ts';

const run = (text: string, settings?: Partial<RunSettings>) => runRuleOn(volumeName, text, settings ? { settings } : {}).sort((a, b) => a.line - b.line || a.column - b.column);
/** Line and column of the nth occurrence of `needle`: where the finding must point. */
function at(text: string, needle: string, nth = 0): { line: number; column: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`${needle} not in test YAML`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, column: (before.at(-1) ?? '').length + 1 };
}
type Expected = [needle: string, message: string, nth?: number];
const expected = (text: string, list: Expected[]) => list.map(([needle, message, nth]) => ({ rule: 'volume-name', severity: 'error', ...at(text, needle, nth), message }));

const pod = (volumes: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: x}]\n  volumes:\n${volumes}`;

const valid: [string, string, Partial<RunSettings>?][] = [
  [
    'the usual volume sources',
    pod(
      '  - {name: config, configMap: {name: app, defaultMode: 0644, items: [{key: a, path: conf/a.yaml, mode: 0400}]}}\n  - {name: secret, secret: {secretName: s, optional: true}}\n  - {name: data, persistentVolumeClaim: {claimName: data}}\n  - {name: tmp, emptyDir: {}}\n  - {name: info, downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}}\n  - {name: all, projected: {sources: [{configMap: {name: a}}, {serviceAccountToken: {path: token}}]}}\n  - {name: csi, csi: {driver: x}}',
    ),
  ],
];

const invalid: [string, string, Expected[], Partial<RunSettings>?][] = [
  [
    'names: bad, duplicate, missing',
    pod('  - {name: My_Vol, emptyDir: {}}\n  - {name: tmp, emptyDir: {}}\n  - {name: tmp, emptyDir: {}}\n  - {name: "", emptyDir: {}}'),
    [
      ['My_Vol', expect.stringMatching(/^spec\.volumes\[0\]\.name: Invalid value: "My_Vol": a lowercase RFC 1123 label/) as unknown as string],
      ['tmp', 'spec.volumes[2].name: Duplicate value: "tmp"', 1],
      ['""', 'spec.volumes[3].name: Required value'],
    ],
  ],
  [
    'no source, and two sources',
    pod('  - name: data\n  - name: both\n    configMap: {name: a}\n    secret: {secretName: b}'),
    [
      ['name: data', 'spec.volumes[0]: Required value: must specify a volume type'],
      ['configMap', 'spec.volumes[1].configMap: Forbidden: may not specify more than 1 volume type'],
    ],
  ],
  [
    'missing references and bad modes',
    pod('  - {name: a, configMap: {defaultMode: 0o1000}}\n  - {name: b, secret: {items: [{key: k, path: ../x}]}}\n  - {name: c, persistentVolumeClaim: {claimName: ""}}\n  - {name: d, configMap: {name: x, defaultMode: 420, items: [{key: k, path: /abs, mode: -1}]}}'),
    [
      ['configMap: {defaultMode', 'spec.volumes[0].configMap.name: Required value'],
      ['0o1000', 'spec.volumes[0].configMap.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive'],
      ['secret: {items', 'spec.volumes[1].secret.secretName: Required value'],
      ['../x', "spec.volumes[1].secret.items[0].path: Invalid value: \"../x\": must not contain '..'"],
      ['""}}', 'spec.volumes[2].persistentVolumeClaim.claimName: Required value'],
      ['/abs', 'spec.volumes[3].configMap.items[0].path: Invalid value: "/abs": must be a relative path'],
      ['-1', 'spec.volumes[3].configMap.items[0].mode: Invalid value: -1: must be a number between 0 and 0777 (octal), both inclusive'],
    ],
  ],
];

describe('volume-name', () => {
  it.each(valid)('valid: %s', (_name, text, settings) => {
    expect(run(text, settings)).toEqual([]);
  });
  it.each(invalid)('invalid: %s', (_name, text, list, settings) => {
    expect(run(text, settings)).toEqual(expected(text, list));
  });
});
