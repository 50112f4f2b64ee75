// The shared check behind configmap-ref-missing and secret-ref-missing.
import { describeNode, namespaceNote, type PodTemplate, type ResourceGraph } from '../../../graph/index.ts';
import type { RuleContext } from '../rule.ts';
import { namedRefs, type NamedRef } from './pod-refs.ts';
import { graphOf, isReported, reportAt, resolveNamed, type NamedKind, type Resolution } from './support.ts';

export interface NamedRefRelation {
  template: PodTemplate;
  namespace: string;
  ref: NamedRef;
  resolution: Resolution;
}

/** Every ConfigMap (or Secret) reference of every pod template, resolved against the repo. */
export function namedRefRelations(graph: ResourceGraph, kind: NamedKind, only: (node: PodTemplate) => boolean = () => true): NamedRefRelation[] {
  const out: NamedRefRelation[] = [];
  for (const t of graph.podTemplates()) {
    const ns = t.owner.namespace;
    if (ns === undefined || !only(t)) continue;
    for (const ref of namedRefs(t)) {
      if (ref.kind !== kind) continue;
      out.push({ template: t, namespace: ns, ref, resolution: resolveNamed(graph, kind, ns, ref.name) });
    }
  }
  return out;
}

export function checkNamedRefs(ctx: RuleContext, kind: NamedKind): void {
  const graph = graphOf(ctx);
  for (const { template: t, namespace: ns, ref, resolution: r } of namedRefRelations(graph, kind, (t) => isReported(ctx, t))) {
    const owner = describeNode(t.owner);
    if (r.outcome === 'missing') {
      if (ref.optional) continue;
      reportAt(ctx, t, ref.path, `${owner}: ${kind} "${ref.name}" (${ref.via}) is not defined in namespace "${ns}"; ${namedRefConsequence(kind, ref.via)}${namespaceNote(t.owner)}`);
    } else if (r.outcome === 'unknown') {
      if (ref.optional) continue;
      reportAt(ctx, t, ref.path, `${owner}: ${kind} "${ref.name}" (${ref.via}) could not be checked: ${r.reason}${namespaceNote(t.owner)}`, 'info');
    } else if (r.keys !== undefined && !ref.optional) {
      for (const k of ref.keys) {
        if (r.keys.has(k.key)) continue;
        const known = [...r.keys].sort().join(', ') || 'none';
        reportAt(ctx, t, k.path, `${owner}: ${kind} "${ref.name}" has no key "${k.key}" (${ref.via}; its keys: ${known}; defined by ${r.by}); ${namedRefConsequence(kind, ref.via)}`);
      }
    }
  }
}

/** What a pod suffers when the ConfigMap or Secret it references through `via` is missing. */
export function namedRefConsequence(kind: NamedKind, via: string): string {
  if (via === 'imagePullSecrets') return 'pulls from a private registry will fail';
  if (via.includes('volume')) return 'the pod stays in ContainerCreating (mount fails) unless the reference is optional: true';
  return `the container fails to start (CreateContainerConfigError) unless the reference is optional: true`;
}
