import { describeNode } from '../../../graph/index.ts';
import { parseLabelSelector, parseSelectorMap } from '../../../selectors/index.ts';
import type { Rule } from '../rule.ts';
import { selectorSites } from './selector-sites.ts';
import { graphOf, reportAt, ruleMeta } from './support.ts';

export const invalidLabelSelector: Rule = {
  meta: ruleMeta({
    id: 'invalid-label-selector',
    description: 'A label selector the API server rejects: bad operator, values that do not fit the operator, bad label key or value, non-string values.',
    defaultSeverity: 'error',
    enabledByDefault: true,
    body: `
## Why

The API server validates every label selector (\`metav1validation.ValidateLabelSelector\`) and rejects the whole
object when one is invalid. Other tools either crash on such selectors or silently treat them as "match everything".

## What is checked

Workload selectors (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, ReplicationController and
configured workload CRDs), Service \`spec.selector\`, PodDisruptionBudget \`spec.selector\`, NetworkPolicy
\`podSelector\` and peer \`podSelector\`/\`namespaceSelector\`, and pod (anti-)affinity and topology spread selectors:

- \`operator\` must be \`In\`, \`NotIn\`, \`Exists\` or \`DoesNotExist\` (case-sensitive);
- \`In\`/\`NotIn\` need a non-empty \`values\`; \`Exists\`/\`DoesNotExist\` must have none;
- keys must be valid label keys (\`[prefix/]name\`), values valid label values (≤ 63 characters, alphanumerics, \`-\`, \`_\`, \`.\`);
- values must be strings: YAML reads unquoted \`true\`, \`yes\`, \`1.10\` as booleans and numbers, which the API refuses;
- a selector written as a plain map (\`selector: {app: web}\`) where a LabelSelector is expected is reported
  (it needs \`matchLabels:\`).

## Example

\`\`\`yaml
# flagged: "exists" is not an operator (Exists is)
selector:
  matchExpressions:
    - {key: tier, operator: exists}
\`\`\`
`,
  }),
  check(ctx) {
    const graph = graphOf(ctx);
    for (const site of selectorSites(graph)) {
      const parsed = site.type === 'map' ? parseSelectorMap(site.raw) : parseLabelSelector(site.raw);
      if (parsed.ok) continue;
      for (const err of parsed.errors) {
        reportAt(ctx, site.node, [...site.path, ...err.path], `invalid label selector in ${site.what} of ${describeNode(site.node)}: ${err.message}; the API server rejects the object`, undefined, err.target);
      }
    }
  },
};
