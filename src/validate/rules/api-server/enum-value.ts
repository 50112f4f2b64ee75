import { getObject } from '../../../core/objects.ts';
import type { JsonObject, JsonValue } from '../../../core/types.ts';
import { podSpecsOf } from '../../../k8s/pod-specs.ts';
import { FieldPath, forbidden, invalid, notSupported, required } from './field.ts';
import { apiServerRule, APPS, is, type ObjectInfo, objectItems, type Reporter } from './util.ts';
import { containerSites, handlerSites } from './walk.ts';

export const help = `# enum-value

**Values outside the fixed sets the API server accepts, for fields the schemas leave as free strings.**

Kubernetes' published schemas carry no enums for the core fields, so \`imagePullPolicy: always\` or
\`type: Loadbalancer\` pass every schema validator and fail at \`kubectl apply\` with "Unsupported value".
Case matters everywhere.

| where | field | accepted values |
|---|---|---|
| pod spec | \`restartPolicy\` | Always, OnFailure, Never |
| | \`dnsPolicy\` | ClusterFirstWithHostNet, ClusterFirst, Default, None |
| | \`preemptionPolicy\` | PreemptLowerPriority, Never |
| | \`os.name\` | linux, windows |
| | \`securityContext.fsGroupChangePolicy\` | Always, OnRootMismatch |
| | \`tolerations[].operator\` / \`.effect\` | Equal, Exists / NoSchedule, PreferNoSchedule, NoExecute |
| | \`topologySpreadConstraints[].whenUnsatisfiable\` | DoNotSchedule, ScheduleAnyway |
| container | \`imagePullPolicy\` | Always, IfNotPresent, Never |
| | \`terminationMessagePolicy\` | File, FallbackToLogsOnError |
| | \`restartPolicy\` | Always, and only on init containers (sidecars) |
| | \`volumeMounts[].mountPropagation\` | Bidirectional (privileged containers only), HostToContainer, None |
| | \`securityContext.seccompProfile.type\`, \`procMount\` | Localhost, RuntimeDefault, Unconfined; Default, Unmasked |
| | probe and hook \`httpGet.scheme\` | HTTP, HTTPS |
| Service | \`type\` | ClusterIP, ExternalName, LoadBalancer, NodePort |
| | \`sessionAffinity\`, \`externalTrafficPolicy\`, \`internalTrafficPolicy\` | ClientIP, None; Cluster, Local |
| | \`ipFamilyPolicy\`, \`ipFamilies[]\` | SingleStack, PreferDualStack, RequireDualStack; IPv4, IPv6 |
| PersistentVolumeClaim | \`accessModes[]\` (at least one) | ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod (alone) |
| | \`volumeMode\` | Filesystem, Block |
| PersistentVolume | \`persistentVolumeReclaimPolicy\` | Retain, Delete, Recycle |
| Deployment | \`strategy.type\` | Recreate, RollingUpdate |
| StatefulSet | \`podManagementPolicy\`, \`updateStrategy.type\` | OrderedReady, Parallel; RollingUpdate, OnDelete |
| DaemonSet | \`updateStrategy.type\` | RollingUpdate, OnDelete |
| Job | \`completionMode\`, \`podReplacementPolicy\` | NonIndexed, Indexed; TerminatingOrFailed, Failed |
| CronJob | \`concurrencyPolicy\` | Allow, Forbid, Replace |
| Ingress | \`paths[].pathType\` | Exact, Prefix, ImplementationSpecific |
| NetworkPolicy | \`policyTypes[]\` | Ingress, Egress |

An absent field takes its default and is not reported.

## Example

\`\`\`yaml
spec:
  type: Loadbalancer   # spec.type: Unsupported value: "Loadbalancer": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"
\`\`\`
`;

/** Report a string outside `values` (listed in Go's order); absent, empty and non-string values are left alone. */
function oneOf(holder: JsonObject | undefined, key: string, path: FieldPath, values: readonly string[], report: Reporter, messagePath = path.child(key)): void {
  const v = holder?.[key];
  if (typeof v !== 'string' || v === '') return;
  if (!values.includes(v)) report(path.child(key), notSupported(messagePath, v, values));
}

function eachOf(list: JsonValue | undefined, path: FieldPath, values: readonly string[], report: Reporter): void {
  if (!Array.isArray(list)) return;
  list.forEach((v, i) => {
    if (typeof v === 'string' && !values.includes(v)) report(path.index(i), notSupported(path, v, values));
  });
}

const SECCOMP = ['Localhost', 'RuntimeDefault', 'Unconfined'];

function checkPodSpecs(info: ObjectInfo, report: Reporter): void {
  for (const pod of podSpecsOf(info.object)) {
    const s = pod.spec;
    const p = FieldPath.of(pod.path);
    oneOf(s, 'restartPolicy', p, ['Always', 'OnFailure', 'Never'], report);
    oneOf(s, 'dnsPolicy', p, ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'], report);
    oneOf(s, 'preemptionPolicy', p, ['PreemptLowerPriority', 'Never'], report);
    oneOf(getObject(s, 'os'), 'name', p.child('os'), ['linux', 'windows'], report);
    const sc = getObject(s, 'securityContext');
    oneOf(sc, 'fsGroupChangePolicy', p.child('securityContext'), ['Always', 'OnRootMismatch'], report);
    oneOf(getObject(sc, 'seccompProfile'), 'type', p.child('securityContext', 'seccompProfile'), SECCOMP, report);
    for (const [i, t] of objectItems(s.tolerations)) {
      const tp = p.child('tolerations').index(i);
      oneOf(t, 'operator', tp, ['Equal', 'Exists'], report);
      oneOf(t, 'effect', tp, ['NoSchedule', 'PreferNoSchedule', 'NoExecute'], report);
    }
    for (const [i, c] of objectItems(s.topologySpreadConstraints)) {
      const cp = p.child('topologySpreadConstraints').index(i);
      oneOf(c, 'whenUnsatisfiable', cp, ['DoNotSchedule', 'ScheduleAnyway'], report);
      oneOf(c, 'nodeAffinityPolicy', cp, ['Honor', 'Ignore'], report);
      oneOf(c, 'nodeTaintsPolicy', cp, ['Honor', 'Ignore'], report);
    }
  }
  for (const site of containerSites(info)) {
    const c = site.container;
    oneOf(c, 'imagePullPolicy', site.at, ['Always', 'IfNotPresent', 'Never'], report);
    oneOf(c, 'terminationMessagePolicy', site.at, ['File', 'FallbackToLogsOnError'], report);
    const rp = c.restartPolicy;
    if (typeof rp === 'string') {
      if (site.list === 'initContainers') oneOf(c, 'restartPolicy', site.at, ['Always'], report);
      else if (site.list === 'containers') report(site.at.child('restartPolicy'), forbidden(site.at.child('restartPolicy'), 'may not be set for non-init containers'), { target: 'key' });
    }
    const sc = getObject(c, 'securityContext');
    oneOf(sc, 'procMount', site.at.child('securityContext'), ['Default', 'Unmasked'], report);
    oneOf(getObject(sc, 'seccompProfile'), 'type', site.at.child('securityContext', 'seccompProfile'), SECCOMP, report);
    for (const [i, m] of objectItems(c.volumeMounts)) {
      const mp = site.at.child('volumeMounts').index(i);
      // Go reports these at volumeMounts.mountPropagation, without the index.
      const goPath = site.at.child('volumeMounts', 'mountPropagation');
      oneOf(m, 'mountPropagation', mp, ['Bidirectional', 'HostToContainer', 'None'], report, goPath);
      if (m.mountPropagation === 'Bidirectional' && sc?.privileged !== true) {
        report(mp.child('mountPropagation'), forbidden(goPath, 'Bidirectional mount propagation is available only to privileged containers'));
      }
    }
    for (const h of handlerSites(site)) if (h.type === 'httpGet') oneOf(h.action, 'scheme', h.at, ['HTTP', 'HTTPS'], report);
  }
}

function checkClaimSpec(spec: JsonObject | undefined, p: FieldPath, report: Reporter): void {
  if (spec === undefined) return;
  const modes = spec.accessModes;
  if (!Array.isArray(modes) || modes.length === 0) report(p.child('accessModes'), required(p.child('accessModes'), 'at least 1 access mode is required'));
  const supported = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
  eachOf(modes, p.child('accessModes'), supported, report);
  if (Array.isArray(modes) && modes.includes('ReadWriteOncePod') && modes.some((m) => typeof m === 'string' && m !== 'ReadWriteOncePod' && supported.includes(m))) {
    report(p.child('accessModes'), forbidden(p.child('accessModes'), 'may not use ReadWriteOncePod with other access modes'));
  }
  oneOf(spec, 'volumeMode', p, ['Block', 'Filesystem'], report);
}

function checkObject(info: ObjectInfo, report: Reporter): void {
  checkPodSpecs(info, report);
  const spec = getObject(info.object, 'spec');
  const sp = FieldPath.root().child('spec');
  if (is(info, 'Service', '')) {
    oneOf(spec, 'type', sp, ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'], report);
    oneOf(spec, 'sessionAffinity', sp, ['ClientIP', 'None'], report);
    oneOf(spec, 'externalTrafficPolicy', sp, ['Cluster', 'Local'], report);
    oneOf(spec, 'internalTrafficPolicy', sp, ['Cluster', 'Local'], report);
    oneOf(spec, 'ipFamilyPolicy', sp, ['PreferDualStack', 'RequireDualStack', 'SingleStack'], report);
    eachOf(spec?.ipFamilies, sp.child('ipFamilies'), ['IPv4', 'IPv6'], report);
  }
  if (is(info, 'PersistentVolumeClaim', '')) checkClaimSpec(spec ?? {}, sp, report);
  if (is(info, 'StatefulSet', 'apps')) {
    for (const [i, t] of objectItems(spec?.volumeClaimTemplates)) checkClaimSpec(getObject(t, 'spec') ?? {}, sp.child('volumeClaimTemplates').index(i).child('spec'), report);
  }
  if (is(info, 'PersistentVolume', '')) {
    oneOf(spec, 'persistentVolumeReclaimPolicy', sp, ['Delete', 'Recycle', 'Retain'], report);
    eachOf(spec?.accessModes, sp.child('accessModes'), ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'], report);
    oneOf(spec, 'volumeMode', sp, ['Block', 'Filesystem'], report);
  }
  if (is(info, 'Deployment', 'apps', 'extensions')) oneOf(getObject(spec, 'strategy'), 'type', sp.child('strategy'), ['Recreate', 'RollingUpdate'], report, sp.child('strategy'));
  if (is(info, 'DaemonSet', 'apps', 'extensions')) oneOf(getObject(spec, 'updateStrategy'), 'type', sp.child('updateStrategy'), ['RollingUpdate', 'OnDelete'], report, sp.child('updateStrategy'));
  if (is(info, 'StatefulSet', 'apps')) {
    const pmp = spec?.podManagementPolicy;
    if (typeof pmp === 'string' && pmp !== '' && pmp !== 'OrderedReady' && pmp !== 'Parallel') {
      report(sp.child('podManagementPolicy'), invalid(sp.child('podManagementPolicy'), pmp, "must be 'OrderedReady' or 'Parallel'"));
    }
    const st = getObject(spec, 'updateStrategy')?.type;
    if (typeof st === 'string' && st !== '' && st !== 'RollingUpdate' && st !== 'OnDelete') {
      report(sp.child('updateStrategy', 'type'), invalid(sp.child('updateStrategy'), st, "must be 'RollingUpdate' or 'OnDelete'"));
    }
    const retention = getObject(spec, 'persistentVolumeClaimRetentionPolicy');
    for (const k of ['whenDeleted', 'whenScaled']) oneOf(retention, k, sp.child('persistentVolumeClaimRetentionPolicy'), ['Retain', 'Delete'], report);
  }
  if (is(info, 'Job', 'batch') || is(info, 'CronJob', 'batch')) {
    const jobSpec = is(info, 'Job', 'batch') ? spec : getObject(getObject(spec, 'jobTemplate'), 'spec');
    const jp = is(info, 'Job', 'batch') ? sp : sp.child('jobTemplate', 'spec');
    oneOf(jobSpec, 'completionMode', jp, ['NonIndexed', 'Indexed'], report);
    oneOf(jobSpec, 'podReplacementPolicy', jp, ['TerminatingOrFailed', 'Failed'], report);
  }
  if (is(info, 'CronJob', 'batch')) oneOf(spec, 'concurrencyPolicy', sp, ['Allow', 'Forbid', 'Replace'], report);
  if (is(info, 'Ingress', 'networking.k8s.io') && info.apiVersion === 'networking.k8s.io/v1') {
    for (const [i, rule] of objectItems(spec?.rules)) {
      for (const [j, path] of objectItems(getObject(rule, 'http')?.paths)) {
        const pp = sp.child('rules').index(i).child('http', 'paths').index(j);
        oneOf(path, 'pathType', pp, ['Exact', 'ImplementationSpecific', 'Prefix'], report);
      }
    }
  }
  if (is(info, 'NetworkPolicy', 'networking.k8s.io')) {
    const types = spec?.policyTypes;
    eachOf(types, sp.child('policyTypes'), ['Ingress', 'Egress'], report);
    if (Array.isArray(types) && types.length > 2) report(sp.child('policyTypes'), invalid(sp.child('policyTypes'), types.join(', '), 'may not specify more than two policyTypes'));
  }
}

export const enumValue = apiServerRule('enum-value', 'Fields with a fixed set of values hold one of them, spelled exactly.', help, checkObject);
