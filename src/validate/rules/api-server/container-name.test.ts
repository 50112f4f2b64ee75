import { describe, expect, it } from 'vitest';
import { runRuleOn } from '../../../../test/helpers/rule-tester.ts';
import type { RunSettings } from '../rule.ts';
import { containerName } from './container-name.ts';

const run = (text: string, settings?: Partial<RunSettings>) => runRuleOn(containerName, text, settings ? { settings } : {}).sort((a, b) => a.line - b.line || a.column - b.column);
/** Line and column of the nth occurrence of `needle`: where the finding must point. */
function at(text: string, needle: string, nth = 0): { line: number; column: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`${needle} not in test YAML`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, column: (before.at(-1) ?? '').length + 1 };
}
type Expected = [needle: string, message: string, nth?: number];
const expected = (text: string, list: Expected[]) => list.map(([needle, message, nth]) => ({ rule: 'container-name', severity: 'error', ...at(text, needle, nth), message }));

const pod = (body: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n${body}`;
const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

const valid: [string, string, Partial<RunSettings>?][] = [
  ['distinct names across container kinds', pod('  initContainers: [{name: setup, image: x}]\n  containers: [{name: web, image: x}, {name: sidecar-1, image: x}]\n  ephemeralContainers: [{name: debugger, image: x}]')],
  ['an absent name is the schema rule’s finding', pod('  containers: [{image: x}]')],
  ['the same name in two objects', `${pod('  containers: [{name: web, image: x}]')}\n---\n${pod('  containers: [{name: web, image: x}]')}`],
];

const invalid: [string, string, Expected[], Partial<RunSettings>?][] = [
  ['not a DNS label', pod('  containers: [{name: Web_Server, image: x}, {name: web.v2, image: x}]'), [['Web_Server', `spec.containers[0].name: Invalid value: "Web_Server": ${LABEL}`], ['web.v2', 'spec.containers[1].name: Invalid value: "web.v2": must not contain dots']]],
  ['no containers at all', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers: []', [['[]', 'spec.template.spec.containers: Required value']]],
  ['an empty name', pod('  containers: [{name: "", image: x}]'), [['""', 'spec.containers[0].name: Required value']]],
  [
    'duplicates: regular, init vs regular, ephemeral vs init',
    pod('  containers: [{name: web, image: x}, {name: web, image: x}]\n  initContainers: [{name: web, image: x}, {name: setup, image: x}]\n  ephemeralContainers: [{name: setup, image: x}]'),
    [
      ['web', 'spec.containers[1].name: Duplicate value: "web"', 1],
      ['web', 'spec.initContainers[0].name: Duplicate value: "web"', 2],
      ['setup', 'spec.ephemeralContainers[0].name: Duplicate value: "setup"', 1],
    ],
  ],
];

describe('container-name', () => {
  it.each(valid)('valid: %s', (_name, text, settings) => {
    expect(run(text, settings)).toEqual([]);
  });
  it.each(invalid)('invalid: %s', (_name, text, list, settings) => {
    expect(run(text, settings)).toEqual(expected(text, list));
  });
});
