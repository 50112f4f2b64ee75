import { getObject } from '../../../core/objects.ts';
import type { JsonObject } from '../../../core/types.ts';
import { cronScheduleError } from '../../../k8s/cron.ts';
import { FieldPath, invalid, notSupported, required } from './field.ts';
import { apiServerRule, isInt, type Reporter } from './util.ts';

export const help = `# job-spec

**Job and CronJob settings the API server rejects.**

- A Job's pod template needs \`restartPolicy: OnFailure\` or \`Never\`. Leaving it out is an error, because a
  pod's restart policy defaults to \`Always\`.
- \`parallelism\`, \`completions\`, \`activeDeadlineSeconds\`, \`backoffLimit\` and \`ttlSecondsAfterFinished\` may not
  be negative; \`completionMode: Indexed\` needs \`completions\` (a Job that sets neither \`completions\` nor
  \`parallelism\` gets 1 for both; a CronJob's job template does not).
- A CronJob's job template may not set \`manualSelector: true\` (a Job selector set without \`manualSelector\` is
  reported by \`job-selector-without-manual\`).
- A CronJob \`schedule\` is not empty: it is five cron fields (minute, hour, day of month, month, day of week) or a descriptor
  such as \`@hourly\`, parsed like the API server does (robfig/cron): day of week runs 0–6, so \`7\` is rejected.
  \`TZ=\` / \`CRON_TZ=\` prefixes are refused; use \`timeZone\`, which must name an IANA time zone other than \`Local\`.
- \`startingDeadlineSeconds\` and the job history limits may not be negative.

## Examples

\`\`\`yaml
kind: CronJob
spec:
  schedule: "0 3 * * 7"   # spec.schedule: Invalid value: "0 3 * * 7": end of range (7) above maximum (6): 7
  jobTemplate:
    spec:
      template:
        spec:             # …restartPolicy: Required value: valid values: "OnFailure", "Never"
          containers: [{name: backup, image: backup:1}]
\`\`\`
`;

const NEGATIVE = 'must be greater than or equal to 0';

function nonNegative(holder: JsonObject | undefined, keys: string[], path: FieldPath, report: Reporter): void {
  for (const key of keys) {
    const v = holder?.[key];
    if (isInt(v) && v < 0) report(path.child(key), invalid(path.child(key), v, NEGATIVE));
  }
}

/** validateJobSpec: what Jobs and CronJob job templates share. */
/** `defaultsCompletions`: a Job (not a CronJob's template) gets completions = parallelism = 1 from SetDefaults_Job when both are unset. */
function checkJobSpec(spec: JsonObject, sp: FieldPath, report: Reporter, defaultsCompletions = false): void {
  nonNegative(spec, ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes'], sp, report);
  const unset = (v: unknown): boolean => v === undefined || v === null;
  if (spec.completionMode === 'Indexed' && unset(spec.completions) && !(defaultsCompletions && unset(spec.parallelism))) {
    report(sp.child('completions'), required(sp.child('completions'), 'when completion mode is Indexed'));
  }
  const podSpec = getObject(getObject(spec, 'template'), 'spec');
  if (podSpec === undefined) return;
  const rpPath = sp.child('template', 'spec', 'restartPolicy');
  const rp = podSpec.restartPolicy;
  const validValues = 'valid values: "OnFailure", "Never"';
  if (rp === undefined || rp === null || rp === '') {
    report(rpPath, `${required(rpPath, validValues)} (restartPolicy is not set, and a pod's default is Always)`);
  } else if (typeof rp === 'string' && rp !== 'OnFailure' && rp !== 'Never') {
    report(rpPath, required(rpPath, validValues));
  }
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function checkCronJob(spec: JsonObject, report: Reporter): void {
  const sp = FieldPath.root().child('spec');
  const schedule = spec.schedule;
  if (schedule === '') {
    report(sp.child('schedule'), required(sp.child('schedule')));
  } else if (typeof schedule === 'string') {
    const err = cronScheduleError(schedule);
    if (err !== null) report(sp.child('schedule'), invalid(sp.child('schedule'), schedule, err));
    if (schedule.includes('TZ')) report(sp.child('schedule'), invalid(sp.child('schedule'), schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  const tz = spec.timeZone;
  if (typeof tz === 'string') {
    const tp = sp.child('timeZone');
    if (tz === '') report(tp, invalid(tp, tz, 'timeZone must be nil or non-empty string'));
    else if (tz.split('/').some((part) => part === '.' || part === '..' || part.startsWith('-') || !/^[A-Za-z.\-_0-9+]{1,14}$/.test(part))) report(tp, invalid(tp, tz, `unknown time zone ${tz}`));
    else if (tz.toLowerCase() === 'local') report(tp, invalid(tp, tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
    else if (!validTimeZone(tz)) report(tp, invalid(tp, tz, `unknown time zone ${tz}`));
  }
  nonNegative(spec, ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'], sp, report);
  const jobSpec = getObject(getObject(spec, 'jobTemplate'), 'spec');
  if (jobSpec === undefined) return;
  const jp = sp.child('jobTemplate', 'spec');
  checkJobSpec(jobSpec, jp, report);
  if (jobSpec.manualSelector === true) report(jp.child('manualSelector'), notSupported(jp.child('manualSelector'), true, ['nil', 'false']));
}

export const jobSpec = apiServerRule('job-spec', 'Job and CronJob specs satisfy the API server’s checks, including the cron schedule.', help, (info, report) => {
  if (info.group !== 'batch') return;
  const spec = getObject(info.object, 'spec');
  if (spec === undefined) return;
  if (info.kind === 'Job') checkJobSpec(spec, FieldPath.root().child('spec'), report, true);
  if (info.kind === 'CronJob') checkCronJob(spec, report);
});
