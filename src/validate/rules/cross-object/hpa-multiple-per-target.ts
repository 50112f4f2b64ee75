import { describeNode, whereIs } from '../../../graph/index.ts';
import type { Rule } from '../rule.ts';
import { scaleRefs, type ScaleRef } from './scale-targets.ts';
import { graphOf, reportAt, ruleMeta } from './support.ts';

export const hpaMultiplePerTarget: Rule = {
  meta: ruleMeta({
    id: 'hpa-multiple-per-target',
    description: 'More than one HorizontalPodAutoscaler (or KEDA ScaledObject) scales the same workload.',
    defaultSeverity: 'error',
    enabledByDefault: true,
    body: `
## Why

Two autoscalers on one workload overwrite each other's replica count; recent Kubernetes versions detect it and stop
scaling (\`AmbiguousSelector\`). A KEDA \`ScaledObject\` creates an HPA, so it conflicts with a hand-written HPA on the
same target.

## What is checked

\`scaleTargetRef\`s are compared by namespace, API group, kind and name; every autoscaler after the first is reported
and names the first.
`,
  }),
  check(ctx) {
    const graph = graphOf(ctx);
    const first = new Map<string, ScaleRef>();
    for (const ref of scaleRefs(graph)) {
      const key = `${ref.namespace}/${ref.group}/${ref.kind}/${ref.name}`;
      const prev = first.get(key);
      if (!prev) {
        first.set(key, ref);
        continue;
      }
      reportAt(
        ctx,
        ref.node,
        ref.path,
        `${describeNode(ref.node)} and ${describeNode(prev.node)} (${whereIs(prev.node)}) both scale ${ref.kind} ${ref.namespace}/${ref.name}: autoscalers on one target fight over its replicas (Kubernetes stops scaling with AmbiguousSelector); keep one`,
      );
    }
  },
};
