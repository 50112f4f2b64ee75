import { describe, expect, it } from 'vitest';
import { runRuleOn } from '../../../../test/helpers/rule-tester.ts';
import type { RunSettings } from '../rule.ts';
import { envVar } from './env-var.ts';

const run = (text: string, settings?: Partial<RunSettings>) => runRuleOn(envVar, text, settings ? { settings } : {}).sort((a, b) => a.line - b.line || a.column - b.column);
/** Line and column of the nth occurrence of `needle`: where the finding must point. */
function at(text: string, needle: string, nth = 0): { line: number; column: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`${needle} not in test YAML`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, column: (before.at(-1) ?? '').length + 1 };
}
type Expected = [needle: string, message: string, nth?: number];
const expected = (text: string, list: Expected[]) => list.map(([needle, message, nth]) => ({ rule: 'env-var', severity: 'error', ...at(text, needle, nth), message }));

const pod = (container: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: x\n${container}`;
const STRICT =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";
const RELAXED = "a valid environment variable name must consist only of printable ASCII characters other than '='";
const FIELD_PATHS = 'supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"';

const valid: [string, string, Partial<RunSettings>?][] = [
  [
    'every kind of source',
    pod(
      "    env:\n    - {name: A, value: x}\n    - {name: my.env-name, value: ''}\n    - {name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}\n    - {name: APP, valueFrom: {fieldRef: {fieldPath: \"metadata.labels['app']\"}}}\n    - {name: MEM, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}\n    - {name: CPU, valueFrom: {resourceFieldRef: {resource: requests.cpu, divisor: 1m}}}\n    - {name: PW, valueFrom: {secretKeyRef: {name: db, key: password}}}\n    - {name: CFG, valueFrom: {configMapKeyRef: {name: app, key: app.properties, optional: true}}}\n    envFrom:\n    - {prefix: APP_, configMapRef: {name: app}}\n    - secretRef: {name: db}",
    ),
  ],
  ['relaxed names on 1.32 and later', pod('    env: [{name: "1st var", value: x}]'), { kubernetesVersion: '1.32' }],
];

const invalid: [string, string, Expected[], Partial<RunSettings>?][] = [
  ['relaxed names still exclude =', pod('    env: [{name: "A=B", value: x}]'), [['"A=B"', `spec.containers[0].env[0].name: Invalid value: "A=B": ${RELAXED}`]]],
  ['strict names before 1.32', pod('    env: [{name: "1st var", value: x}]'), [['"1st var"', `spec.containers[0].env[0].name: Invalid value: "1st var": ${STRICT}`]], { kubernetesVersion: '1.31' }],
  ['an empty name', pod('    env: [{name: "", value: x}]'), [['""', 'spec.containers[0].env[0].name: Required value']]],
  [
    'valueFrom: none, with a value, two sources',
    pod('    env:\n    - {name: A, valueFrom: {}}\n    - {name: B, value: x, valueFrom: {secretKeyRef: {name: s, key: k}}}\n    - {name: C, valueFrom: {secretKeyRef: {name: s, key: k}, configMapKeyRef: {name: c, key: k}}}'),
    [
      ['{}', 'spec.containers[0].env[0].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'],
      ['{secretKeyRef', 'spec.containers[0].env[1].valueFrom: Invalid value: "": may not be specified when `value` is not empty'],
      ['{secretKeyRef', 'spec.containers[0].env[2].valueFrom: Invalid value: "": may not have more than one field specified at a time', 1],
    ],
  ],
  [
    'key selectors: no name, bad key',
    pod('    env:\n    - {name: A, valueFrom: {configMapKeyRef: {key: app.properties}}}\n    - {name: B, valueFrom: {secretKeyRef: {name: db, key: "pass word"}}}'),
    [
      ['configMapKeyRef', expect.stringMatching(/^spec\.containers\[0\]\.env\[0\]\.valueFrom\.configMapKeyRef\.name: Invalid value: "": a lowercase RFC 1123 subdomain/) as unknown as string],
      ['"pass word"', expect.stringMatching(/^spec\.containers\[0\]\.env\[1\]\.valueFrom\.secretKeyRef\.key: Invalid value: "pass word": a valid config key must consist of alphanumeric characters/) as unknown as string],
    ],
  ],
  [
    'downward API: unknown and unsupported field paths, bad resource and divisor',
    pod('    env:\n    - {name: A, valueFrom: {fieldRef: {fieldPath: spec.host}}}\n    - {name: B, valueFrom: {fieldRef: {fieldPath: status.phase}}}\n    - {name: C, valueFrom: {resourceFieldRef: {resource: limits.gpu}}}\n    - {name: D, valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: 1k}}}'),
    [
      ['spec.host', 'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: "spec.host": error converting fieldPath: field label not supported: spec.host'],
      ['status.phase', `spec.containers[0].env[1].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": ${FIELD_PATHS}`],
      ['limits.gpu', 'spec.containers[0].env[2].valueFrom.resourceFieldRef.resource: Unsupported value: "limits.gpu": supported values: "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"'],
      ['1k', "spec.containers[0].env[3].valueFrom.resourceFieldRef.divisor: Invalid value: \"limits.cpu\": only divisor's values 1m and 1 are supported with the cpu resource"],
    ],
  ],
  [
    'envFrom: no source, a bad prefix',
    pod('    envFrom:\n    - {prefix: "1_"}\n    - {prefix: "A=", secretRef: {name: s}}'),
    [
      ['{prefix: "1_"}', 'spec.containers[0].envFrom: Invalid value: "": must specify one of: `configMapRef` or `secretRef`'],
      ['"A="', `spec.containers[0].envFrom[1].prefix: Invalid value: "A=": ${RELAXED}`],
    ],
  ],
];

describe('env-var', () => {
  it.each(valid)('valid: %s', (_name, text, settings) => {
    expect(run(text, settings)).toEqual([]);
  });
  it.each(invalid)('invalid: %s', (_name, text, list, settings) => {
    expect(run(text, settings)).toEqual(expected(text, list));
  });
});
