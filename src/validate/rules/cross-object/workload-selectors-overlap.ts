import { describeNode, whereIs, type GraphObject } from '../../../graph/index.ts';
import { matchOutcome } from '../../../selectors/index.ts';
import type { Rule } from '../rule.ts';
import { graphOf, isReported, reportAt, ruleMeta } from './support.ts';

export const workloadSelectorsOverlap: Rule = {
  meta: ruleMeta({
    id: 'workload-selectors-overlap',
    description: "A workload's selector also matches the pod template of another workload (or a bare Pod) in the same namespace.",
    defaultSeverity: 'warning',
    enabledByDefault: true,
    body: `
## Why

Controllers find their pods by selector. When a Deployment's selector also matches another workload's pods (the
canary that shares \`app: web\`, a second Deployment copied from the first), ReplicaSets adopt or count the wrong pods
and the controllers fight; a bare Pod matching a ReplicaSet's selector is adopted and may be deleted. The Kubernetes
documentation warns against overlapping selectors, but the API server doesn't prevent them.

## What is checked

For each workload with a selector (Deployment, ReplicaSet, StatefulSet, DaemonSet, ReplicationController, Jobs with
manual selectors, configured CRDs), whether it **certainly** matches the pod template labels of another workload or
bare Pod in the same effective namespace (runtime labels such as \`pod-template-hash\` are taken into account). The
finding is on the selector that is too broad; add a label that tells the workloads apart to each selector and template.
`,
  }),
  check(ctx) {
    const graph = graphOf(ctx);
    for (const ns of graph.namespaces()) {
      const templates = graph.podTemplates(ns);
      for (const a of templates) {
        if (!a.selector || !a.selector.parsed.ok || !isReported(ctx, a)) continue;
        const selector = a.selector.parsed.selector;
        if (selector.nothing || selector.empty) continue;
        // The same object defined twice is duplicate-object's finding, not an overlap.
        const victims = templates.filter((b) => !sameIdentity(a.owner, b.owner) && matchOutcome(selector, b.labels, b.runtimeLabels) === 'yes');
        for (const b of victims) {
          reportAt(
            ctx,
            a,
            a.selector.path,
            `${describeNode(a.owner)}: selector ${selector.toString()} also matches the pods of ${describeNode(b.owner)} (${whereIs(b.owner)}); controllers with overlapping selectors fight over pods. Add a distinguishing label to both selectors and templates`,
          );
        }
      }
    }
  },
};

function sameIdentity(a: GraphObject, b: GraphObject): boolean {
  return a === b || (a.group === b.group && a.kind === b.kind && a.namespace === b.namespace && a.name === b.name);
}
