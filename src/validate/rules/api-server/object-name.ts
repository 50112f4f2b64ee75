import { getObject, getString } from '../../../core/objects.ts';
import { isDNS1123Label } from '../../../k8s/validation.ts';
import { type NameFn, nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain, nameIsPathSegment } from '../../../k8s/names.ts';
import { FieldPath, invalid, required } from './field.ts';
import { apiServerRule, type ObjectInfo, type Reporter } from './util.ts';

export const help = `# object-name

**Object names, generateName and namespace the API server would reject.**

The published OpenAPI schemas say nothing about names; the rules live in each kind's Go validation.
This rule applies them per kind:

| kinds | name must be | example of a valid name |
|---|---|---|
| most kinds, and custom resources | DNS-1123 subdomain: lowercase alphanumerics, \`-\` and \`.\`, at most 253 characters | \`web.v2\` |
| Namespace, StatefulSet | DNS-1123 label: no dots, at most 63 characters | \`web-0\` |
| Service | DNS-1035 label: a label that starts with a letter | \`api\` |
| Role, ClusterRole, RoleBinding, ClusterRoleBinding | a path segment: anything but \`.\`, \`..\`, \`/\` and \`%\` | \`system:controller:foo\` |
| CustomResourceDefinition | \`<spec.names.plural>.<spec.group>\` | \`widgets.example.com\` |

It also checks:

- a name or a \`generateName\` is present (\`generateName\` may end with \`-\`);
- \`metadata.namespace\`, when set, is a DNS-1123 label;
- a CronJob name has at most 52 characters (the controller appends an 11-character suffix to name each Job);
- a Job name has at most 63 characters (it is copied into the \`batch.kubernetes.io/job-name\` label of the Job's pods);
- as a **warning**, Pods, Deployments, ReplicaSets, ReplicationControllers, Jobs and CronJobs whose names are valid
  subdomains but not DNS labels: their pods' host names cannot hold dots, and the API server warns about them.

## Examples

\`\`\`yaml
metadata:
  name: My_App        # metadata.name: Invalid value: "My_App": a lowercase RFC 1123 subdomain must consist of …
---
kind: Service
metadata:
  name: 2fast         # a DNS-1035 label must start with a letter
---
kind: ClusterRole
metadata:
  name: system:vpa-actor   # fine: RBAC names are path segments
\`\`\`

Messages use the API server's wording, so they match what \`kubectl apply\` would print.
`;

const RBAC_GROUP = 'rbac.authorization.k8s.io';

function nameFunction(info: ObjectInfo): NameFn {
  if (info.group === '' && info.kind === 'Service') return nameIsDNS1035Label;
  if (info.group === '' && info.kind === 'Namespace') return nameIsDNSLabel;
  if (info.group === 'apps' && info.kind === 'StatefulSet') return nameIsDNSLabel;
  if (info.group === RBAC_GROUP && ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'].includes(info.kind)) return nameIsPathSegment;
  if (info.group === 'apiextensions.k8s.io' && info.kind === 'CustomResourceDefinition') {
    const spec = getObject(info.object, 'spec');
    const required = `${getString(getObject(spec, 'names'), 'plural') ?? ''}.${getString(spec, 'group') ?? ''}`;
    return (name, prefix) => [...nameIsDNSSubdomain(name, prefix), ...(prefix || name === required ? [] : ['must be spec.names.plural+"."+spec.group'])];
  }
  return nameIsDNSSubdomain;
}

/** Kinds for which the API server warns when the name is not a DNS label (their pods take host names from it). */
const LABEL_RECOMMENDED = new Set(['/Pod', 'apps/Deployment', 'apps/ReplicaSet', '/ReplicationController', 'batch/Job', 'batch/CronJob']);

export const objectName = apiServerRule('object-name', 'Object names, generateName and namespaces follow the per-kind rules the API server enforces.', help, (info, report) => {
  const meta = FieldPath.root().child('metadata');
  const name = info.metadata?.name;
  const generateName = info.metadata?.generateName;
  const nameFn = nameFunction(info);

  if (typeof generateName === 'string' && generateName.length > 0) {
    for (const msg of nameFn(generateName, true)) report(meta.child('generateName'), invalid(meta.child('generateName'), generateName, msg));
  }
  if (name === undefined || name === null || name === '') {
    if (typeof generateName !== 'string' || generateName.length === 0) report(meta.child('name'), required(meta.child('name'), 'name or generateName is required'));
  } else if (typeof name === 'string') {
    const errs = nameFn(name, false);
    for (const msg of errs) report(meta.child('name'), invalid(meta.child('name'), name, msg));
    if (errs.length === 0) checkLengthLimits(info, name, report, meta);
    if (errs.length === 0 && name.length <= 63 && LABEL_RECOMMENDED.has(`${info.group}/${info.kind}`)) {
      const labelErrs = isDNS1123Label(name);
      if (labelErrs.length > 0) {
        const use = info.kind === 'Pod' ? "the Pod's hostname" : 'Pod names and hostnames';
        // Go formats the list with %v: [first second].
        report(meta.child('name'), `${meta.child('name').text}: this is used in ${use}, which can result in surprising behavior; a DNS label is recommended: [${labelErrs.join(' ')}]`, { severity: 'warning' });
      }
    }
  }

  const namespace = info.metadata?.namespace;
  if (typeof namespace === 'string' && namespace.length > 0) {
    for (const msg of nameIsDNSLabel(namespace, false)) report(meta.child('namespace'), invalid(meta.child('namespace'), namespace, msg));
  }
});

function checkLengthLimits(info: ObjectInfo, name: string, report: Reporter, meta: FieldPath): void {
  if (info.group !== 'batch') return;
  if (info.kind === 'CronJob' && name.length > 52) {
    report(meta.child('name'), invalid(meta.child('name'), name, 'must be no more than 52 characters'));
  }
  if (info.kind === 'Job' && name.length > 63 && getObject(info.object, 'spec')?.manualSelector !== true) {
    report(
      meta.child('name'),
      invalid(meta.child('name'), name, 'must be no more than 63 characters (the name becomes the value of the batch.kubernetes.io/job-name label on the pod template, and label values are limited to 63 characters)'),
    );
  }
}
