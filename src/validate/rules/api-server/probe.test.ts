import { describe, expect, it } from 'vitest';
import { runRuleOn } from '../../../../test/helpers/rule-tester.ts';
import type { RunSettings } from '../rule.ts';
import { probe } from './probe.ts';

const run = (text: string, settings?: Partial<RunSettings>) => runRuleOn(probe, text, settings ? { settings } : {}).sort((a, b) => a.line - b.line || a.column - b.column);
/** Line and column of the nth occurrence of `needle`: where the finding must point. */
function at(text: string, needle: string, nth = 0): { line: number; column: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`${needle} not in test YAML`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, column: (before.at(-1) ?? '').length + 1 };
}
type Expected = [needle: string, message: string, nth?: number];
const expected = (text: string, list: Expected[]) => list.map(([needle, message, nth]) => ({ rule: 'probe', severity: 'error', ...at(text, needle, nth), message }));

const pod = (container: string, init = '') => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n${init}  containers:\n  - name: a\n    image: x\n${container}`;

const valid: [string, string, Partial<RunSettings>?][] = [
  [
    'the usual probes and hooks',
    pod('    livenessProbe: {httpGet: {path: /healthz, port: 8080, httpHeaders: [{name: X-Probe, value: "1"}]}, initialDelaySeconds: 5, successThreshold: 1}\n    readinessProbe: {tcpSocket: {port: 8080}, successThreshold: 3}\n    startupProbe: {exec: {command: [cat, /ready]}, failureThreshold: 30, terminationGracePeriodSeconds: 10}\n    lifecycle: {preStop: {sleep: {seconds: 5}}, postStart: {exec: {command: [sh, -c, "true"]}}}'),
  ],
  ['a sidecar init container may have probes', pod('', '  initContainers:\n  - {name: s, image: x, restartPolicy: Always, readinessProbe: {grpc: {port: 9090}}}\n')],
  ['successThreshold 0 is defaulted to 1', pod('    livenessProbe: {tcpSocket: {port: 80}, successThreshold: 0}')],
];

const invalid: [string, string, Expected[], Partial<RunSettings>?][] = [
  [
    'no action, two actions, empty command',
    pod('    livenessProbe: {initialDelaySeconds: 5}\n    readinessProbe: {httpGet: {port: 80}, tcpSocket: {port: 80}}\n    startupProbe: {exec: {command: []}}'),
    [
      ['livenessProbe', 'spec.containers[0].livenessProbe: Required value: must specify a handler type'],
      ['tcpSocket', 'spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type'],
      ['[]', 'spec.containers[0].startupProbe.exec.command: Required value'],
    ],
  ],
  [
    'thresholds and grace periods',
    pod('    livenessProbe: {tcpSocket: {port: 80}, successThreshold: 3, periodSeconds: -1}\n    readinessProbe: {tcpSocket: {port: 80}, terminationGracePeriodSeconds: 10}'),
    [
      ['3', 'spec.containers[0].livenessProbe.successThreshold: Invalid value: 3: must be 1'],
      ['-1', 'spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0'],
      ['10}', 'spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 10: must not be set for readinessProbes'],
    ],
  ],
  ['a bad header name', pod('    livenessProbe: {httpGet: {port: 80, httpHeaders: [{name: "X Probe", value: "1"}]}}'), [['[{name: "X Probe"', "spec.containers[0].livenessProbe.httpGet.httpHeaders: Invalid value: \"X Probe\": a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"]]],
  ['a hook without action', pod('    lifecycle: {preStop: {}}'), [['preStop', 'spec.containers[0].lifecycle.preStop: Required value: must specify a handler type']]],
  [
    'probes on a plain init container',
    pod('', '  initContainers:\n  - {name: i, image: x, livenessProbe: {exec: {command: [a]}}, lifecycle: {postStart: {exec: {command: [a]}}}}\n'),
    [
      ['livenessProbe', 'spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always'],
      ['lifecycle', 'spec.initContainers[0].lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always'],
    ],
  ],
];

describe('probe', () => {
  it.each(valid)('valid: %s', (_name, text, settings) => {
    expect(run(text, settings)).toEqual([]);
  });
  it.each(invalid)('invalid: %s', (_name, text, list, settings) => {
    expect(run(text, settings)).toEqual(expected(text, list));
  });
});
