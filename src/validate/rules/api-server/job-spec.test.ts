import { describe, expect, it } from 'vitest';
import { runRuleOn } from '../../../../test/helpers/rule-tester.ts';
import type { RunSettings } from '../rule.ts';
import { jobSpec } from './job-spec.ts';

const run = (text: string, settings?: Partial<RunSettings>) => runRuleOn(jobSpec, text, settings ? { settings } : {}).sort((a, b) => a.line - b.line || a.column - b.column);
/** Line and column of the nth occurrence of `needle`: where the finding must point. */
function at(text: string, needle: string, nth = 0): { line: number; column: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`${needle} not in test YAML`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, column: (before.at(-1) ?? '').length + 1 };
}
type Expected = [needle: string, message: string, nth?: number];
const expected = (text: string, list: Expected[]) => list.map(([needle, message, nth]) => ({ rule: 'job-spec', severity: 'error', ...at(text, needle, nth), message }));

const job = (spec: string, pod = '      restartPolicy: Never\n') => `apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n${spec}  template:\n    spec:\n${pod}      containers: [{name: a, image: x}]`;
const cron = (spec: string, pod = '          restartPolicy: OnFailure\n') =>
  `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n${spec}  jobTemplate:\n    spec:\n      template:\n        spec:\n${pod}          containers: [{name: a, image: x}]`;

const valid: [string, string, Partial<RunSettings>?][] = [
  ['a Job', job('  parallelism: 2\n  completions: 4\n  backoffLimit: 0\n  completionMode: Indexed\n')],
  ['an Indexed Job with neither completions nor parallelism (both default to 1)', job('  completionMode: Indexed\n')],
  ['a Job with a manual selector', job('  manualSelector: true\n  selector: {matchLabels: {a: b}}\n')],
  ['a Job selector without manualSelector is job-selector-without-manual’s finding', job('  selector: {matchLabels: {app: j}}\n')],
  ['a CronJob', cron('  schedule: "*/15 9-17 * * MON-FRI"\n  timeZone: Europe/Berlin\n  concurrencyPolicy: Forbid\n  successfulJobsHistoryLimit: 0\n')],
  ['a CronJob with a descriptor', cron('  schedule: "@daily"\n  timeZone: Etc/UTC\n')],
];

const invalid: [string, string, Expected[], Partial<RunSettings>?][] = [
  ['J2: no restartPolicy in a CronJob', cron('  schedule: "@hourly"\n', ''), [['spec:\n          containers', 'spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never" (restartPolicy is not set, and a pod\'s default is Always)']]],
  ['restartPolicy Always in a Job', job('', '      restartPolicy: Always\n'), [['Always', 'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']]],
  [
    'negative counts and Indexed without completions',
    job('  parallelism: -1\n  backoffLimit: -3\n  completionMode: Indexed\n'),
    [
      ['spec:\n', 'spec.completions: Required value: when completion mode is Indexed'],
      ['-1', 'spec.parallelism: Invalid value: -1: must be greater than or equal to 0'],
      ['-3', 'spec.backoffLimit: Invalid value: -3: must be greater than or equal to 0'],
    ],
  ],
  [
    'schedules: Sunday as 7, six fields, TZ prefix',
    `${cron('  schedule: "0 3 * * 7"\n')}\n---\n${cron('  schedule: "0 0 3 * * *"\n')}\n---\n${cron('  schedule: "CRON_TZ=UTC 0 3 * * *"\n')}`,
    [
      ['"0 3 * * 7"', 'spec.schedule: Invalid value: "0 3 * * 7": end of range (7) above maximum (6): 7'],
      ['"0 0 3 * * *"', 'spec.schedule: Invalid value: "0 0 3 * * *": expected exactly 5 fields, found 6: [0 0 3 * * *]'],
      ['"CRON_TZ=UTC', 'spec.schedule: Invalid value: "CRON_TZ=UTC 0 3 * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead'],
    ],
  ],
  ['an empty schedule', cron('  schedule: ""\n'), [['""', 'spec.schedule: Required value']]],
  [
    'time zones',
    `${cron('  schedule: "@daily"\n  timeZone: Local\n')}\n---\n${cron('  schedule: "@daily"\n  timeZone: Mars/Olympus_Mons\n')}\n---\n${cron('  schedule: "@daily"\n  timeZone: "UTC+2 hours"\n')}`,
    [
      ['Local', 'spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'],
      ['Mars/Olympus_Mons', 'spec.timeZone: Invalid value: "Mars/Olympus_Mons": unknown time zone Mars/Olympus_Mons'],
      ['"UTC+2 hours"', 'spec.timeZone: Invalid value: "UTC+2 hours": unknown time zone UTC+2 hours'],
    ],
  ],
  [
    'job template manualSelector and negative limits',
    cron('  schedule: "@daily"\n  startingDeadlineSeconds: -5\n').replace('    spec:\n      template', '    spec:\n      manualSelector: true\n      selector: {matchLabels: {a: b}}\n      template'),
    [
      ['-5', 'spec.startingDeadlineSeconds: Invalid value: -5: must be greater than or equal to 0'],
      ['true', 'spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: "nil", "false"'],
    ],
  ],
];

describe('job-spec', () => {
  it.each(valid)('valid: %s', (_name, text, settings) => {
    expect(run(text, settings)).toEqual([]);
  });
  it.each(invalid)('invalid: %s', (_name, text, list, settings) => {
    expect(run(text, settings)).toEqual(expected(text, list));
  });
});
