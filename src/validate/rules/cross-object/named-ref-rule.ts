// The shared check behind configmap-ref-missing and secret-ref-missing.
import { describeNode, namespaceNote } from '../../../graph/index.ts';
import type { RuleContext } from '../rule.ts';
import { namedRefs } from './pod-refs.ts';
import { graphOf, isReported, reportAt, resolveNamed, type NamedKind } from './support.ts';

export function checkNamedRefs(ctx: RuleContext, kind: NamedKind): void {
  const graph = graphOf(ctx);
  for (const t of graph.podTemplates()) {
    const ns = t.owner.namespace;
    if (ns === undefined || !isReported(ctx, t)) continue;
    for (const ref of namedRefs(t)) {
      if (ref.kind !== kind) continue;
      const r = resolveNamed(graph, kind, ns, ref.name);
      const owner = describeNode(t.owner);
      if (r.outcome === 'missing') {
        if (ref.optional) continue;
        reportAt(ctx, t, ref.path, `${owner}: ${kind} "${ref.name}" (${ref.via}) is not defined in namespace "${ns}"; ${consequence(kind, ref.via)}${namespaceNote(t.owner)}`);
      } else if (r.outcome === 'unknown') {
        if (ref.optional) continue;
        reportAt(ctx, t, ref.path, `${owner}: ${kind} "${ref.name}" (${ref.via}) could not be checked: ${r.reason}${namespaceNote(t.owner)}`, 'info');
      } else if (r.keys !== undefined && !ref.optional) {
        for (const k of ref.keys) {
          if (r.keys.has(k.key)) continue;
          const known = [...r.keys].sort().join(', ') || 'none';
          reportAt(ctx, t, k.path, `${owner}: ${kind} "${ref.name}" has no key "${k.key}" (${ref.via}; its keys: ${known}; defined by ${r.by}); ${consequence(kind, ref.via)}`);
        }
      }
    }
  }
}

function consequence(kind: NamedKind, via: string): string {
  if (via === 'imagePullSecrets') return 'pulls from a private registry will fail';
  if (via.includes('volume')) return 'the pod stays in ContainerCreating (mount fails) unless the reference is optional: true';
  return `the container fails to start (CreateContainerConfigError) unless the reference is optional: true`;
}
