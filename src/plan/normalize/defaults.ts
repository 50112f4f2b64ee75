// The API server's defaulting of built-in kinds (k8s.io/kubernetes pkg/apis/*/v1/defaults.go and the
// registry strategies), as an offline table: applied to the desired object so that a field the repo
// omits compares equal to the value the server filled in. Values are exactly the server's; the
// cluster tier (test/cluster/plan-defaults.test.ts) proves each against a real API server.
import { isObject } from '../../core/objects.ts';
import type { JsonObject, JsonValue } from '../../core/types.ts';
import { podSpecPaths } from '../kinds.ts';

export interface DefaultsOptions {
  /** Kubernetes minor the server runs (feature-gated defaults differ); default 35. */
  minor?: number;
  /** apiVersion of the object (some defaults differ by version, e.g. autoscaling/v1 vs v2). */
  apiVersion?: string;
}

type Obj = JsonObject;

function obj(parent: Obj, key: string): Obj {
  const v = parent[key];
  if (isObject(v)) return v;
  const made: Obj = {};
  parent[key] = made;
  return made;
}

function child(parent: Obj | undefined, ...path: string[]): Obj | undefined {
  let cur: JsonValue | undefined = parent;
  for (const seg of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[seg];
  }
  return isObject(cur) ? cur : undefined;
}

function def(o: Obj, key: string, value: JsonValue): void {
  if (o[key] === undefined || o[key] === null || o[key] === '') o[key] = value;
}

function items(o: Obj | undefined, key: string): Obj[] {
  const v = o?.[key];
  return Array.isArray(v) ? v.filter(isObject) : [];
}

/** imagePullPolicy the server picks: Always for `:latest` or an untagged image without digest, else IfNotPresent. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) {
    const tag = tagOf(image.slice(0, image.indexOf('@')));
    return tag === 'latest' ? 'Always' : 'IfNotPresent';
  }
  const tag = tagOf(image);
  return tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function tagOf(ref: string): string | undefined {
  const lastSlash = ref.lastIndexOf('/');
  const lastPart = ref.slice(lastSlash + 1);
  const colon = lastPart.lastIndexOf(':');
  return colon === -1 ? undefined : lastPart.slice(colon + 1);
}

function defaultProbe(p: Obj | undefined): void {
  if (!p) return;
  def(p, 'timeoutSeconds', 1);
  def(p, 'periodSeconds', 10);
  def(p, 'successThreshold', 1);
  def(p, 'failureThreshold', 3);
  defaultHandler(p);
}

function defaultHandler(h: Obj | undefined): void {
  const get = child(h, 'httpGet');
  if (get) {
    def(get, 'path', '/');
    def(get, 'scheme', 'HTTP');
  }
}

function defaultEnv(c: Obj): void {
  for (const e of items(c, 'env')) {
    const fieldRef = child(e, 'valueFrom', 'fieldRef');
    if (fieldRef) def(fieldRef, 'apiVersion', 'v1');
    const resRef = child(e, 'valueFrom', 'resourceFieldRef');
    if (resRef && resRef.divisor === undefined) resRef.divisor = '0';
  }
}

function defaultContainer(c: Obj, isPod: boolean): void {
  if (typeof c.image === 'string') def(c, 'imagePullPolicy', defaultPullPolicy(c.image));
  def(c, 'terminationMessagePath', '/dev/termination-log');
  def(c, 'terminationMessagePolicy', 'File');
  for (const p of items(c, 'ports')) def(p, 'protocol', 'TCP');
  defaultProbe(child(c, 'livenessProbe'));
  defaultProbe(child(c, 'readinessProbe'));
  defaultProbe(child(c, 'startupProbe'));
  defaultHandler(child(c, 'lifecycle', 'postStart'));
  defaultHandler(child(c, 'lifecycle', 'preStop'));
  defaultEnv(c);
  if (isPod) {
    // SetDefaults_Pod: requests default to limits for each resource that has a limit and no request.
    const limits = child(c, 'resources', 'limits');
    if (limits) {
      const resources = obj(c, 'resources');
      const requests = obj(resources, 'requests');
      for (const [k, v] of Object.entries(limits)) if (requests[k] === undefined) requests[k] = v;
    }
  }
}

function defaultVolumes(spec: Obj): void {
  for (const v of items(spec, 'volumes')) {
    const sources = Object.keys(v).filter((k) => k !== 'name');
    if (sources.length === 0) v.emptyDir = {};
    for (const key of ['secret', 'configMap', 'downwardAPI', 'projected']) {
      const src = child(v, key);
      if (src) def(src, 'defaultMode', 420);
    }
    const hostPath = child(v, 'hostPath');
    if (hostPath && hostPath.type === undefined) hostPath.type = '';
    for (const item of items(child(v, 'downwardAPI'), 'items')) {
      const fr = child(item, 'fieldRef');
      if (fr) def(fr, 'apiVersion', 'v1');
      const rr = child(item, 'resourceFieldRef');
      if (rr && rr.divisor === undefined) rr.divisor = '0';
    }
    for (const src of items(child(v, 'projected'), 'sources')) {
      for (const item of items(child(src, 'downwardAPI'), 'items')) {
        const fr = child(item, 'fieldRef');
        if (fr) def(fr, 'apiVersion', 'v1');
      }
      const sat = child(src, 'serviceAccountToken');
      if (sat) def(sat, 'expirationSeconds', 3600);
    }
    const ephemeral = child(v, 'ephemeral', 'volumeClaimTemplate', 'spec');
    if (ephemeral) def(ephemeral, 'volumeMode', 'Filesystem');
    const iscsi = child(v, 'iscsi');
    if (iscsi) def(iscsi, 'iscsiInterface', 'default');
  }
}

/** SetDefaults_PodSpec (+ SetDefaults_Pod when the object is a Pod). */
export function defaultPodSpec(spec: Obj, isPod: boolean): void {
  def(spec, 'dnsPolicy', 'ClusterFirst');
  def(spec, 'restartPolicy', 'Always');
  if (spec.securityContext === undefined || spec.securityContext === null) spec.securityContext = {};
  def(spec, 'terminationGracePeriodSeconds', 30);
  def(spec, 'schedulerName', 'default-scheduler');
  // The v1 conversion mirrors serviceAccountName into the deprecated serviceAccount field.
  if (typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== '') def(spec, 'serviceAccount', spec.serviceAccountName);
  for (const c of items(spec, 'containers')) defaultContainer(c, isPod);
  for (const c of items(spec, 'initContainers')) defaultContainer(c, isPod);
  for (const c of items(spec, 'ephemeralContainers')) defaultContainer(c, isPod);
  defaultVolumes(spec);
  if (isPod) {
    if (spec.enableServiceLinks === undefined) spec.enableServiceLinks = true;
    if (spec.hostNetwork === true) {
      for (const c of [...items(spec, 'containers'), ...items(spec, 'initContainers')]) {
        for (const p of items(c, 'ports')) if (p.hostPort === undefined && typeof p.containerPort === 'number') p.hostPort = p.containerPort;
      }
    }
  }
}

function defaultPvcSpec(spec: Obj | undefined): void {
  if (spec) def(spec, 'volumeMode', 'Filesystem');
}

function defaultWebhook(w: Obj, mutating: boolean): void {
  def(w, 'failurePolicy', 'Fail');
  def(w, 'matchPolicy', 'Equivalent');
  if (w.namespaceSelector === undefined || w.namespaceSelector === null) w.namespaceSelector = {};
  if (w.objectSelector === undefined || w.objectSelector === null) w.objectSelector = {};
  def(w, 'timeoutSeconds', 10);
  if (mutating) def(w, 'reinvocationPolicy', 'Never');
  for (const r of items(w, 'rules')) def(r, 'scope', '*');
  const svc = child(w, 'clientConfig', 'service');
  if (svc) def(svc, 'port', 443);
}

function defaultSubjects(o: Obj): void {
  for (const s of items(o, 'subjects')) {
    if (s.apiGroup === undefined) s.apiGroup = s.kind === 'ServiceAccount' ? '' : 'rbac.authorization.k8s.io';
  }
  const roleRef = child(o, 'roleRef');
  if (roleRef) def(roleRef, 'apiGroup', 'rbac.authorization.k8s.io');
}

/** Fill the server's defaults into a copy-safe object (mutates `o`). `gk` is "apps/Deployment", "Service", … */
export function applyServerDefaults(o: Obj, gk: string, options: DefaultsOptions = {}): void {
  const minor = options.minor ?? 35;
  const apiVersion = options.apiVersion ?? (typeof o.apiVersion === 'string' ? o.apiVersion : undefined);
  for (const path of podSpecPaths(gk)) {
    const spec = child(o, ...path);
    if (spec) defaultPodSpec(spec, gk === 'Pod');
  }
  const spec = child(o, 'spec');
  switch (gk) {
    case 'apps/Deployment': {
      if (!spec) break;
      def(spec, 'replicas', 1);
      def(spec, 'revisionHistoryLimit', 10);
      def(spec, 'progressDeadlineSeconds', 600);
      const strategy = obj(spec, 'strategy');
      def(strategy, 'type', 'RollingUpdate');
      if (strategy.type === 'RollingUpdate') {
        const ru = obj(strategy, 'rollingUpdate');
        def(ru, 'maxUnavailable', '25%');
        def(ru, 'maxSurge', '25%');
      }
      break;
    }
    case 'apps/ReplicaSet':
      if (spec) def(spec, 'replicas', 1);
      break;
    case 'ReplicationController':
      if (spec) {
        def(spec, 'replicas', 1);
        const labels = child(spec, 'template', 'metadata', 'labels');
        if (labels && spec.selector === undefined) spec.selector = { ...labels };
        const meta = obj(o, 'metadata');
        if (labels && (!isObject(meta.labels) || Object.keys(meta.labels).length === 0)) meta.labels = { ...labels };
      }
      break;
    case 'apps/StatefulSet': {
      if (!spec) break;
      def(spec, 'replicas', 1);
      def(spec, 'revisionHistoryLimit', 10);
      def(spec, 'podManagementPolicy', 'OrderedReady');
      const us = obj(spec, 'updateStrategy');
      if (us.type === undefined || us.type === '') {
        us.type = 'RollingUpdate';
        if (us.rollingUpdate === undefined) us.rollingUpdate = {};
      }
      const ru = child(us, 'rollingUpdate');
      if (us.type === 'RollingUpdate' && ru) {
        def(ru, 'partition', 0);
        if (minor >= 35) def(ru, 'maxUnavailable', 1);
      }
      if (minor >= 27) {
        const retention = obj(spec, 'persistentVolumeClaimRetentionPolicy');
        def(retention, 'whenDeleted', 'Retain');
        def(retention, 'whenScaled', 'Retain');
      }
      for (const t of items(spec, 'volumeClaimTemplates')) {
        // The server stores templates with apiVersion/kind and an empty status (Argo's special case).
        def(t, 'apiVersion', 'v1');
        def(t, 'kind', 'PersistentVolumeClaim');
        defaultPvcSpec(child(t, 'spec'));
      }
      break;
    }
    case 'apps/DaemonSet': {
      if (!spec) break;
      def(spec, 'revisionHistoryLimit', 10);
      const us = obj(spec, 'updateStrategy');
      def(us, 'type', 'RollingUpdate');
      if (us.type === 'RollingUpdate') {
        const ru = obj(us, 'rollingUpdate');
        def(ru, 'maxUnavailable', 1);
        def(ru, 'maxSurge', 0);
      }
      break;
    }
    case 'batch/Job': {
      if (!spec) break;
      if (spec.completions === undefined && spec.parallelism === undefined) {
        spec.completions = 1;
        spec.parallelism = 1;
      }
      def(spec, 'parallelism', 1);
      if (spec.backoffLimit === undefined) spec.backoffLimit = spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
      def(spec, 'completionMode', 'NonIndexed');
      // The registry generates the selector and records that it did: manualSelector: false.
      if (spec.manualSelector === undefined) spec.manualSelector = false;
      if (spec.suspend === undefined) spec.suspend = false;
      if (spec.podReplacementPolicy === undefined) spec.podReplacementPolicy = spec.podFailurePolicy !== undefined ? 'Failed' : 'TerminatingOrFailed';
      for (const rule of items(child(spec, 'podFailurePolicy'), 'rules')) for (const c of items(rule, 'onPodConditions')) def(c, 'status', 'True');
      const tmplLabels = child(spec, 'template', 'metadata', 'labels');
      const meta = obj(o, 'metadata');
      if (tmplLabels && (!isObject(meta.labels) || Object.keys(meta.labels).length === 0)) meta.labels = { ...tmplLabels };
      break;
    }
    case 'batch/CronJob':
      if (!spec) break;
      def(spec, 'concurrencyPolicy', 'Allow');
      if (spec.suspend === undefined) spec.suspend = false;
      def(spec, 'successfulJobsHistoryLimit', 3);
      def(spec, 'failedJobsHistoryLimit', 1);
      break;
    case 'Service': {
      if (!spec) break;
      def(spec, 'type', 'ClusterIP');
      def(spec, 'sessionAffinity', 'None');
      if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
      if (spec.sessionAffinity === 'ClientIP') {
        const ci = obj(obj(spec, 'sessionAffinityConfig'), 'clientIP');
        def(ci, 'timeoutSeconds', 10800);
      }
      for (const p of items(spec, 'ports')) {
        def(p, 'protocol', 'TCP');
        if ((p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') && typeof p.port === 'number') p.targetPort = p.port;
      }
      const type = spec.type;
      const external = type === 'NodePort' || type === 'LoadBalancer' || (type === 'ClusterIP' && Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0);
      if (external) def(spec, 'externalTrafficPolicy', 'Cluster');
      if (type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP') def(spec, 'internalTrafficPolicy', 'Cluster');
      if (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
      break;
    }
    case 'Secret':
      def(o, 'type', 'Opaque');
      break;
    case 'PersistentVolumeClaim':
      defaultPvcSpec(spec);
      break;
    case 'PersistentVolume': {
      if (!spec) break;
      def(spec, 'persistentVolumeReclaimPolicy', 'Retain');
      def(spec, 'volumeMode', 'Filesystem');
      const hostPath = child(spec, 'hostPath');
      if (hostPath && hostPath.type === undefined) hostPath.type = '';
      break;
    }
    case 'LimitRange':
      // SetDefaults_LimitRangeItem: container defaults come from max, default requests from defaults, then min.
      for (const item of items(spec, 'limits')) {
        if (item.type !== 'Container') continue;
        const dflt = obj(item, 'default');
        const req = obj(item, 'defaultRequest');
        for (const [k, v] of Object.entries(child(item, 'max') ?? {})) if (dflt[k] === undefined) dflt[k] = v;
        for (const [k, v] of Object.entries(dflt)) if (req[k] === undefined) req[k] = v;
        for (const [k, v] of Object.entries(child(item, 'min') ?? {})) if (req[k] === undefined) req[k] = v;
      }
      break;
    case 'autoscaling/HorizontalPodAutoscaler': {
      if (!spec) break;
      def(spec, 'minReplicas', 1);
      if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
        if (apiVersion !== 'autoscaling/v1') {
          spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
        }
      }
      const behavior = child(spec, 'behavior');
      if (behavior) {
        const up = isObject(behavior.scaleUp) ? behavior.scaleUp : (behavior.scaleUp = {});
        def(up, 'stabilizationWindowSeconds', 0);
        def(up, 'selectPolicy', 'Max');
        if (up.policies === undefined) up.policies = [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ];
        const down = isObject(behavior.scaleDown) ? behavior.scaleDown : (behavior.scaleDown = {});
        def(down, 'selectPolicy', 'Max');
        if (down.policies === undefined) down.policies = [{ type: 'Percent', value: 100, periodSeconds: 15 }];
      }
      if (apiVersion === 'autoscaling/v1') def(spec, 'targetCPUUtilizationPercentage', 80);
      break;
    }
    case 'networking.k8s.io/NetworkPolicy': {
      if (!spec) break;
      for (const rule of [...items(spec, 'ingress'), ...items(spec, 'egress')]) for (const p of items(rule, 'ports')) def(p, 'protocol', 'TCP');
      if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) {
        spec.policyTypes = Array.isArray(spec.egress) && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
      }
      break;
    }
    case 'rbac.authorization.k8s.io/RoleBinding':
    case 'rbac.authorization.k8s.io/ClusterRoleBinding':
      defaultSubjects(o);
      break;
    case 'admissionregistration.k8s.io/MutatingWebhookConfiguration':
    case 'admissionregistration.k8s.io/ValidatingWebhookConfiguration':
      for (const w of items(o, 'webhooks')) defaultWebhook(w, gk.endsWith('MutatingWebhookConfiguration'));
      break;
    case 'apiextensions.k8s.io/CustomResourceDefinition': {
      if (!spec) break;
      const conv = obj(spec, 'conversion');
      def(conv, 'strategy', 'None');
      const names = child(spec, 'names');
      if (names && typeof names.kind === 'string') {
        def(names, 'listKind', `${names.kind}List`);
        def(names, 'singular', names.kind.toLowerCase());
      }
      const svc = child(conv, 'webhook', 'clientConfig', 'service');
      if (svc) def(svc, 'port', 443);
      break;
    }
    case 'scheduling.k8s.io/PriorityClass':
      def(o, 'preemptionPolicy', 'PreemptLowerPriority');
      break;
    case 'storage.k8s.io/StorageClass':
      def(o, 'reclaimPolicy', 'Delete');
      def(o, 'volumeBindingMode', 'Immediate');
      break;
    case 'apiregistration.k8s.io/APIService':
      if (spec) {
        const svc = child(spec, 'service');
        if (svc) def(svc, 'port', 443);
      }
      break;
  }
}
