import { describe, expect, it } from 'vitest';
import { runRuleOn, yaml } from '../../../../test/helpers/rule-tester.ts';
import { jobSelectorWithoutManual } from './job-selector-without-manual.ts';

describe('job-selector-without-manual', () => {
  it.each([
    { name: 'Job without a selector', yaml: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template: {metadata: {labels: {a: b}}}\n', want: [] as [number, number][] },
    { name: 'Job with selector and manualSelector: true', yaml: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  manualSelector: true\n  selector: {matchLabels: {a: b}}\n', want: [] },
    { name: 'Job with selector only', yaml: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  selector: {matchLabels: {a: b}}\n', want: [[5, 13]] as [number, number][] },
    { name: 'Job with manualSelector: false', yaml: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  manualSelector: false\n  selector:\n    matchLabels: {a: b}\n', want: [[7, 5]] as [number, number][] },
    {
      name: 'CronJob job template with selector only',
      yaml: yaml`
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: cj}
        spec:
          jobTemplate:
            spec:
              selector: {matchLabels: {a: b}}
      `,
      want: [[7, 17]] as [number, number][],
    },
    { name: 'a Deployment is not a Job', yaml: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {a: b}}\n', want: [] },
  ])('$name', ({ yaml: text, want }) => {
    const got = runRuleOn(jobSelectorWithoutManual, text);
    expect(got.map((f) => [f.line, f.column])).toEqual(want);
    for (const f of got) expect(f.message).toMatch(/without manualSelector: true.*selector not auto-generated/);
  });
});
