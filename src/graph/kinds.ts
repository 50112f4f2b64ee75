// What the graph knows about kinds beyond src/k8s/kinds.ts (scope, pod templates and selectors): which labels
// controllers add to pods at runtime, which kinds scale, and which well-known custom resources never create pods.
import { isBuiltinGroup } from '../k8s/kinds.ts';

/** `group/Kind` ("" group for core: `/Namespace`). */
export const gk = (group: string, kind: string): string => `${group}/${kind}`;

/** Labels that controllers add to the pods they create; the manifests never show them. */
export const CONTROLLER_RUNTIME_LABELS = {
  deployment: ['pod-template-hash'],
  statefulset: ['controller-revision-hash', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index'],
  daemonset: ['controller-revision-hash', 'pod-template-generation'],
  job: ['batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-name', 'controller-uid', 'job-name', 'batch.kubernetes.io/job-completion-index'],
  rollout: ['rollouts-pod-template-hash'],
} as const;

/** Every label some controller adds at runtime: the conservative set for workload CRDs whose controller we don't know. */
export const ALL_RUNTIME_LABELS: readonly string[] = [...new Set(Object.values(CONTROLLER_RUNTIME_LABELS).flat())];

/**
 * Custom resources known not to create pods. Any other custom resource in a namespace might (an operator's
 * `Prometheus` becomes a StatefulSet), so selectors there that match no template in the repo are "unknown", not "no match".
 */
const NON_POD_GROUPS: ReadonlySet<string> = new Set([
  'cert-manager.io',
  'acme.cert-manager.io',
  'networking.istio.io',
  'security.istio.io',
  'telemetry.istio.io',
  'external-secrets.io',
  'generators.external-secrets.io',
  'bitnami.com',
  'traefik.io',
  'traefik.containo.us',
  'kyverno.io',
  'wgpolicyk8s.io',
  'templates.gatekeeper.sh',
  'constraints.gatekeeper.sh',
  'cilium.io',
  'crd.projectcalico.org',
  'projectcalico.org',
  'kustomize.config.k8s.io',
  'config.kubernetes.io',
  'autoscaling.k8s.io',
]);
const NON_POD_KINDS: ReadonlySet<string> = new Set([
  gk('monitoring.coreos.com', 'ServiceMonitor'),
  gk('monitoring.coreos.com', 'PodMonitor'),
  gk('monitoring.coreos.com', 'Probe'),
  gk('monitoring.coreos.com', 'PrometheusRule'),
  gk('monitoring.coreos.com', 'AlertmanagerConfig'),
  gk('monitoring.coreos.com', 'ScrapeConfig'),
  gk('keda.sh', 'ScaledObject'),
  gk('keda.sh', 'TriggerAuthentication'),
  gk('keda.sh', 'ClusterTriggerAuthentication'),
  gk('argoproj.io', 'AppProject'),
  gk('argoproj.io', 'AnalysisTemplate'),
  gk('argoproj.io', 'ClusterAnalysisTemplate'),
  gk('policy.linkerd.io', 'Server'),
  gk('policy.linkerd.io', 'ServerAuthorization'),
]);

/** Could an object of this kind make pods appear in its namespace without a pod template we can see? */
export function mayCreatePods(group: string, kind: string): boolean {
  if (isBuiltinGroup(group)) return false;
  return !NON_POD_GROUPS.has(group) && !NON_POD_KINDS.has(gk(group, kind));
}

/** Built-in kinds with a /scale subresource (HPA targets). */
export const SCALABLE: ReadonlySet<string> = new Set([gk('apps', 'Deployment'), gk('apps', 'ReplicaSet'), gk('apps', 'StatefulSet'), gk('', 'ReplicationController'), gk('extensions', 'Deployment'), gk('extensions', 'ReplicaSet')]);

/** Built-in kinds that exist but have no /scale subresource: an HPA pointing at one never works (kubernetes #48588). */
export const NOT_SCALABLE: ReadonlySet<string> = new Set([
  gk('apps', 'DaemonSet'),
  gk('extensions', 'DaemonSet'),
  gk('batch', 'Job'),
  gk('batch', 'CronJob'),
  gk('', 'Pod'),
  gk('', 'Service'),
  gk('', 'ConfigMap'),
  gk('', 'Secret'),
  gk('', 'PersistentVolumeClaim'),
  gk('', 'ServiceAccount'),
  gk('', 'Namespace'),
  gk('', 'PodTemplate'),
  gk('apps', 'ControllerRevision'),
  gk('networking.k8s.io', 'Ingress'),
  gk('autoscaling', 'HorizontalPodAutoscaler'),
  gk('policy', 'PodDisruptionBudget'),
]);
