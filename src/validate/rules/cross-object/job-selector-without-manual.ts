import { valueAt } from '../../../core/objects.ts';
import { describeNode } from '../../../graph/index.ts';
import type { Rule } from '../rule.ts';
import { graphOf, reportAt, ruleMeta } from './support.ts';

export const jobSelectorWithoutManual: Rule = {
  meta: ruleMeta({
    id: 'job-selector-without-manual',
    description: 'A Job (or CronJob job template) sets spec.selector without manualSelector: true, which the API server rejects.',
    defaultSeverity: 'error',
    enabledByDefault: true,
    body: `
## Why

The Job controller generates a unique selector (\`batch.kubernetes.io/controller-uid\`) for every Job. A
hand-written \`spec.selector\` is only accepted with \`spec.manualSelector: true\`; otherwise the API server rejects
the Job with \`selector not auto-generated\`. A hand-written selector is also risky: two Jobs selecting the same
labels count each other's pods.

## Fix

Remove \`spec.selector\` (recommended), or set \`manualSelector: true\` if you really manage the pod labels yourself.
A missing selector is never reported.

## Example

\`\`\`yaml
kind: Job
spec:
  selector:                # flagged
    matchLabels: {job: migrate}
  template:
    metadata:
      labels: {job: migrate}
\`\`\`
`,
  }),
  check(ctx) {
    const graph = graphOf(ctx);
    for (const o of graph.objects) {
      if (o.group !== 'batch' || (o.kind !== 'Job' && o.kind !== 'CronJob')) continue;
      const specPath = o.kind === 'Job' ? ['spec'] : ['spec', 'jobTemplate', 'spec'];
      const spec = valueAt(o.manifest.object, specPath);
      const jobSpec = spec && typeof spec === 'object' && !Array.isArray(spec) ? spec : undefined;
      if (!jobSpec || jobSpec.selector === undefined || jobSpec.selector === null) continue;
      if (jobSpec.manualSelector === true) continue;
      reportAt(
        ctx,
        o,
        [...specPath, 'selector'],
        `${describeNode(o)} sets ${specPath.join('.')}.selector without manualSelector: true; the API server rejects it ("selector not auto-generated"). Remove the selector and let the Job controller generate one`,
      );
    }
  },
};
