import { describeNode, whereIs, type GraphObject, type PodTemplate } from '../../../graph/index.ts';
import { matchOutcome } from '../../../selectors/index.ts';
import type { Rule } from '../rule.ts';
import { pdbSelectors, type PdbSelector } from './pdb-selector.ts';
import { describeTemplates, graphOf, reportAt, ruleMeta } from './support.ts';

export const pdbOverlapping: Rule = {
  meta: ruleMeta({
    id: 'pdb-overlapping',
    description: 'More than one PodDisruptionBudget selects the same pods, which makes the eviction API refuse to evict them.',
    defaultSeverity: 'error',
    enabledByDefault: true,
    body: `
## Why

The eviction API refuses to evict a pod covered by more than one PodDisruptionBudget ("This pod has more than one
PodDisruptionBudget, which the eviction subresource does not support"), so \`kubectl drain\` and cluster autoscaler
scale-downs hang on those pods. A namespace-wide \`selector: {}\` PDB plus a per-app PDB is the usual cause.

## What is checked

For every pod template in a namespace, the PDBs whose selectors certainly match its labels (exact semantics; a match
that depends on runtime labels doesn't count). Each PDB after the first is reported once per earlier PDB it overlaps
with, naming the shared workloads.
`,
  }),
  check(ctx) {
    const graph = graphOf(ctx);
    const byNs = new Map<string, PdbSelector[]>();
    for (const p of pdbSelectors(graph)) {
      if (p.selector.nothing) continue;
      const list = byNs.get(p.namespace) ?? [];
      list.push(p);
      byNs.set(p.namespace, list);
    }
    for (const [ns, pdbs] of byNs) {
      if (pdbs.length < 2) continue;
      const shared = new Map<GraphObject, Map<GraphObject, PodTemplate[]>>();
      for (const t of graph.podTemplates(ns)) {
        const covering = pdbs.filter((p) => matchOutcome(p.selector, t.labels, t.runtimeLabels) === 'yes');
        const firstPdb = covering[0];
        if (!firstPdb) continue;
        for (const later of covering.slice(1)) {
          const m = shared.get(later.node) ?? new Map<GraphObject, PodTemplate[]>();
          const list = m.get(firstPdb.node) ?? [];
          list.push(t);
          m.set(firstPdb.node, list);
          shared.set(later.node, m);
        }
      }
      for (const p of pdbs) {
        for (const [other, templates] of shared.get(p.node) ?? []) {
          reportAt(
            ctx,
            p.node,
            ['spec', 'selector'],
            `${describeNode(p.node)} selects the same pods as ${describeNode(other)} (${whereIs(other)}): ${describeTemplates(templates)}. The eviction API refuses to evict pods covered by more than one PodDisruptionBudget, so drains hang`,
          );
        }
      }
    }
  },
};
