import { getObject, getString } from '../../../core/objects.ts';
import { describeNode, whereIs } from '../../../graph/index.ts';
import { matchOutcome, parseSelectorMap } from '../../../selectors/index.ts';
import type { Rule } from '../rule.ts';
import { graphOf, reportAt, reportMissingRef, ruleMeta } from './support.ts';

export const statefulsetServiceInvalid: Rule = {
  meta: ruleMeta({
    id: 'statefulset-service-invalid',
    description: "A StatefulSet's serviceName doesn't name a headless Service (clusterIP: None) in its namespace that selects its pods.",
    defaultSeverity: 'warning',
    enabledByDefault: true,
    body: `
## Why

A StatefulSet's pods get their stable DNS names (\`web-0.web.shop.svc\`) from the **headless** governing Service named
in \`spec.serviceName\`. If that Service is missing, has a cluster IP, or doesn't select the pods, peers can't find
each other by name — clustered databases fail to form.

## What is checked

When \`spec.serviceName\` is set:

- a Service with that name must exist in the StatefulSet's effective namespace;
- it must be headless (\`clusterIP: None\`);
- its selector must match the StatefulSet's pod template labels.

## Outcomes

- any of the above fails: **warning**;
- the repo defines no Services in that namespace: **info**.
- a file of the input failed to parse: **info** — the objects it defines are unknown, so nothing is called
  missing (kube-linter #249, #669).
`,
  }),
  check(ctx) {
    const graph = graphOf(ctx);
    for (const sts of graph.ofKind('apps', 'StatefulSet')) {
      const ns = sts.namespace;
      if (ns === undefined) continue;
      const name = getString(getObject(sts.manifest.object, 'spec'), 'serviceName');
      if (!name) continue;
      const path = ['spec', 'serviceName'];
      const svc = graph.find('', 'Service', ns, name)[0];
      if (!svc) {
        reportMissingRef(ctx, graph, sts, path, { group: '', kind: 'Service', namespace: ns }, `governing Service "${name}"`, `is not defined in namespace "${ns}"; its pods get no stable DNS names`);
        continue;
      }
      const svcSpec = getObject(svc.manifest.object, 'spec');
      if (getString(svcSpec, 'clusterIP') !== 'None') {
        reportAt(ctx, sts, path, `${describeNode(sts)}: governing Service ${describeNode(svc)} (${whereIs(svc)}) is not headless (set clusterIP: None); its pods get no per-pod DNS names`);
        continue;
      }
      const parsed = parseSelectorMap(svcSpec?.selector);
      const t = graph.podTemplatesOf(sts)[0];
      if (!parsed.ok || !t || parsed.selector.nothing) continue;
      if (matchOutcome(parsed.selector, t.labels, t.runtimeLabels) === 'no') {
        reportAt(ctx, sts, path, `${describeNode(sts)}: governing Service ${describeNode(svc)} (${whereIs(svc)}) selects ${parsed.selector.toString()}, which doesn't match the pod template labels, so no DNS records are created for its pods`);
      }
    }
  },
};
