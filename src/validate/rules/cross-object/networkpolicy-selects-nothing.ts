import { getObject } from '../../../core/objects.ts';
import { describeNode, type GraphObject, namespaceNote, type ResourceGraph } from '../../../graph/index.ts';
import { parseLabelSelector } from '../../../selectors/index.ts';
import type { Rule } from '../rule.ts';
import { closestHint, graphOf, isReported, planResolvesDoc, reportAt, ruleMeta, selectionOutcome, type SelectorRelation, selectTemplates } from './support.ts';

export const networkpolicySelectsNothing: Rule = {
  meta: ruleMeta({
    id: 'networkpolicy-selects-nothing',
    description: "A NetworkPolicy's podSelector matches no pod template in its namespace, so the policy applies to no pod.",
    defaultSeverity: 'warning',
    enabledByDefault: true,
    body: `
## Why

A policy whose \`podSelector\` matches nothing isolates nothing — usually a label typo that leaves pods open.

## What is checked

\`spec.podSelector\` (exact semantics: \`matchLabels\` and \`matchExpressions\`) against the pod template labels in the
policy's effective namespace only (checkov #7474 ignored namespaces). \`podSelector: {}\` selects every pod in the
namespace and is never reported (kube-score #293, #420); a \`matchExpressions\`-only selector is evaluated, not
treated as "all pods" (checkov #7668). Peer selectors are not checked here.

## Outcomes

- no match while every pod source in the namespace is in the repo: **warning**;
- the namespace has no pod templates in the repo, or custom resources that may create pods: **info**.
- a file of the input failed to parse: **info** — the objects it defines are unknown, so nothing is called
  missing (kube-linter #249, #669).
` + planResolvesDoc('the podSelector matches running pods in the live state (or the pod template of a live workload that the plan keeps)', 'selector-no-match', true),
  }),
  check(ctx) {
    const graph = graphOf(ctx);
    for (const { node: np, namespace: ns, path, selector, selection } of networkPolicySelections(graph, (np) => isReported(ctx, np))) {
      if (selection === undefined) continue;
      const outcome = selectionOutcome(selection);
      if (outcome.outcome === 'found') continue;
      if (outcome.outcome === 'unknown') {
        reportAt(ctx, np, path, `${describeNode(np)}: podSelector ${selector.toString()} matches no pod template in the repo, but could not be checked: ${outcome.reason}${namespaceNote(np)}`, 'info');
        continue;
      }
      reportAt(ctx, np, path, `${describeNode(np)}: podSelector ${selector.toString()} matches no pod template in namespace "${ns}", so the policy applies to no pod${closestHint(selector, graph.podTemplates(ns))}${namespaceNote(np)}`);
    }
  },
};

/** NetworkPolicies with a valid, non-empty podSelector and the pod templates it selects. */
export function networkPolicySelections(graph: ResourceGraph, only: (node: GraphObject) => boolean = () => true): SelectorRelation[] {
  const out: SelectorRelation[] = [];
  for (const np of graph.ofKind('networking.k8s.io', 'NetworkPolicy')) {
    const ns = np.namespace;
    if (ns === undefined || !only(np)) continue;
    const raw = getObject(np.manifest.object, 'spec')?.podSelector;
    // podSelector is a struct, not a pointer, in the API: absent means {} (every pod).
    const parsed = parseLabelSelector(raw === undefined || raw === null ? {} : raw);
    if (!parsed.ok || parsed.selector.empty) continue;
    out.push({ node: np, namespace: ns, path: ['spec', 'podSelector'], selector: parsed.selector, selection: selectTemplates(graph, ns, parsed.selector) });
  }
  return out;
}
