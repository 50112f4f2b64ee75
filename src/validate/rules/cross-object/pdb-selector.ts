// PodDisruptionBudget selectors with their API-version semantics.
import { getObject } from '../../../core/objects.ts';
import type { GraphObject, ResourceGraph } from '../../../graph/index.ts';
import { nothing, parseLabelSelector, type Selector } from '../../../selectors/index.ts';

export interface PdbSelector {
  node: GraphObject;
  namespace: string;
  selector: Selector;
  /** policy/v1beta1 with `{}`: selects nothing there (policy/v1 selects every pod in the namespace). */
  v1beta1Empty: boolean;
}

/** PDBs with a valid selector; invalid ones are reported by label-syntax and schema validation. */
export function pdbSelectors(graph: ResourceGraph): PdbSelector[] {
  const out: PdbSelector[] = [];
  for (const node of graph.ofKind('policy', 'PodDisruptionBudget')) {
    if (node.namespace === undefined) continue;
    const parsed = parseLabelSelector(getObject(node.manifest.object, 'spec')?.selector);
    if (!parsed.ok) continue;
    const v1beta1Empty = node.apiVersion === 'policy/v1beta1' && parsed.selector.empty;
    out.push({ node, namespace: node.namespace, selector: v1beta1Empty ? nothing : parsed.selector, v1beta1Empty });
  }
  return out;
}
