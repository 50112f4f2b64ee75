import { describeNode, namespaceNote, whereIs, type GraphObject } from '../../../graph/index.ts';
import type { Rule } from '../rule.ts';
import { graphOf, reportAt, ruleMeta } from './support.ts';

export const duplicateObject: Rule = {
  meta: ruleMeta({
    id: 'duplicate-object',
    description: 'The same object (API group, kind, namespace, name) is defined more than once in the input.',
    defaultSeverity: 'error',
    enabledByDefault: true,
    body: `
## Why

Two definitions of one object means one silently overwrites the other on apply — which one depends on file order —
and a plan can't say what the cluster will end up with.

## What is checked

Objects are identified by API group (not version: \`apps/v1\` and \`apps/v1beta2\` Deployments are the same object),
kind, **effective** namespace (\`metadata.namespace\`, a kustomization \`namespace:\`, or the default namespace; ignored
for cluster-scoped kinds) and name. The second and later occurrences are reported and name the first one's file and
line. Objects with only \`generateName\` are not compared.
`,
  }),
  check(ctx) {
    const graph = graphOf(ctx);
    const first = new Map<string, GraphObject>();
    for (const o of graph.objects) {
      if (o.name === '') continue;
      const key = `${o.group}/${o.kind}/${o.namespace ?? ''}/${o.name}`;
      const prev = first.get(key);
      if (!prev) {
        first.set(key, o);
        continue;
      }
      reportAt(ctx, o, ['metadata', 'name'], `${describeNode(o)} is defined twice: first at ${whereIs(prev)}; the later definition silently replaces the earlier one on apply${namespaceNote(o)}`);
    }
  },
};
