import { describeNode } from '../../../graph/index.ts';
import { failedRequirements, formatLabels } from '../../../selectors/index.ts';
import type { Rule } from '../rule.ts';
import { graphOf, reportAt, ruleMeta } from './support.ts';

export const workloadSelectorMismatch: Rule = {
  meta: ruleMeta({
    id: 'workload-selector-mismatch',
    description: "A workload's selector does not match its own pod template labels, so the API server rejects it.",
    defaultSeverity: 'error',
    enabledByDefault: true,
    body: `
## Why

A Deployment, ReplicaSet, StatefulSet, DaemonSet (and a Job with \`manualSelector: true\`) must select the pods it
creates. The API server rejects the object with \`selector does not match template labels\`. (An empty selector,
\`selector: {}\`, is rejected too; the single-object rule \`workload-spec\` reports that.)

## What is checked

The full selector semantics: \`matchLabels\` **and** every \`matchExpressions\` requirement (\`In\`, \`NotIn\`,
\`Exists\`, \`DoesNotExist\`) against \`spec.template.metadata.labels\` — never against the workload's own
\`metadata.labels\`. Also ReplicationController map selectors (an empty one defaults to the template labels and is fine),
CronJob \`jobTemplate\` selectors, and configured workload CRDs with a \`selectorPath\`.

Labels that controllers add at runtime (\`pod-template-hash\`, \`controller-revision-hash\`, …) must **not** be in the
selector: the template doesn't carry them, so the API server rejects such a selector too.

## Example

\`\`\`yaml
kind: Deployment
spec:
  selector:
    matchLabels: {app: web, tier: frontend}   # flagged: the template has no tier label
  template:
    metadata:
      labels: {app: web}
\`\`\`
`,
  }),
  check(ctx) {
    const graph = graphOf(ctx);
    for (const t of graph.podTemplates()) {
      const sel = t.selector;
      if (!sel || sel.defaulted || !sel.parsed.ok) continue;
      const selector = sel.parsed.selector;
      const owner = describeNode(t.owner);
      if (selector.nothing) continue; // a missing required selector is a schema finding
      if (selector.empty) continue; // `{}` matches everything; the API-server rule workload-spec reports it as invalid
      if (selector.matches(t.labels)) continue;
      const failed = failedRequirements(selector, t.labels);
      reportAt(
        ctx,
        t,
        sel.path,
        `${owner}: selector ${selector.toString()} does not match its pod template labels (${formatLabels(t.labels)}); the template fails ${failed.join(', ')}. The API server rejects this ("selector does not match template labels")`,
      );
    }
  },
};
