// Cluster-assigned fields: values the server or a controller fills in when the repo leaves them out
// (clusterIP, nodePorts, PVC volumeName, injected caBundles, ServiceAccount token secrets,
// aggregated ClusterRole rules, what admission plugins add to a bare Pod, …). When the desired object omits them they are taken from live,
// so they never show as a diff (kapp's "copy [new, existing]" rebase rules; gitops.md §9).
import { isObject } from '../../core/objects.ts';
import type { JsonObject, JsonValue } from '../../core/types.ts';
import { canonicalJson } from '../json.ts';

function obj(v: JsonValue | undefined): JsonObject | undefined {
  return isObject(v) ? v : undefined;
}

function copyIfAbsent(d: JsonObject | undefined, l: JsonObject | undefined, key: string): void {
  if (!d || !l) return;
  if (d[key] === undefined && l[key] !== undefined) d[key] = structuredClone(l[key]) as JsonValue;
}

function list(v: JsonValue | undefined): JsonObject[] {
  return Array.isArray(v) ? v.filter(isObject) : [];
}

function byKey(items: JsonObject[], keys: string[]): Map<string, JsonObject> {
  const m = new Map<string, JsonObject>();
  for (const it of items) m.set(canonicalJson(keys.map((k) => it[k] ?? null)), it);
  return m;
}

/**
 * Copy cluster-assigned fields from the normalized live object into the normalized desired one
 * where the repo does not set them (mutates `desired`). `gk` is "Service", "apps/Deployment", ….
 */
export function rebaseClusterAssigned(desired: JsonObject, live: JsonObject, gk: string): void {
  const dm = obj(desired.metadata);
  const lm = obj(live.metadata);
  copyIfAbsent(dm, lm, 'ownerReferences');
  copyIfAbsent(dm, lm, 'finalizers');
  const ds = obj(desired.spec);
  const ls = obj(live.spec);
  switch (gk) {
    case 'Service': {
      if (!ds || !ls) break;
      if (ds.type === 'ExternalName' || ls.type === 'ExternalName') break;
      for (const k of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy', 'healthCheckNodePort']) copyIfAbsent(ds, ls, k);
      if (ds.type === 'NodePort' || ds.type === 'LoadBalancer') {
        const livePorts = byKey(list(ls.ports), ['port', 'protocol']);
        for (const p of list(ds.ports)) copyIfAbsent(p, livePorts.get(canonicalJson([p.port ?? null, p.protocol ?? null])), 'nodePort');
      }
      break;
    }
    case 'PersistentVolumeClaim':
      copyIfAbsent(ds, ls, 'volumeName');
      copyIfAbsent(ds, ls, 'storageClassName');
      break;
    case 'apps/StatefulSet':
      if (ds && ls) {
        const liveByName = new Map(list(ls.volumeClaimTemplates).map((t) => [String(obj(t.metadata)?.name ?? ''), t]));
        for (const t of list(ds.volumeClaimTemplates)) {
          const l = liveByName.get(String(obj(t.metadata)?.name ?? ''));
          copyIfAbsent(obj(t.spec), obj(l?.spec), 'storageClassName');
        }
      }
      break;
    case 'admissionregistration.k8s.io/MutatingWebhookConfiguration':
    case 'admissionregistration.k8s.io/ValidatingWebhookConfiguration': {
      const liveHooks = new Map(list(live.webhooks).map((w) => [String(w.name), w]));
      for (const w of list(desired.webhooks)) copyIfAbsent(obj(w.clientConfig), obj(obj(liveHooks.get(String(w.name)))?.clientConfig), 'caBundle');
      break;
    }
    case 'apiregistration.k8s.io/APIService':
      copyIfAbsent(ds, ls, 'caBundle');
      break;
    case 'apiextensions.k8s.io/CustomResourceDefinition':
      copyIfAbsent(obj(obj(obj(ds?.conversion)?.webhook)?.clientConfig), obj(obj(obj(ls?.conversion)?.webhook)?.clientConfig), 'caBundle');
      break;
    case 'ServiceAccount': {
      const name = String(dm?.name ?? lm?.name ?? '');
      for (const field of ['secrets', 'imagePullSecrets']) {
        const auto = list(live[field]).filter((s) => typeof s.name === 'string' && (s.name.startsWith(`${name}-token-`) || s.name.startsWith(`${name}-dockercfg-`)));
        if (auto.length === 0) continue;
        const mine = list(desired[field]);
        const names = new Set(mine.map((s) => s.name));
        desired[field] = [...mine, ...auto.filter((s) => !names.has(s.name)).map((s) => structuredClone(s))];
      }
      break;
    }
    case 'rbac.authorization.k8s.io/ClusterRole':
      if (desired.aggregationRule !== undefined) {
        if (live.rules !== undefined) desired.rules = structuredClone(live.rules);
        else delete desired.rules;
      }
      break;
    case 'Namespace':
      copyIfAbsent(ds ?? (desired.spec = {}), ls, 'finalizers');
      if (ds === undefined && isObject(desired.spec) && Object.keys(desired.spec).length === 0) delete desired.spec;
      break;
    case 'Pod':
      if (!ds || !ls) break;
      // nodeName: the scheduler's binding; serviceAccountName/serviceAccount: the ServiceAccount admission plugin
      // (`default`); priority, priorityClassName, preemptionPolicy: the Priority admission plugin.
      for (const k of ['nodeName', 'serviceAccountName', 'serviceAccount', 'priority', 'priorityClassName', 'preemptionPolicy', 'hostname', 'subdomain']) copyIfAbsent(ds, ls, k);
      rebaseDefaultTolerations(ds, ls);
      rebaseServiceAccountToken(ds, ls);
      break;
    case 'batch/Job':
      if (ds && ls && ds.manualSelector !== true) copyIfAbsent(ds, ls, 'selector');
      break;
  }
}

/** The taints the DefaultTolerationSeconds admission plugin tolerates for every pod that does not already. */
const DEFAULT_TOLERATION_KEYS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

/**
 * DefaultTolerationSeconds (on pod create and update) appends `{key, operator: Exists, effect: NoExecute,
 * tolerationSeconds: 300}` for node.kubernetes.io/not-ready and /unreachable unless a toleration already matches
 * (same key or no key, and effect NoExecute or none). Where the repo's pod does not match one and live carries the
 * plugin's toleration, it is appended to the repo's list (an atomic list: order counts), so it is no diff; any other
 * toleration live has and the repo lacks still is.
 */
function rebaseDefaultTolerations(ds: JsonObject, ls: JsonObject): void {
  const mine = list(ds.tolerations);
  const tolerates = (key: string): boolean =>
    mine.some((t) => (t.key === key || t.key === undefined || t.key === '') && (t.effect === 'NoExecute' || t.effect === undefined || t.effect === ''));
  const added: JsonObject[] = [];
  for (const key of DEFAULT_TOLERATION_KEYS) {
    if (tolerates(key)) continue;
    const live = list(ls.tolerations).find((t) => t.key === key && t.operator === 'Exists' && t.effect === 'NoExecute' && typeof t.tolerationSeconds === 'number' && t.value === undefined);
    if (live) added.push(structuredClone(live));
  }
  if (added.length > 0) ds.tolerations = [...mine, ...added];
}

/** Where the ServiceAccount admission plugin mounts the API token in every container (DefaultAPITokenMountPath). */
export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const TOKEN_VOLUME_PREFIX = 'kube-api-access-';

/**
 * The ServiceAccount admission plugin (pod create), unless the pod sets automountServiceAccountToken: false (or its
 * ServiceAccount does): every container and init container without a mount at SERVICE_ACCOUNT_MOUNT_PATH gets a
 * read-only mount of a projected token volume `kube-api-access-<random>`, and the volume is appended to the pod's
 * volumes (a volume of the pod already named kube-api-access-* is used instead). Live's volume and mounts are copied
 * into the repo's pod where the repo does not set them, so a bare Pod from git is no diff; a mount the repo makes at
 * that path, or its own volumes and mounts, still compare.
 */
function rebaseServiceAccountToken(ds: JsonObject, ls: JsonObject): void {
  if (ds.automountServiceAccountToken === false) return;
  const volumes = list(ds.volumes);
  const ownTokenVolume = volumes.find((v) => typeof v.name === 'string' && v.name.startsWith(TOKEN_VOLUME_PREFIX));
  let tokenVolume = typeof ownTokenVolume?.name === 'string' ? ownTokenVolume.name : undefined;
  if (tokenVolume === undefined) {
    const injected = list(ls.volumes).find((v) => typeof v.name === 'string' && v.name.startsWith(TOKEN_VOLUME_PREFIX) && list(obj(v.projected)?.sources).some((s) => s.serviceAccountToken !== undefined));
    if (!injected || typeof injected.name !== 'string') return;
    tokenVolume = injected.name;
    ds.volumes = [...volumes, structuredClone(injected)];
  }
  for (const field of ['initContainers', 'containers']) {
    const liveByName = new Map(list(ls[field]).map((c) => [c.name, c]));
    for (const c of list(ds[field])) {
      const mounts = list(c.volumeMounts);
      if (mounts.some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH)) continue;
      const liveMount = list(liveByName.get(c.name)?.volumeMounts).find((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH && m.name === tokenVolume);
      if (liveMount) c.volumeMounts = [...mounts, structuredClone(liveMount)];
    }
  }
}

/** `spec.replicas` of a workload an HPA scales is the HPA's: dropped from both sides. */
export function dropReplicas(o: JsonObject): void {
  const spec = obj(o.spec);
  if (spec) delete spec.replicas;
}
