import { describeNode } from '../../../graph/index.ts';
import type { Rule } from '../rule.ts';
import { scaleRefs } from './scale-targets.ts';
import { graphOf, reportAt, ruleMeta } from './support.ts';

export const hpaTargetNotScalable: Rule = {
  meta: ruleMeta({
    id: 'hpa-target-not-scalable',
    description: 'A HorizontalPodAutoscaler (or KEDA ScaledObject) targets a kind that has no scale subresource, such as a DaemonSet.',
    defaultSeverity: 'error',
    enabledByDefault: true,
    body: `
## Why

An HPA scales through the target's \`/scale\` subresource. Deployments, ReplicaSets, StatefulSets,
ReplicationControllers and custom resources whose CRD declares \`subresources.scale\` have one; DaemonSets, Jobs,
CronJobs and Pods don't, so the HPA never works (kubernetes #48588).

## What is checked

The target kind (by group) is looked up among built-in kinds, CRDs in the input (\`subresources.scale\`) and configured
workload CRDs (\`scalable: true\`). Unknown custom kinds are not reported.
`,
  }),
  check(ctx) {
    const graph = graphOf(ctx);
    for (const ref of scaleRefs(graph)) {
      if (!ref.apiVersion) continue; // hpa-target-missing reports it
      if (graph.isScalable(ref.group, ref.kind) !== false) continue;
      reportAt(ctx, ref.node, [...ref.path, 'kind'], `${describeNode(ref.node)} targets ${ref.kind} "${ref.name}", but ${ref.group ? `${ref.group}/` : ''}${ref.kind} has no scale subresource, so it cannot be autoscaled`);
    }
  },
};
