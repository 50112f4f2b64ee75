import { describe, expect, it } from 'vitest';
import { runRuleOn } from '../../../../test/helpers/rule-tester.ts';
import type { RunSettings } from '../rule.ts';
import { containerImage } from './container-image.ts';

const run = (text: string, settings?: Partial<RunSettings>) => runRuleOn(containerImage, text, settings ? { settings } : {}).sort((a, b) => a.line - b.line || a.column - b.column);
/** Line and column of the nth occurrence of `needle`: where the finding must point. */
function at(text: string, needle: string, nth = 0): { line: number; column: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`${needle} not in test YAML`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, column: (before.at(-1) ?? '').length + 1 };
}
type Expected = [needle: string, message: string, nth?: number];
const expected = (text: string, list: Expected[]) => list.map(([needle, message, nth]) => ({ rule: 'container-image', severity: 'error', ...at(text, needle, nth), message }));

const pod = (body: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n${body}`;

const valid: [string, string, Partial<RunSettings>?][] = [
  ['images everywhere', pod('  initContainers: [{name: i, image: busybox}]\n  containers: [{name: a, image: nginx:1.27}]\n  ephemeralContainers: [{name: d, image: busybox}]')],
  ['a template may use the " " placeholder image', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers: [{name: a, image: " "}]'],
];

const invalid: [string, string, Expected[], Partial<RunSettings>?][] = [
  ['I3: a container without an image', pod('  containers:\n  - name: web\n    ports: [{containerPort: 80}]'), [['name: web', 'spec.containers[0].image: Required value']]],
  ['an empty image in a CronJob', 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          initContainers: [{name: i, image: ""}]\n          containers: [{name: a, image: x}]', [['""', 'spec.jobTemplate.spec.template.spec.initContainers[0].image: Required value']]],
  ['whitespace around a Pod image', pod('  containers: [{name: a, image: " nginx"}]'), [['" nginx"', 'spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace']]],
];

describe('container-image', () => {
  it.each(valid)('valid: %s', (_name, text, settings) => {
    expect(run(text, settings)).toEqual([]);
  });
  it.each(invalid)('invalid: %s', (_name, text, list, settings) => {
    expect(run(text, settings)).toEqual(expected(text, list));
  });
});
