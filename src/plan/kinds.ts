// What the planner knows about built-in kinds without a schema: scope, where the pod template and
// the selector live, and the list keys Kubernetes merges by (the fallback when kindInfo has none).
import { groupOf } from '../core/objects.ts';

/** "apps/Deployment"; the core group is "" → "/Pod"... written as "Pod" for readability. */
export function groupKind(group: string, kind: string): string {
  return group === '' ? kind : `${group}/${kind}`;
}

export function groupKindOf(apiVersion: string, kind: string): string {
  return groupKind(groupOf(apiVersion), kind);
}

/** Cluster-scoped built-in kinds (everything else built in is namespaced). */
export const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ComponentStatus',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apiregistration.k8s.io/APIService',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSIDriver',
  'storage.k8s.io/CSINode',
  'storage.k8s.io/VolumeAttachment',
  'storage.k8s.io/VolumeAttributesClass',
  'scheduling.k8s.io/PriorityClass',
  'node.k8s.io/RuntimeClass',
  'networking.k8s.io/IngressClass',
  'networking.k8s.io/IPAddress',
  'networking.k8s.io/ServiceCIDR',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/MutatingAdmissionPolicy',
  'admissionregistration.k8s.io/MutatingAdmissionPolicyBinding',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'certificates.k8s.io/CertificateSigningRequest',
  'certificates.k8s.io/ClusterTrustBundle',
  'resource.k8s.io/DeviceClass',
]);

/** Built-in groups: a kind of these groups is never a custom resource. */
export const BUILTIN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'admissionregistration.k8s.io',
  'scheduling.k8s.io',
  'node.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'certificates.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'resource.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
]);

/** Workloads: where the pod template and the selector are. */
export const WORKLOADS: Record<string, { template: string[]; selector: string[] | null }> = {
  'apps/Deployment': { template: ['spec', 'template'], selector: ['spec', 'selector'] },
  'apps/ReplicaSet': { template: ['spec', 'template'], selector: ['spec', 'selector'] },
  'apps/StatefulSet': { template: ['spec', 'template'], selector: ['spec', 'selector'] },
  'apps/DaemonSet': { template: ['spec', 'template'], selector: ['spec', 'selector'] },
  ReplicationController: { template: ['spec', 'template'], selector: ['spec', 'selector'] },
  'batch/Job': { template: ['spec', 'template'], selector: null },
  'batch/CronJob': { template: ['spec', 'jobTemplate', 'spec', 'template'], selector: null },
};

/** Paths (dotted) of every PodSpec inside a kind. */
export function podSpecPaths(gk: string): string[][] {
  if (gk === 'Pod') return [['spec']];
  if (gk === 'PodTemplate') return [['template', 'spec']];
  const w = WORKLOADS[gk];
  return w ? [[...w.template, 'spec']] : [];
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
