// The relations the cross-object rules could not settle from the repo (unknown) or settled as missing, as data for
// `kubeplan plan`, which resolves them against the live state (src/plan/references.ts). The same functions the
// rules check with enumerate them, so the rules and the planner never disagree on what a relation is.
import type { GraphObject, PodTemplate, Reference, ResourceGraph } from '../../../graph/index.ts';
import { parseIgnoreAnnotation, reasonFor, type IgnoreClause } from '../../suppress/annotation.ts';
import { ignoreSites } from '../../suppress/inline.ts';
import { BACKEND_CONSEQUENCE, ingressBackends } from './ingress-backend-missing.ts';
import { TLS_CONSEQUENCE, tlsSecretRelations } from './ingress-tls-secret-missing.ts';
import { namedRefConsequence, namedRefRelations } from './named-ref-rule.ts';
import { networkPolicySelections } from './networkpolicy-selects-nothing.ts';
import { pdbSelections } from './pdb-selects-no-pods.ts';
import { PVC_CONSEQUENCE, unresolvedClaims } from './pvc-missing.ts';
import { serviceSelections } from './service-selector-no-match.ts';
import { SERVICEACCOUNT_CONSEQUENCE, unresolvedServiceAccounts } from './serviceaccount-missing.ts';
import { absenceUnknown, isIngress, selectionOutcome, type SelectorRelation } from './support.ts';

/** The rules whose relations the planner can resolve against live state. */
export const REFERENCE_RULES = [
  'configmap-ref-missing',
  'secret-ref-missing',
  'serviceaccount-missing',
  'pvc-missing',
  'ingress-backend-missing',
  'ingress-tls-secret-missing',
  'service-selector-no-match',
  'pdb-selects-no-pods',
  'networkpolicy-selects-nothing',
] as const;

/**
 * Unknown and missing relations of the repo, for the rules `enabled` says are on, leaving out those a
 * kubeplan.dev/ignore annotation suppresses on the referencing object (or its pod template). Optional references
 * (`optional: true`) are never included: nothing breaks without their target.
 */
export function unresolvedReferences(graph: ResourceGraph, enabled: (rule: string) => boolean = () => true): Reference[] {
  const out: Reference[] = [];
  const suppressed = suppressionCheck(graph);
  const add = (rule: string, node: GraphObject | PodTemplate, r: Omit<Reference, 'rule' | 'from'>): void => {
    const owner = 'owner' in node ? node.owner : node;
    if (owner.namespace === undefined || !enabled(rule) || suppressed(owner, rule)) return;
    out.push({ rule, from: { group: owner.group, kind: owner.kind, namespace: owner.namespace, name: owner.name }, ...r });
  };
  const outcomeOf = (kind: string, namespace: string): Pick<Reference, 'outcome' | 'reason'> => {
    const why = absenceUnknown(graph, '', kind, namespace);
    return why === undefined ? { outcome: 'missing' } : { outcome: 'unknown', reason: why };
  };

  for (const kind of ['ConfigMap', 'Secret'] as const) {
    const rule = kind === 'ConfigMap' ? 'configmap-ref-missing' : 'secret-ref-missing';
    for (const { template, namespace, ref, resolution } of namedRefRelations(graph, kind)) {
      if (ref.optional || resolution.outcome === 'found') continue;
      add(rule, template, {
        target: { type: 'object', group: '', kind, namespace, name: ref.name },
        what: `${kind} "${ref.name}" (${ref.via})`,
        consequence: namedRefConsequence(kind, ref.via),
        ...(resolution.outcome === 'unknown' ? { outcome: 'unknown', reason: resolution.reason } : { outcome: 'missing' }),
      });
    }
  }
  for (const { template, namespace, name } of unresolvedServiceAccounts(graph)) {
    add('serviceaccount-missing', template, { target: { type: 'object', group: '', kind: 'ServiceAccount', namespace, name }, what: `ServiceAccount "${name}"`, consequence: SERVICEACCOUNT_CONSEQUENCE, ...outcomeOf('ServiceAccount', namespace) });
  }
  for (const { template, namespace, name } of unresolvedClaims(graph)) {
    add('pvc-missing', template, { target: { type: 'object', group: '', kind: 'PersistentVolumeClaim', namespace, name }, what: `PersistentVolumeClaim "${name}"`, consequence: PVC_CONSEQUENCE, ...outcomeOf('PersistentVolumeClaim', namespace) });
  }
  for (const ing of graph.objects) {
    if (!isIngress(ing) || ing.namespace === undefined) continue;
    const namespace = ing.namespace;
    const seen = new Set<string>();
    for (const b of ingressBackends(ing)) {
      if (seen.has(b.name) || graph.find('', 'Service', namespace, b.name).length > 0) continue;
      seen.add(b.name);
      add('ingress-backend-missing', ing, { target: { type: 'object', group: '', kind: 'Service', namespace, name: b.name }, what: `backend Service "${b.name}"`, consequence: BACKEND_CONSEQUENCE, ...outcomeOf('Service', namespace) });
    }
  }
  for (const { ingress, namespace, name, resolution } of tlsSecretRelations(graph)) {
    if (resolution.outcome === 'found') continue;
    add('ingress-tls-secret-missing', ingress, {
      target: { type: 'object', group: '', kind: 'Secret', namespace, name },
      what: `TLS Secret "${name}"`,
      consequence: TLS_CONSEQUENCE,
      ...(resolution.outcome === 'unknown' ? { outcome: 'unknown', reason: resolution.reason } : { outcome: 'missing' }),
    });
  }
  const selectors: [string, string, string, readonly SelectorRelation[]][] = [
    ['service-selector-no-match', 'selector', 'the Service has no endpoints: traffic to it goes nowhere', serviceSelections(graph)],
    ['pdb-selects-no-pods', 'selector', 'the budget protects nothing', pdbSelections(graph).map((p) => p.relation)],
    ['networkpolicy-selects-nothing', 'podSelector', 'the policy applies to no pod', networkPolicySelections(graph)],
  ];
  for (const [rule, field, consequence, relations] of selectors) {
    for (const r of relations) {
      if (r.selection === undefined) continue;
      const o = selectionOutcome(r.selection);
      if (o.outcome === 'found') continue;
      add(rule, r.node, {
        target: { type: 'pods', namespace: r.namespace, selector: r.selector },
        what: `${field} ${r.selector.toString()}`,
        consequence,
        ...(o.outcome === 'unknown' ? { outcome: 'unknown', reason: o.reason } : { outcome: 'missing' }),
      });
    }
  }
  return out;
}

/** Whether a kubeplan.dev/ignore annotation on the object or its pod template suppresses a rule. */
function suppressionCheck(graph: ResourceGraph): (node: GraphObject, rule: string) => boolean {
  const cache = new Map<GraphObject, IgnoreClause[]>();
  return (node, rule) => {
    let clauses = cache.get(node);
    if (!clauses) {
      clauses = ignoreSites(node.manifest, graph).flatMap((s) => parseIgnoreAnnotation(s.value).clauses);
      cache.set(node, clauses);
    }
    return reasonFor(clauses, rule) !== undefined;
  };
}
