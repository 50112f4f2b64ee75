import { describeNode, namespaceNote, whereIs } from '../../../graph/index.ts';
import type { Rule } from '../rule.ts';
import { scaleRefs } from './scale-targets.ts';
import { graphOf, reportAt, reportMissingRef, ruleMeta } from './support.ts';

export const hpaTargetMissing: Rule = {
  meta: ruleMeta({
    id: 'hpa-target-missing',
    description: "A HorizontalPodAutoscaler's scaleTargetRef has no apiVersion, or names an object that isn't in its namespace.",
    defaultSeverity: 'error',
    enabledByDefault: true,
    body: `
## Why

The HPA controller resolves \`scaleTargetRef\` by **API group**, kind and name in the HPA's own namespace. Without an
\`apiVersion\` the group is empty and the HPA fails at runtime (\`no matches for kind "Deployment" in group ""\`;
knative/serving PR #59, terraform-provider-kubernetes #1622); a wrong name never scales anything.

## What is checked

- \`scaleTargetRef.apiVersion\` must be set;
- an object with that group, kind and name must exist in the HPA's namespace. Only the group is compared, not the
  version (\`apps/v1\` and \`apps/v1beta2\` name the same Deployment; kube-score and kube-linter compare the full string),
  and the namespace **is** compared (kube-linter doesn't).

## Outcomes

- missing apiVersion, or target absent while the repo has that kind in the namespace: **error**;
- the repo has no object of that kind in the namespace: **info** (the target is deployed from elsewhere).
- a file of the input failed to parse: **info** — the objects it defines are unknown, so nothing is called
  missing (kube-linter #249, #669).
`,
  }),
  check(ctx) {
    const graph = graphOf(ctx);
    for (const ref of scaleRefs(graph)) {
      if (ref.keda) continue;
      const { node, namespace: ns } = ref;
      const sameName = graph.objects.filter((o) => o.namespace === ns && o.kind === ref.kind && o.name === ref.name);
      if (ref.apiVersion === undefined || ref.apiVersion === '') {
        const hint = sameName[0] ? `; ${describeNode(sameName[0])} (${whereIs(sameName[0])}) is ${sameName[0].apiVersion}` : '';
        reportAt(ctx, node, ref.path, `${describeNode(node)}: scaleTargetRef has no apiVersion, so the HPA controller looks for ${ref.kind} "${ref.name}" in the core group and fails ("no matches for kind")${hint}`);
        continue;
      }
      if (graph.find(ref.group, ref.kind, ns, ref.name).length > 0) continue;
      const target = `${ref.kind} "${ref.name}" (group "${ref.group}")`;
      const otherGroup = sameName.find((o) => o.group !== ref.group);
      if (otherGroup) {
        reportAt(ctx, node, [...ref.path, 'apiVersion'], `${describeNode(node)}: scaleTargetRef ${target} does not exist in namespace "${ns}"; ${describeNode(otherGroup)} (${whereIs(otherGroup)}) is ${otherGroup.apiVersion} — set scaleTargetRef.apiVersion to match${namespaceNote(node)}`);
        continue;
      }
      reportMissingRef(ctx, graph, node, [...ref.path, 'name'], { group: ref.group, kind: ref.kind, namespace: ns }, `scaleTargetRef ${target}`, `does not exist in namespace "${ns}"`);
    }
  },
};
