// What the planner knows about built-in kinds without a schema: where the pod template and the selector live
// (from src/k8s/kinds.ts, which also says which kinds are cluster-scoped), and the list keys Kubernetes merges by
// (the fallback when kindInfo has none).
import { groupOf } from '../core/objects.ts';
import { POD_TEMPLATE_KINDS, type PodTemplateKind } from '../k8s/kinds.ts';

/** "apps/Deployment"; the core group is "" → "/Pod"... written as "Pod" for readability. */
export function groupKind(group: string, kind: string): string {
  return group === '' ? kind : `${group}/${kind}`;
}

export function groupKindOf(apiVersion: string, kind: string): string {
  return groupKind(groupOf(apiVersion), kind);
}

/** The built-in kinds with a pod spec that a cluster can still serve, by "apps/Deployment"-style group-kind. */
const POD_KINDS: ReadonlyMap<string, PodTemplateKind> = new Map(POD_TEMPLATE_KINDS.filter((k) => k.removed !== true).map((k) => [groupKind(k.group, k.kind), k]));

/**
 * Workloads: where the pod template and the selector are. A Job's selector is the controller's (controller-uid)
 * unless written by hand: the planner reasons about no Job or CronJob selector.
 */
export const WORKLOADS: Readonly<Record<string, { template: string[]; selector: string[] | null }>> = Object.fromEntries(
  [...POD_KINDS].filter(([, k]) => k.role === 'controller').map(([gk, k]) => [gk, { template: [...k.templatePath], selector: k.selector && k.selector.generated !== true ? [...k.selector.path] : null }]),
);

/** Paths of every PodSpec inside a kind. */
export function podSpecPaths(gk: string): string[][] {
  const k = POD_KINDS.get(gk);
  return k ? [[...k.templatePath, 'spec']] : [];
}

/**
 * Fallback list-map keys (SSA `+listMapKey`, else the strategic-merge key), by the trailing segments of the
 * dotted list path. Matched longest suffix first. SSA keys ports by port AND protocol (53/TCP ≠ 53/UDP: T7).
 */
const LIST_KEYS_BY_SUFFIX: [string, string[]][] = [
  ['containers.ports', ['containerPort', 'protocol']],
  ['initContainers.ports', ['containerPort', 'protocol']],
  ['ephemeralContainers.ports', ['containerPort', 'protocol']],
  ['containers', ['name']],
  ['initContainers', ['name']],
  ['ephemeralContainers', ['name']],
  ['env', ['name']],
  ['volumeMounts', ['mountPath']],
  ['volumeDevices', ['devicePath']],
  ['volumes', ['name']],
  ['imagePullSecrets', ['name']],
  ['hostAliases', ['ip']],
  ['topologySpreadConstraints', ['topologyKey', 'whenUnsatisfiable']],
  ['resourceClaims', ['name']],
  ['readinessGates', ['conditionType']],
  ['resizePolicy', ['resourceName']],
  ['schedulingGates', ['name']],
  ['metadata.ownerReferences', ['uid']],
  ['status.conditions', ['type']],
];

/** Kind-specific list keys (dotted path from the object root). */
const LIST_KEYS_BY_KIND: Record<string, Record<string, string[]>> = {
  Service: { 'spec.ports': ['port', 'protocol'] },
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': { webhooks: ['name'] },
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': { webhooks: ['name'] },
  'apiextensions.k8s.io/CustomResourceDefinition': { 'spec.versions': ['name'] },
  'networking.k8s.io/Ingress': {},
};

/** Lists compared as sets (order carries no meaning; the controller may reorder: T32). */
const SET_LISTS_BY_KIND: Record<string, string[]> = {
  'autoscaling/HorizontalPodAutoscaler': ['spec.metrics'],
  Namespace: ['spec.finalizers'],
};
const SET_LIST_SUFFIXES = ['metadata.finalizers'];

export function builtinListKeys(gk: string, dotted: string): string[] | undefined {
  const byKind = LIST_KEYS_BY_KIND[gk]?.[dotted];
  if (byKind) return byKind;
  for (const [suffix, keys] of LIST_KEYS_BY_SUFFIX) {
    if (dotted === suffix || dotted.endsWith(`.${suffix}`)) {
      // `env` / `ports` only inside containers; `volumes` only in a pod spec: avoid keying unrelated lists.
      if (suffix === 'env' && !/(^|\.)(containers|initContainers|ephemeralContainers)\.env$/.test(dotted)) continue;
      if (suffix === 'volumes' && /(^|\.)volumeClaimTemplates/.test(dotted)) continue;
      return keys;
    }
  }
  return undefined;
}

export function isSetList(gk: string, dotted: string): boolean {
  return (SET_LISTS_BY_KIND[gk] ?? []).includes(dotted) || SET_LIST_SUFFIXES.some((s) => dotted === s || dotted.endsWith(`.${s}`));
}

/** Default-namespace namespaces that are never deleted by a prune. */
export const PROTECTED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
