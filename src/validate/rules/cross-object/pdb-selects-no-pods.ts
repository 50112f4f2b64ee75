import { getObject } from '../../../core/objects.ts';
import { describeNode, type GraphObject, namespaceNote, type ResourceGraph } from '../../../graph/index.ts';
import type { Rule } from '../rule.ts';
import { pdbSelectors, type PdbSelector } from './pdb-selector.ts';
import { closestHint, graphOf, isReported, planResolvesDoc, reportAt, ruleMeta, selectionOutcome, type SelectorRelation, selectTemplates } from './support.ts';

export const pdbSelectsNoPods: Rule = {
  meta: ruleMeta({
    id: 'pdb-selects-no-pods',
    description: 'A PodDisruptionBudget selects no pods: it has no selector, or its selector matches no pod template in its namespace.',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    body: `
## Why

A PDB that selects nothing protects nothing: evictions and node drains proceed as if it didn't exist.

## What is checked

- In \`policy/v1\` a missing (null) selector selects **no** pods and \`{}\` selects **every** pod in the namespace;
  in \`policy/v1beta1\` \`{}\` also selected no pods. A missing selector is reported (kube-linter crashed on it, #1041).
- Otherwise the selector (\`matchLabels\` and \`matchExpressions\`, exact semantics) is matched against the **pod
  template labels** of workloads in the PDB's effective namespace — not against workload selectors (kube-linter
  PR #554 couldn't handle \`matchExpressions\` that way) or workload \`metadata.labels\` (Polaris PR #1027).

## Outcomes

- no match while every pod source in the namespace is in the repo: **warning**, naming the closest template;
- the namespace has no pod templates in the repo, or custom resources that may create pods: **info**.
- a file of the input failed to parse: **info** — the objects it defines are unknown, so nothing is called
  missing (kube-linter #249, #669).
` + planResolvesDoc('the selector matches running pods in the live state (or the pod template of a live workload that the plan keeps)', 'selector-no-match', true),
  }),
  check(ctx) {
    const graph = graphOf(ctx);
    for (const { pdb, relation } of pdbSelections(graph, (node) => isReported(ctx, node))) {
      const { node, selector } = pdb;
      const where = relation.path;
      if (pdb.v1beta1Empty) {
        reportAt(ctx, node, where, `${describeNode(node)}: in policy/v1beta1 an empty selector selects no pods (policy/v1 changed this to "all pods in the namespace"); give it matchLabels`);
        continue;
      }
      if (selector.nothing) {
        reportAt(ctx, node, where, `${describeNode(node)} has no selector: a null selector selects no pods, so the budget protects nothing`);
        continue;
      }
      if (relation.selection === undefined) continue;
      const outcome = selectionOutcome(relation.selection);
      if (outcome.outcome === 'found') continue;
      if (outcome.outcome === 'unknown') {
        reportAt(ctx, node, where, `${describeNode(node)}: selector ${selector.toString()} matches no pod template in the repo, but could not be checked: ${outcome.reason}${namespaceNote(node)}`, 'info');
        continue;
      }
      reportAt(ctx, node, where, `${describeNode(node)}: selector ${selector.toString()} matches no pod template in namespace "${pdb.namespace}", so the budget protects nothing${closestHint(selector, graph.podTemplates(pdb.namespace))}${namespaceNote(node)}`);
    }
  },
};

/** PDBs and the pod templates their selectors select; `selection` undefined when the selector by itself selects nothing or everything. */
export function pdbSelections(graph: ResourceGraph, only: (node: GraphObject) => boolean = () => true): { pdb: PdbSelector; relation: SelectorRelation }[] {
  return pdbSelectors(graph).filter((pdb) => only(pdb.node)).map((pdb) => {
    const spec = getObject(pdb.node.manifest.object, 'spec');
    const hasSelector = spec?.selector !== undefined && spec?.selector !== null;
    const decided = pdb.v1beta1Empty || pdb.selector.nothing || pdb.selector.empty;
    return {
      pdb,
      relation: { node: pdb.node, namespace: pdb.namespace, path: hasSelector ? ['spec', 'selector'] : ['spec'], selector: pdb.selector, selection: decided ? undefined : selectTemplates(graph, pdb.namespace, pdb.selector) },
    };
  });
}
