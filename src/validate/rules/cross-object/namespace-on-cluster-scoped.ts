import { describeNode } from '../../../graph/index.ts';
import type { Rule } from '../rule.ts';
import { graphOf, reportAt, ruleMeta } from './support.ts';

export const namespaceOnClusterScoped: Rule = {
  meta: ruleMeta({
    id: 'namespace-on-cluster-scoped',
    description: 'A cluster-scoped object (ClusterRole, Namespace, StorageClass, CRD, …) sets metadata.namespace, which the API server ignores.',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    body: `
## Why

The API server drops \`metadata.namespace\` on cluster-scoped objects, so the field misleads readers ("this ClusterRole
belongs to team-a") and tools that key objects by namespace may see two different objects where the cluster has one.

## What is checked

Scope comes from the built-in list of cluster-scoped kinds (Namespace, Node, PersistentVolume, StorageClass,
ClusterRole(Binding), CustomResourceDefinition, webhook configurations, PriorityClass, IngressClass, APIService,
RuntimeClass, CSIDriver, …), from \`spec.scope\` of CRDs in the input, and from the schema's kind table when available.
Kinds of unknown scope are not reported.
`,
  }),
  check(ctx) {
    const graph = graphOf(ctx);
    for (const o of graph.objects) {
      if (o.scope !== 'cluster' || o.declaredNamespace === undefined || o.declaredNamespace === '') continue;
      reportAt(ctx, o, ['metadata', 'namespace'], `${describeNode(o)} is cluster-scoped: metadata.namespace "${o.declaredNamespace}" is ignored by the API server; remove it`);
    }
  },
};
