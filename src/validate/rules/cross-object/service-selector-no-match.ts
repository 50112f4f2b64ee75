import { describeNode, namespaceNote, type GraphObject, type ResourceGraph } from '../../../graph/index.ts';
import type { Rule } from '../rule.ts';
import { closestHint, graphOf, isReported, planResolvesDoc, reportAt, routingServices, ruleMeta, selectionOutcome, type SelectorRelation, selectTemplates } from './support.ts';

export const serviceSelectorNoMatch: Rule = {
  meta: ruleMeta({
    id: 'service-selector-no-match',
    description: "A Service's selector matches no pod template in its namespace, so it gets no endpoints.",
    defaultSeverity: 'warning',
    enabledByDefault: true,
    body: `
## Why

A Service routes to the pods its \`spec.selector\` matches. When no pod carries **all** the selector's labels the
Service has no endpoints and every connection fails — typically after a label was renamed on one side only.

## What is checked

- The selector is an equality map, ANDed: one pod template must carry every key/value (matching key by key across
  different workloads is a classic false negative — kube-score #316, Monokle).
- Templates are pod templates (\`spec.template.metadata.labels\`, CronJob job templates, bare Pods, configured CRDs
  such as Argo Rollouts) in the Service's **effective** namespace: \`metadata.namespace\`, else a kustomization
  \`namespace:\`, else the default namespace (messages say when one was assumed — kube-linter #140).
- The whole repo is one graph: the Service and the Deployment may live in different files and directories
  (kube-linter #87, #179).
- Labels added by controllers at runtime (\`pod-template-hash\`, \`statefulset.kubernetes.io/pod-name\`,
  \`controller-revision-hash\`, \`job-name\`, …) may be selected: such a selector counts as a possible match.

## Outcomes

- **no match** (warning): the namespace's pod templates are all in the repo and none matches; the message names
  the closest template and the requirements it fails.
- **unknown** (info): the namespace has no pod templates in the repo, or holds custom resources that may create pods
  (an operator's \`Prometheus\`, a \`HelmRelease\`) — the pods may exist, the repo can't tell.
- Not reported: \`type: ExternalName\` Services (kube-score #53); selectorless Services with a matching
  \`Endpoints\`/\`EndpointSlice\` in the repo (kube-linter #746). A selectorless Service without them is an info
  finding: its endpoints must be managed outside the repo. An empty selector selects **nothing** (kube-score treats it
  as "everything").
- a file of the input failed to parse: **info** — the objects it defines are unknown, so nothing is called
  missing (kube-linter #249, #669).

## Example

\`\`\`yaml
kind: Service
spec:
  selector: {app: web, tier: frontend}   # flagged if no template has both labels
\`\`\`
` + planResolvesDoc('the selector matches running pods in the live state (or the pod template of a live workload that the plan keeps)', 'selector-no-match', true),
  }),
  check(ctx) {
    const graph = graphOf(ctx);
    for (const { node: svc, namespace: ns, path: where, selector, selection: sel } of serviceSelections(graph, (svc) => isReported(ctx, svc))) {
      if (sel === undefined) {
        if (hasManualEndpoints(graph, svc)) continue;
        reportAt(ctx, svc, where, `${describeNode(svc)} has no selector, and the repo has no Endpoints or EndpointSlice for it: its endpoints must be managed outside the repo${namespaceNote(svc)}`, 'info');
        continue;
      }
      const outcome = selectionOutcome(sel);
      if (outcome.outcome === 'found') continue;
      if (outcome.outcome === 'unknown') {
        reportAt(ctx, svc, where, `${describeNode(svc)}: selector ${selector.toString()} matches no pod template in the repo, but could not be checked: ${outcome.reason}${namespaceNote(svc)}`, 'info');
        continue;
      }
      reportAt(
        ctx,
        svc,
        where,
        `${describeNode(svc)}: selector ${selector.toString()} matches no pod template in namespace "${ns}", so the Service has no endpoints${closestHint(selector, graph.podTemplates(ns))}${namespaceNote(svc)}`,
      );
    }
  },
};

/** Services that route by selector and the pod templates they select; `selection` undefined for a selectorless one. */
export function serviceSelections(graph: ResourceGraph, only: (node: GraphObject) => boolean = () => true): SelectorRelation[] {
  return routingServices(graph, only).map(({ svc, namespace, spec, selector }) => ({
    node: svc,
    namespace,
    path: spec?.selector === undefined ? ['spec'] : ['spec', 'selector'],
    selector,
    selection: selector.nothing ? undefined : selectTemplates(graph, namespace, selector),
  }));
}

function hasManualEndpoints(graph: ResourceGraph, svc: GraphObject): boolean {
  if (graph.find('', 'Endpoints', svc.namespace, svc.name).length > 0) return true;
  return graph.ofKind('discovery.k8s.io', 'EndpointSlice', svc.namespace).some((s) => s.labels['kubernetes.io/service-name'] === svc.name);
}
