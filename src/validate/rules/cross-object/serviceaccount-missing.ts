import { getString } from '../../../core/objects.ts';
import type { PodTemplate, ResourceGraph } from '../../../graph/index.ts';
import type { Rule } from '../rule.ts';
import { graphOf, isReported, planResolvesDoc, reportMissingRef, ruleMeta, type UnresolvedName } from './support.ts';

export const serviceaccountMissing: Rule = {
  meta: ruleMeta({
    id: 'serviceaccount-missing',
    description: "A pod template's serviceAccountName names a ServiceAccount that is not defined in its namespace.",
    defaultSeverity: 'error',
    enabledByDefault: true,
    body: `
## Why

Pods are only created when their ServiceAccount exists: the ServiceAccount admission plugin rejects them
(\`error looking up service account\`), so the workload's controller retries forever with zero pods.

## What is checked

\`spec.serviceAccountName\` (or the deprecated \`spec.serviceAccount\`) of every pod template must name a
ServiceAccount in the template's effective namespace. \`default\` exists in every namespace and is never reported.

## Outcomes

- missing while the repo defines ServiceAccounts in that namespace: **error**;
- the repo defines none there: **info** (it is created outside the repo; kube-linter #137).
- a file of the input failed to parse: **info** — the objects it defines are unknown, so nothing is called
  missing (kube-linter #249, #669).
` + planResolvesDoc('the ServiceAccount is in the live state', 'serviceaccount-missing'),
  }),
  check(ctx) {
    const graph = graphOf(ctx);
    for (const { template: t, namespace: ns, path, name } of unresolvedServiceAccounts(graph, (t) => isReported(ctx, t))) {
      reportMissingRef(ctx, graph, t, path, { group: '', kind: 'ServiceAccount', namespace: ns }, `ServiceAccount "${name}"`, `is not defined in namespace "${ns}"; ${SERVICEACCOUNT_CONSEQUENCE}`);
    }
  },
};

export const SERVICEACCOUNT_CONSEQUENCE = 'pods are rejected until it exists';

/** ServiceAccounts pod templates name that the repo does not define (`default` exists in every namespace). */
export function unresolvedServiceAccounts(graph: ResourceGraph, only: (node: PodTemplate) => boolean = () => true): UnresolvedName[] {
  const out: UnresolvedName[] = [];
  for (const t of graph.podTemplates()) {
    const ns = t.owner.namespace;
    if (ns === undefined || !t.spec || !only(t)) continue;
    const field = getString(t.spec, 'serviceAccountName') !== undefined ? 'serviceAccountName' : 'serviceAccount';
    const name = getString(t.spec, field);
    if (!name || name === 'default') continue;
    if (graph.find('', 'ServiceAccount', ns, name).length > 0) continue;
    out.push({ template: t, namespace: ns, path: [...t.specPath, field], name });
  }
  return out;
}
