import { describe, expect, it } from 'vitest';
import { runRuleOn } from '../../../../test/helpers/rule-tester.ts';
import type { RunSettings } from '../rule.ts';
import { pdbSpec } from './pdb-spec.ts';

const run = (text: string, settings?: Partial<RunSettings>) => runRuleOn(pdbSpec, text, settings ? { settings } : {}).sort((a, b) => a.line - b.line || a.column - b.column);
/** Line and column of the nth occurrence of `needle`: where the finding must point. */
function at(text: string, needle: string, nth = 0): { line: number; column: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`${needle} not in test YAML`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, column: (before.at(-1) ?? '').length + 1 };
}
type Expected = [needle: string, message: string, nth?: number];
const expected = (text: string, list: Expected[]) => list.map(([needle, message, nth]) => ({ rule: 'pdb-spec', severity: 'error', ...at(text, needle, nth), message }));

const pdb = (spec: string) => `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec:\n  selector: {matchLabels: {app: a}}\n${spec}`;

const valid: [string, string, Partial<RunSettings>?][] = [
  ['minAvailable as a count', pdb('  minAvailable: 2')],
  ['maxUnavailable as a percentage', pdb('  maxUnavailable: "50%"\n  unhealthyPodEvictionPolicy: AlwaysAllow')],
  ['zero is allowed', pdb('  maxUnavailable: 0')],
];

const invalid: [string, string, Expected[], Partial<RunSettings>?][] = [
  ['both set', pdb('  minAvailable: 2\n  maxUnavailable: 1'), [['maxUnavailable', 'spec: Invalid value: {"minAvailable":2,"maxUnavailable":1}: minAvailable and maxUnavailable cannot be both set']]],
  [
    'bad values',
    pdb('  minAvailable: "50"') + '\n---\n' + pdb('  maxUnavailable: 150%\n  unhealthyPodEvictionPolicy: Always'),
    [
      ['"50"', expect.stringMatching(/^spec\.minAvailable: Invalid value: "50": a valid percent string must be/) as unknown as string],
      ['150%', 'spec.maxUnavailable: Invalid value: "150%": must not be greater than 100%'],
      ['Always', 'spec.unhealthyPodEvictionPolicy: Unsupported value: "Always": supported values: "AlwaysAllow", "IfHealthyBudget"'],
    ],
  ],
  ['a negative count', pdb('  minAvailable: -1'), [['-1', 'spec.minAvailable: Invalid value: -1: must be greater than or equal to 0']]],
];

describe('pdb-spec', () => {
  it.each(valid)('valid: %s', (_name, text, settings) => {
    expect(run(text, settings)).toEqual([]);
  });
  it.each(invalid)('invalid: %s', (_name, text, list, settings) => {
    expect(run(text, settings)).toEqual(expected(text, list));
  });
});
