// Facts about Kubernetes kinds that hold without a schema or a cluster: which kinds are cluster-scoped, which
// groups are Kubernetes' own, and where the pod-bearing kinds keep their pod template and selector. The resource
// graph (validation), the planner and the pod-spec walkers all read them from here; a schema's or a cluster's
// kind table, when there is one, comes first.

export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/**
 * Built-in cluster-scoped kinds: every kind the OpenAPI kind tables of Kubernetes 1.29–1.36 (schemas/) list as not
 * namespaced (kinds.test.ts holds the list to them), plus policy/PodSecurityPolicy, removed in 1.25.
 */
export const BUILTIN_CLUSTER_SCOPED: readonly GroupKind[] = [
  { group: '', kind: 'Namespace' },
  { group: '', kind: 'Node' },
  { group: '', kind: 'PersistentVolume' },
  { group: '', kind: 'ComponentStatus' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
  { group: 'apiregistration.k8s.io', kind: 'APIService' },
  { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicy' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicyBinding' },
  { group: 'admissionregistration.k8s.io', kind: 'MutatingAdmissionPolicy' },
  { group: 'admissionregistration.k8s.io', kind: 'MutatingAdmissionPolicyBinding' },
  { group: 'scheduling.k8s.io', kind: 'PriorityClass' },
  { group: 'node.k8s.io', kind: 'RuntimeClass' },
  { group: 'networking.k8s.io', kind: 'IngressClass' },
  { group: 'networking.k8s.io', kind: 'IPAddress' },
  { group: 'networking.k8s.io', kind: 'ServiceCIDR' },
  { group: 'storage.k8s.io', kind: 'StorageClass' },
  { group: 'storage.k8s.io', kind: 'CSIDriver' },
  { group: 'storage.k8s.io', kind: 'CSINode' },
  { group: 'storage.k8s.io', kind: 'VolumeAttachment' },
  { group: 'storage.k8s.io', kind: 'VolumeAttributesClass' },
  { group: 'storagemigration.k8s.io', kind: 'StorageVersionMigration' },
  { group: 'internal.apiserver.k8s.io', kind: 'StorageVersion' },
  { group: 'flowcontrol.apiserver.k8s.io', kind: 'FlowSchema' },
  { group: 'flowcontrol.apiserver.k8s.io', kind: 'PriorityLevelConfiguration' },
  { group: 'certificates.k8s.io', kind: 'CertificateSigningRequest' },
  { group: 'certificates.k8s.io', kind: 'ClusterTrustBundle' },
  { group: 'resource.k8s.io', kind: 'DeviceClass' },
  { group: 'resource.k8s.io', kind: 'DeviceTaintRule' },
  { group: 'resource.k8s.io', kind: 'ResourceClass' },
  { group: 'resource.k8s.io', kind: 'ResourcePoolStatusRequest' },
  { group: 'resource.k8s.io', kind: 'ResourceSlice' },
  { group: 'authentication.k8s.io', kind: 'TokenReview' },
  { group: 'authentication.k8s.io', kind: 'SelfSubjectReview' },
  { group: 'authorization.k8s.io', kind: 'SubjectAccessReview' },
  { group: 'authorization.k8s.io', kind: 'SelfSubjectAccessReview' },
  { group: 'authorization.k8s.io', kind: 'SelfSubjectRulesReview' },
  { group: 'policy', kind: 'PodSecurityPolicy' },
];

/**
 * Cluster-scoped kinds of widely installed CRDs (`scope: Cluster` in their CustomResourceDefinitions), for inputs
 * that use them without their CRD. A CRD in the input or the cluster's discovery decides first.
 */
export const WELL_KNOWN_CLUSTER_SCOPED_CRDS: readonly GroupKind[] = [
  { group: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshotClass' },
  { group: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshotContent' },
  { group: 'gateway.networking.k8s.io', kind: 'GatewayClass' },
  { group: 'cert-manager.io', kind: 'ClusterIssuer' },
];

const key = (group: string, kind: string): string => `${group}/${kind}`;
const CLUSTER_SCOPED: ReadonlySet<string> = new Set([...BUILTIN_CLUSTER_SCOPED, ...WELL_KNOWN_CLUSTER_SCOPED_CRDS].map((k) => key(k.group, k.kind)));

/** Known to be cluster-scoped without a schema: a built-in kind or a well-known CRD's. */
export function isClusterScopedKind(group: string, kind: string): boolean {
  return CLUSTER_SCOPED.has(key(group, kind));
}

/**
 * Groups served by Kubernetes itself (core, the unqualified groups, `*.k8s.io`) or SIG APIs: a kind there that is
 * not cluster-scoped is namespaced; other groups' kinds are custom resources whose scope only their CRD tells.
 */
export function isBuiltinGroup(group: string): boolean {
  return group === '' || !group.includes('.') || group.endsWith('.k8s.io');
}

/** The controller's own label selector inside an object. */
export interface SelectorLocation {
  readonly path: readonly string[];
  /** `label`: a metav1.LabelSelector; `map`: ReplicationController's `{key: value}` map. */
  readonly type: 'label' | 'map';
  /** The controller generates it (Job's controller-uid) unless the user opts out (`manualSelector`). */
  readonly generated?: true;
}

/** A built-in kind whose objects carry a pod spec. */
export interface PodTemplateKind extends GroupKind {
  /** `pod`: the Pod itself; `template`: a PodTemplate, which runs nothing; `controller`: it creates pods from the template. */
  readonly role: 'pod' | 'template' | 'controller';
  /** Path of the PodTemplateSpec (`{metadata, spec}`); [] for a Pod, whose own metadata and spec they are. */
  readonly templatePath: readonly string[];
  readonly selector?: SelectorLocation;
  /** Served only by a group version no Kubernetes release has served since 1.16 (extensions/v1beta1). */
  readonly removed?: true;
}

const TEMPLATE = ['spec', 'template'] as const;
const SELECTOR: SelectorLocation = { path: ['spec', 'selector'], type: 'label' };

/** The built-in kinds with a pod spec, and where their pod template and selector are. */
export const POD_TEMPLATE_KINDS: readonly PodTemplateKind[] = [
  { group: '', kind: 'Pod', role: 'pod', templatePath: [] },
  { group: '', kind: 'PodTemplate', role: 'template', templatePath: ['template'] },
  { group: '', kind: 'ReplicationController', role: 'controller', templatePath: TEMPLATE, selector: { path: ['spec', 'selector'], type: 'map' } },
  { group: 'apps', kind: 'Deployment', role: 'controller', templatePath: TEMPLATE, selector: SELECTOR },
  { group: 'apps', kind: 'ReplicaSet', role: 'controller', templatePath: TEMPLATE, selector: SELECTOR },
  { group: 'apps', kind: 'DaemonSet', role: 'controller', templatePath: TEMPLATE, selector: SELECTOR },
  { group: 'apps', kind: 'StatefulSet', role: 'controller', templatePath: TEMPLATE, selector: SELECTOR },
  { group: 'extensions', kind: 'Deployment', role: 'controller', templatePath: TEMPLATE, selector: SELECTOR, removed: true },
  { group: 'extensions', kind: 'ReplicaSet', role: 'controller', templatePath: TEMPLATE, selector: SELECTOR, removed: true },
  { group: 'extensions', kind: 'DaemonSet', role: 'controller', templatePath: TEMPLATE, selector: SELECTOR, removed: true },
  { group: 'batch', kind: 'Job', role: 'controller', templatePath: TEMPLATE, selector: { ...SELECTOR, generated: true } },
  { group: 'batch', kind: 'CronJob', role: 'controller', templatePath: ['spec', 'jobTemplate', 'spec', 'template'], selector: { path: ['spec', 'jobTemplate', 'spec', 'selector'], type: 'label', generated: true } },
];

const BY_GROUP_KIND: ReadonlyMap<string, PodTemplateKind> = new Map(POD_TEMPLATE_KINDS.map((k) => [key(k.group, k.kind), k]));

/** The pod-bearing built-in kind of this group and kind, if it is one. */
export function podTemplateKind(group: string, kind: string): PodTemplateKind | undefined {
  return BY_GROUP_KIND.get(key(group, kind));
}
