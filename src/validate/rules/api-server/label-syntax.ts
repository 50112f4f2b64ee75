import { getObject, isObject } from '../../../core/objects.ts';
import type { JsonObject, JsonValue } from '../../../core/types.ts';
import { podSpecsOf } from '../../../k8s/pod-specs.ts';
import { isQualifiedName, isValidLabelValue } from '../../../k8s/validation.ts';
import { FieldPath, forbidden, invalid, required } from './field.ts';
import { apiServerRule, APPS, entriesOf, is, type ObjectInfo, objectItems, type Reporter } from './util.ts';

export const help = `# label-syntax

**Label keys and values, and label selectors, the API server would reject.**

A label key is an optional DNS-subdomain prefix (at most 253 characters) and a slash, then a name of at most
63 characters made of alphanumerics, \`-\`, \`_\` and \`.\` that starts and ends with an alphanumeric
(\`app.kubernetes.io/name\`, \`tier\`). A label value is empty or follows the same rule as the name part.

The rule checks every place the API server validates label syntax:

- \`metadata.labels\` of every object, of pod templates, of CronJob job templates and of StatefulSet volume claim templates;
- map selectors: Service and ReplicationController \`spec.selector\`, and pod \`nodeSelector\`;
- label selectors (\`matchLabels\` and \`matchExpressions\`) of Deployments, ReplicaSets, StatefulSets, DaemonSets,
  Jobs, PodDisruptionBudgets, NetworkPolicies (pod and namespace selectors of every peer),
  PersistentVolumeClaims, pod affinity terms and topology spread constraints.

For \`matchExpressions\` it also checks the operator (\`In\`, \`NotIn\`, \`Exists\`, \`DoesNotExist\`) and that
\`values\` is given for \`In\`/\`NotIn\` and absent for \`Exists\`/\`DoesNotExist\`. An absent \`key\` or \`operator\` is
the schema rule's finding.

Values that are not strings (an unquoted \`true\` or \`1.10\`) are reported by the schema rule, not here.

## Examples

\`\`\`yaml
metadata:
  labels:
    app name: web                 # name part must consist of alphanumeric characters, '-', '_' or '.', …
    version: "-beta"              # a valid label must be an empty string or consist of alphanumeric characters, …
spec:
  selector:
    matchExpressions:
    - {key: tier, operator: in, values: [web]}   # not a valid selector operator
\`\`\`
`;

/** ValidateLabels: each key and value of a label map; Go reports both at the map's path. */
export function checkLabelMap(value: JsonValue | undefined, path: FieldPath, report: Reporter): void {
  for (const [key, v] of entriesOf(value)) {
    for (const msg of isQualifiedName(key)) report(path.pointing(key), invalid(path, key, msg), { target: 'key' });
    if (typeof v === 'string') for (const msg of isValidLabelValue(v)) report(path.pointing(key), invalid(path, v, msg));
  }
}

/** ValidateLabelSelector (strict: label values in expressions are checked too, as on create). */
export function checkLabelSelector(value: JsonValue | undefined, path: FieldPath, report: Reporter): void {
  if (!isObject(value)) return;
  checkLabelMap(value.matchLabels, path.child('matchLabels'), report);
  for (const [i, expr] of objectItems(value.matchExpressions)) {
    const p = path.child('matchExpressions').index(i);
    const values = Array.isArray(expr.values) ? expr.values : [];
    const op = expr.operator;
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0) report(p.child('values'), required(p.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0) report(p.child('values'), forbidden(p.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else if (typeof op === 'string') {
      // An absent operator is the schema rule's finding (LabelSelectorRequirement.required).
      report(p.child('operator'), invalid(p.child('operator'), op, 'not a valid selector operator'));
    }
    if (typeof expr.key === 'string') for (const msg of isQualifiedName(expr.key)) report(p.child('key'), invalid(p.child('key'), expr.key, msg));
    values.forEach((v, j) => {
      if (typeof v === 'string') for (const msg of isValidLabelValue(v)) report(p.child('values').index(j), invalid(p.child('values').index(j), v, msg));
    });
  }
}

function checkPodSpecSelectors(spec: JsonObject, path: FieldPath, report: Reporter): void {
  checkLabelMap(spec.nodeSelector, path.child('nodeSelector'), report);
  const affinity = getObject(spec, 'affinity');
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const a = getObject(affinity, kind);
    const ap = path.child('affinity', kind);
    for (const [i, term] of objectItems(a?.requiredDuringSchedulingIgnoredDuringExecution)) {
      const tp = ap.child('requiredDuringSchedulingIgnoredDuringExecution').index(i);
      checkLabelSelector(term.labelSelector, tp.child('labelSelector'), report);
      checkLabelSelector(term.namespaceSelector, tp.child('namespaceSelector'), report);
    }
    for (const [i, weighted] of objectItems(a?.preferredDuringSchedulingIgnoredDuringExecution)) {
      const tp = ap.child('preferredDuringSchedulingIgnoredDuringExecution').index(i).child('podAffinityTerm');
      const term = getObject(weighted, 'podAffinityTerm');
      checkLabelSelector(term?.labelSelector, tp.child('labelSelector'), report);
      checkLabelSelector(term?.namespaceSelector, tp.child('namespaceSelector'), report);
    }
  }
  for (const [i, c] of objectItems(spec.topologySpreadConstraints)) {
    checkLabelSelector(c.labelSelector, path.child('topologySpreadConstraints').index(i).child('labelSelector'), report);
  }
}

function checkObject(info: ObjectInfo, report: Reporter): void {
  const root = FieldPath.root();
  const o = info.object;
  checkLabelMap(info.metadata?.labels, root.child('metadata', 'labels'), report);

  for (const pod of podSpecsOf(o)) {
    const specPath = FieldPath.of(pod.path);
    // ValidatePodTemplateSpec names the template's labels spec.template.labels (no "metadata").
    if (pod.isTemplate) checkLabelMap(pod.metadata?.labels, FieldPath.of(pod.metadataPath.slice(0, -1)).child('labels').locatedAt(FieldPath.of(pod.metadataPath).child('labels')), report);
    checkPodSpecSelectors(pod.spec, specPath, report);
  }
  const spec = getObject(o, 'spec');
  const specPath = root.child('spec');

  if (is(info, 'Service', '') || is(info, 'ReplicationController', '')) checkLabelMap(spec?.selector, specPath.child('selector'), report);
  if (APPS.includes(info.group) && ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].includes(info.kind)) checkLabelSelector(spec?.selector, specPath.child('selector'), report);
  if (is(info, 'Job', 'batch')) checkLabelSelector(spec?.selector, specPath.child('selector'), report);
  if (is(info, 'CronJob', 'batch')) {
    const jt = getObject(spec, 'jobTemplate');
    checkLabelMap(getObject(jt, 'metadata')?.labels, specPath.child('jobTemplate', 'metadata', 'labels'), report);
  }
  if (is(info, 'StatefulSet', 'apps')) {
    for (const [i, t] of objectItems(spec?.volumeClaimTemplates)) {
      const tp = specPath.child('volumeClaimTemplates').index(i);
      checkLabelMap(getObject(t, 'metadata')?.labels, tp.child('metadata', 'labels'), report);
      checkLabelSelector(getObject(t, 'spec')?.selector, tp.child('spec', 'selector'), report);
    }
  }
  if (is(info, 'PodDisruptionBudget', 'policy')) checkLabelSelector(spec?.selector, specPath.child('selector'), report);
  if (is(info, 'PersistentVolumeClaim', '')) checkLabelSelector(spec?.selector, specPath.child('selector'), report);
  if (is(info, 'NetworkPolicy', 'networking.k8s.io')) {
    checkLabelSelector(spec?.podSelector, specPath.child('podSelector'), report);
    for (const [dir, peers] of [
      ['ingress', 'from'],
      ['egress', 'to'],
    ] as const) {
      for (const [i, rule] of objectItems(spec?.[dir])) {
        for (const [j, peer] of objectItems(rule[peers])) {
          const pp = specPath.child(dir).index(i).child(peers).index(j);
          checkLabelSelector(peer.podSelector, pp.child('podSelector'), report);
          checkLabelSelector(peer.namespaceSelector, pp.child('namespaceSelector'), report);
        }
      }
    }
  }
}

export const labelSyntax = apiServerRule('label-syntax', 'Label keys, label values and label selectors follow the syntax the API server enforces.', help, checkObject);
