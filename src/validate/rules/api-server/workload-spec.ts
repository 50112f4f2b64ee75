import { getObject, isObject } from '../../../core/objects.ts';
import type { JsonObject, JsonValue } from '../../../core/types.ts';
import { isValidPercent } from '../../../k8s/names.ts';
import { podSpecsOf } from '../../../k8s/pod-specs.ts';
import { isDNS1123Label } from '../../../k8s/validation.ts';
import { FieldPath, forbidden, invalid, notSupported, required } from './field.ts';
import { apiServerRule, APPS, isInt, type ObjectInfo, type Reporter } from './util.ts';

export const help = `# workload-spec

**Deployment, ReplicaSet, StatefulSet and DaemonSet settings the API server rejects.**

- \`replicas\`, \`minReadySeconds\`, \`revisionHistoryLimit\` and \`progressDeadlineSeconds\` may not be negative, and a
  Deployment's \`progressDeadlineSeconds\` (600 by default) must be greater than \`minReadySeconds\`;
- \`spec.selector\` may not be empty (\`{}\` would select every pod); an absent selector is the schema rule's finding;
- the pod template's \`restartPolicy\` can only be \`Always\`, and \`activeDeadlineSeconds\` is not supported;
- Deployment strategy: \`rollingUpdate\` is forbidden with \`type: Recreate\`; \`maxSurge\` and \`maxUnavailable\` are
  non-negative integers or percentages, \`maxUnavailable\` at most 100%, and not both 0 (each defaults to 25%);
- DaemonSet rolling updates: exactly one of \`maxSurge\` and \`maxUnavailable\` is non-zero. \`maxUnavailable\`
  defaults to 1, so setting only \`maxSurge: 1\` is rejected; set \`maxUnavailable: 0\` with it;
- StatefulSet: \`rollingUpdate\` only with \`type: RollingUpdate\`, a non-negative \`partition\`, a non-zero
  \`maxUnavailable\`, and a \`serviceName\` that is a DNS label (it becomes the pods' DNS subdomain).

Selector-to-template label matching is a separate, cross-object rule.

## Example

\`\`\`yaml
kind: DaemonSet
spec:
  updateStrategy:
    rollingUpdate:
      maxSurge: 1     # …rollingUpdate.maxSurge: Invalid value: "1": may not be set when maxUnavailable is non-zero
\`\`\`
`;

const NEGATIVE = 'must be greater than or equal to 0';

function nonNegative(holder: JsonObject | undefined, key: string, path: FieldPath, report: Reporter): void {
  const v = holder?.[key];
  if (isInt(v) && v < 0) report(path.child(key), invalid(path.child(key), v, NEGATIVE));
}

/** getIntOrPercentValue, for values that passed validation; undefined when it cannot be read. */
function intOrPercent(v: JsonValue | undefined): number | undefined {
  if (isInt(v)) return v;
  if (typeof v === 'string' && isValidPercent(v).length === 0) return Number(v.slice(0, -1));
  return undefined;
}

/** ValidatePositiveIntOrPercent + IsNotMoreThan100Percent (when asked). */
function checkIntOrPercent(v: JsonValue | undefined, path: FieldPath, report: Reporter, max100: boolean): void {
  if (typeof v === 'string') {
    for (const msg of isValidPercent(v)) report(path, invalid(path, v, msg));
    const n = intOrPercent(v);
    if (max100 && n !== undefined && n > 100) report(path, invalid(path, v, 'must not be greater than 100%'));
  } else if (isInt(v) && v < 0) {
    report(path, invalid(path, v, NEGATIVE));
  }
}

const show = (v: JsonValue | undefined): JsonValue => (v === undefined ? 0 : v);

function checkSelector(spec: JsonObject, sp: FieldPath, report: Reporter, noun: string): void {
  // An absent selector is the schema rule's finding (the apps/v1 specs require it).
  const selector = spec.selector;
  if (!isObject(selector)) return;
  const n = Object.keys(isObject(selector.matchLabels) ? selector.matchLabels : {}).length + (Array.isArray(selector.matchExpressions) ? selector.matchExpressions.length : 0);
  if (n === 0) report(sp.child('selector'), invalid(sp.child('selector'), '{}', `empty selector is invalid for ${noun}`));
}

function checkTemplate(info: ObjectInfo, noun: string, report: Reporter): void {
  for (const pod of podSpecsOf(info.object)) {
    const p = FieldPath.of(pod.path);
    const rp = pod.spec.restartPolicy;
    if (typeof rp === 'string' && rp !== '' && rp !== 'Always') report(p.child('restartPolicy'), notSupported(p.child('restartPolicy'), rp, ['Always']));
    if (pod.spec.activeDeadlineSeconds !== undefined && pod.spec.activeDeadlineSeconds !== null) {
      report(p.child('activeDeadlineSeconds'), forbidden(p.child('activeDeadlineSeconds'), `activeDeadlineSeconds in ${noun} is not Supported`), { target: 'key' });
    }
  }
}

function checkDeployment(spec: JsonObject, sp: FieldPath, report: Reporter): void {
  const minReady = isInt(spec.minReadySeconds) ? spec.minReadySeconds : 0;
  const pds = spec.progressDeadlineSeconds;
  const progress = isInt(pds) ? pds : 600;
  if (progress <= minReady) {
    const at = pds === undefined ? sp.child('minReadySeconds') : sp.child('progressDeadlineSeconds');
    report(at, invalid(sp.child('progressDeadlineSeconds'), progress, `must be greater than minReadySeconds${pds === undefined ? ' (progressDeadlineSeconds defaults to 600)' : ''}`));
  }
  const strategy = getObject(spec, 'strategy');
  const type = strategy?.type ?? 'RollingUpdate';
  const stp = sp.child('strategy');
  const ru = strategy?.rollingUpdate;
  if (type === 'Recreate' && ru !== undefined && ru !== null) {
    report(stp.child('rollingUpdate'), forbidden(stp.child('rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'"), { target: 'key' });
  }
  if (type === 'RollingUpdate') {
    const rolling = isObject(ru) ? ru : {};
    const rp = stp.child('rollingUpdate');
    checkIntOrPercent(rolling.maxUnavailable, rp.child('maxUnavailable'), report, true);
    checkIntOrPercent(rolling.maxSurge, rp.child('maxSurge'), report, false);
    const unavailable = rolling.maxUnavailable === undefined ? 25 : intOrPercent(rolling.maxUnavailable);
    const surge = rolling.maxSurge === undefined ? 25 : intOrPercent(rolling.maxSurge);
    if (unavailable === 0 && surge === 0) report(rp.child('maxUnavailable'), invalid(rp.child('maxUnavailable'), show(rolling.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
  }
}

function checkDaemonSet(spec: JsonObject, sp: FieldPath, report: Reporter): void {
  const strategy = getObject(spec, 'updateStrategy');
  if ((strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return;
  const rolling = getObject(strategy, 'rollingUpdate') ?? {};
  const rp = sp.child('updateStrategy', 'rollingUpdate');
  // Defaults: maxUnavailable 1, maxSurge 0.
  const mu = rolling.maxUnavailable === undefined ? 1 : rolling.maxUnavailable;
  const ms = rolling.maxSurge === undefined ? 0 : rolling.maxSurge;
  checkIntOrPercent(rolling.maxUnavailable, rp.child('maxUnavailable'), report, true);
  checkIntOrPercent(rolling.maxSurge, rp.child('maxSurge'), report, true);
  const hasUnavailable = (intOrPercent(mu) ?? 0) !== 0;
  const hasSurge = (intOrPercent(ms) ?? 0) !== 0;
  if (hasUnavailable && hasSurge) {
    const why = rolling.maxUnavailable === undefined ? ' (maxUnavailable defaults to 1; set it to 0)' : '';
    report(rp.child('maxSurge'), invalid(rp.child('maxSurge'), String(ms), `may not be set when maxUnavailable is non-zero${why}`));
  } else if (!hasUnavailable && !hasSurge && intOrPercent(mu) !== undefined && intOrPercent(ms) !== undefined) {
    report(rp.child('maxUnavailable'), required(rp.child('maxUnavailable'), 'cannot be 0 when maxSurge is 0'));
  }
}

function checkStatefulSet(spec: JsonObject, sp: FieldPath, report: Reporter): void {
  const strategy = getObject(spec, 'updateStrategy');
  const type = strategy?.type ?? 'RollingUpdate';
  const ru = strategy?.rollingUpdate;
  const up = sp.child('updateStrategy');
  if (type === 'OnDelete' && ru !== undefined && ru !== null) {
    report(up.child('rollingUpdate'), invalid(up.child('rollingUpdate'), '', "only allowed for updateStrategy 'RollingUpdate'"));
  }
  if (type === 'RollingUpdate' && isObject(ru)) {
    const rp = up.child('rollingUpdate');
    nonNegative(ru, 'partition', rp, report);
    if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) {
      checkIntOrPercent(ru.maxUnavailable, rp.child('maxUnavailable'), report, true);
      if (intOrPercent(ru.maxUnavailable) === 0) report(rp.child('maxUnavailable'), invalid(rp.child('maxUnavailable'), ru.maxUnavailable, 'cannot be 0'));
    }
  }
  nonNegative(getObject(spec, 'ordinals'), 'start', sp.child('ordinals'), report);
  const svc = spec.serviceName;
  if (typeof svc === 'string' && svc !== '') for (const msg of isDNS1123Label(svc)) report(sp.child('serviceName'), invalid(sp.child('serviceName'), svc, msg));
}

const NOUNS: Record<string, { selector: string; template: string }> = {
  Deployment: { selector: 'deployment', template: 'ReplicaSet' },
  ReplicaSet: { selector: 'deployment', template: 'ReplicaSet' },
  StatefulSet: { selector: 'statefulset', template: 'StatefulSet' },
  DaemonSet: { selector: 'daemonset', template: 'DaemonSet' },
};

export const workloadSpec = apiServerRule('workload-spec', 'Deployment, ReplicaSet, StatefulSet and DaemonSet specs satisfy the API server’s checks.', help, (info, report) => {
  const nouns = NOUNS[info.kind];
  const isRC = info.group === '' && info.kind === 'ReplicationController';
  if (!isRC && (nouns === undefined || !APPS.includes(info.group))) return;
  const spec = getObject(info.object, 'spec') ?? {};
  const sp = FieldPath.root().child('spec');
  for (const k of ['replicas', 'minReadySeconds', 'revisionHistoryLimit', 'progressDeadlineSeconds']) nonNegative(spec, k, sp, report);
  checkTemplate(info, nouns?.template ?? 'ReplicationController', report);
  if (isRC || info.group !== 'apps' || nouns === undefined) return;
  checkSelector(spec, sp, report, nouns.selector);
  if (info.kind === 'Deployment') checkDeployment(spec, sp, report);
  if (info.kind === 'DaemonSet') checkDaemonSet(spec, sp, report);
  if (info.kind === 'StatefulSet') checkStatefulSet(spec, sp, report);
});
