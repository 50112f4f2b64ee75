import { getObject, isObject } from '../../../core/objects.ts';
import type { JsonValue } from '../../../core/types.ts';
import { isValidPathSegmentName, nameIsDNSSubdomain } from '../../../k8s/names.ts';
import { FieldPath, invalid, notSupported, required } from './field.ts';
import { apiServerRule, objectItems, type Reporter } from './util.ts';

export const help = `# rbac

**Roles and bindings the RBAC API rejects.**

Roles and ClusterRoles:

- every rule has at least one verb (\`verbs: []\` is rejected; an absent list is the schema rule's finding);
- a resource rule has \`apiGroups\` (use \`[""]\` for the core group) and \`resources\`;
- a rule with \`nonResourceURLs\` has no \`apiGroups\`, \`resources\` or \`resourceNames\`, and only ClusterRoles may
  have such rules.

RoleBindings and ClusterRoleBindings:

- \`roleRef.apiGroup\` is \`rbac.authorization.k8s.io\` (it has no default: leaving it out is an error);
- \`roleRef.kind\` is \`Role\` or \`ClusterRole\` (only \`ClusterRole\` for a ClusterRoleBinding), and \`roleRef.name\` is not empty;
- each subject has a non-empty \`name\` and a \`kind\` of \`ServiceAccount\`, \`User\` or \`Group\`; a ServiceAccount subject has an
  empty \`apiGroup\`, a valid name and, in a ClusterRoleBinding, a \`namespace\`; Users and Groups use the
  \`rbac.authorization.k8s.io\` group (the default when left out).

Role and binding names are path segments, which \`object-name\` checks: \`system:controller:foo\` is fine.

## Example

\`\`\`yaml
kind: ClusterRoleBinding
roleRef: {kind: ClusterRole, name: view}        # roleRef.apiGroup: Unsupported value: "": supported values: "rbac.authorization.k8s.io"
subjects:
- {kind: ServiceAccount, name: ci}              # subjects[0].namespace: Required value
\`\`\`
`;

const RBAC = 'rbac.authorization.k8s.io';
const len = (v: JsonValue | undefined): number => (Array.isArray(v) ? v.length : 0);

function checkRules(rules: JsonValue | undefined, namespaced: boolean, report: Reporter): void {
  for (const [i, rule] of objectItems(rules)) {
    const p = FieldPath.root().child('rules').index(i);
    if (Array.isArray(rule.verbs) && rule.verbs.length === 0) report(p.child('verbs'), required(p.child('verbs'), 'verbs must contain at least one value'));
    if (len(rule.nonResourceURLs) > 0) {
      const urls = rule.nonResourceURLs;
      if (namespaced) report(p.child('nonResourceURLs'), invalid(p.child('nonResourceURLs'), urls, 'namespaced rules cannot apply to non-resource URLs'));
      if (len(rule.apiGroups) > 0 || len(rule.resources) > 0 || len(rule.resourceNames) > 0) {
        report(p.child('nonResourceURLs'), invalid(p.child('nonResourceURLs'), urls, 'rules cannot apply to both regular resources and non-resource URLs'));
      }
      continue;
    }
    if (len(rule.apiGroups) === 0) report(p.child('apiGroups'), required(p.child('apiGroups'), 'resource rules must supply at least one api group'));
    if (len(rule.resources) === 0) report(p.child('resources'), required(p.child('resources'), 'resource rules must supply at least one resource'));
  }
}

function checkBinding(object: Record<string, JsonValue>, namespaced: boolean, report: Reporter): void {
  const ref = getObject(object, 'roleRef') ?? {};
  const rp = FieldPath.root().child('roleRef');
  const apiGroup = typeof ref.apiGroup === 'string' ? ref.apiGroup : '';
  if (apiGroup !== RBAC) report(rp.child('apiGroup'), notSupported(rp.child('apiGroup'), apiGroup, [RBAC]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  const kind = ref.kind;
  if (typeof kind === 'string' && !kinds.includes(kind)) report(rp.child('kind'), notSupported(rp.child('kind'), kind, kinds));
  const name = ref.name;
  if (name === '') report(rp.child('name'), required(rp.child('name')));
  else if (typeof name === 'string') for (const msg of isValidPathSegmentName(name)) report(rp.child('name'), invalid(rp.child('name'), name, msg));

  for (const [i, subject] of objectItems(object.subjects)) {
    const p = FieldPath.root().child('subjects').index(i);
    const sname = typeof subject.name === 'string' ? subject.name : '';
    if (subject.name === '') report(p.child('name'), required(p.child('name')));
    const group = typeof subject.apiGroup === 'string' ? subject.apiGroup : '';
    switch (subject.kind) {
      case 'ServiceAccount':
        if (sname !== '') for (const msg of nameIsDNSSubdomain(sname, false)) report(p.child('name'), invalid(p.child('name'), sname, msg));
        if (group !== '') report(p.child('apiGroup'), notSupported(p.child('apiGroup'), group, ['']));
        if (!namespaced && (typeof subject.namespace !== 'string' || subject.namespace === '')) report(p.child('namespace'), required(p.child('namespace')));
        break;
      case 'User':
      case 'Group':
        // v1 defaults an empty apiGroup to rbac.authorization.k8s.io.
        if (group !== '' && group !== RBAC) report(p.child('apiGroup'), notSupported(p.child('apiGroup'), group, [RBAC]));
        break;
      default:
        if (typeof subject.kind === 'string') report(p.child('kind'), notSupported(p.child('kind'), subject.kind, ['ServiceAccount', 'User', 'Group']));
    }
  }
}

export const rbac = apiServerRule('rbac', 'RBAC rules, role references and subjects are complete and consistent.', help, (info, report) => {
  if (info.group !== RBAC) return;
  if (info.kind === 'Role' || info.kind === 'ClusterRole') checkRules(info.object.rules, info.kind === 'Role', report);
  if ((info.kind === 'RoleBinding' || info.kind === 'ClusterRoleBinding') && isObject(info.object)) checkBinding(info.object, info.kind === 'RoleBinding', report);
});
