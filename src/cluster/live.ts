// The cluster as the live source: discovery, ONE LIST per kind and namespace (never a GET per
// object), the cluster's identity, and server-side dry-run applies (dryRunObjects: PATCH
// ?dryRun=All&fieldManager=kubeplan&force=false, application/apply-patch+yaml) giving the exact
// object an apply would produce — the basis computePlan prefers when it is there. loadClusterLive
// dry-runs every desired object or none; planFromCluster (plan.ts) has the `changed` policy.
import { getObject, getString, groupOf, isObject } from '../core/objects.ts';
import type { JsonObject, Manifest } from '../core/types.ts';
import { DEFAULT_FIELD_MANAGER } from '../plan/compute.ts';
import { desiredIdentity, ScopeResolver } from '../plan/identity.ts';
import type { DryRunResult, KindInfo, KindInfoFn, ListedKind, LiveObject, LiveSource } from '../plan/types.ts';
import { type ClusterClient, ClusterError, statusMessage } from './client.ts';
import { type ApiResource, collectionPath, type Discovery, discover, forEachLimit, gkKey, limiter, objectPath } from './discovery.ts';
import { KIND_INFOS, kindInfosOf, OpenApiCache } from './openapi.ts';

/** kubectl's default prune allowlist: kinds listed for pruning even when the repo has none of them. */
export const PRUNE_KINDS = ['ConfigMap', 'Endpoints', 'PersistentVolumeClaim', 'Pod', 'ReplicationController', 'Secret', 'Service', 'batch/Job', 'batch/CronJob', 'networking.k8s.io/Ingress', 'apps/DaemonSet', 'apps/Deployment', 'apps/ReplicaSet', 'apps/StatefulSet', 'Namespace', 'PersistentVolume'];

export interface ClusterLiveOptions {
  client: ClusterClient;
  desired: Manifest[];
  defaultNamespace: string;
  /** List prune candidates too (label-selected, in the repo's namespaces). */
  pruneSelector?: string;
  applySetId?: string;
  /** Server-side dry-run of every desired object (default true); planFromCluster's `changed` policy passes false and dry-runs later. */
  dryRun?: boolean;
  fieldManager?: string;
  /**
   * Requests in flight for discovery and LISTs (default 8, the client's sockets per agent); when given, also the default
   * of dryRunConcurrency. bench/plan.ts, 61 LISTs behind 20 ms RTT: ~0.45 s at 4, ~0.25 s at 8; same on loopback.
   */
  concurrency?: number;
  /**
   * Dry-run applies in flight (default 8, the client's sockets per agent). Each is one small object, so away from
   * loopback they wait on round trips, not on the server: bench/plan.ts, 1,000 objects behind 20 ms RTT, took
   * 7.5 s at 4 and 4.2 s at 8; on loopback (server CPU-bound) 4 and 8 were the same.
   */
  dryRunConcurrency?: number;
  /** OpenAPI cache (kindInfo for list keys and quantities of served kinds); default ~/.cache/kubeplan/openapi. */
  openapi?: OpenApiCache | false;
}

export interface ClusterLive {
  source: LiveSource;
  /** kindInfo from the cluster's OpenAPI v3 documents (pass to computePlan). */
  kindInfo: KindInfoFn;
  discovery: Discovery;
  /** Requests made, by kind of request (the bench and tests check "one LIST per kind and namespace"). */
  requests: { list: number; dryRun: number; other: number };
}

interface ListResult {
  apiVersion?: string;
  kind?: string;
  items?: JsonObject[];
  metadata?: { continue?: string };
}

export async function loadClusterLive(options: ClusterLiveOptions): Promise<ClusterLive> {
  const { client } = options;
  const concurrency = options.concurrency ?? 8;
  const dryRunConcurrency = options.dryRunConcurrency ?? options.concurrency ?? 8;
  const fieldManager = options.fieldManager ?? DEFAULT_FIELD_MANAGER;
  const requests = { list: 0, dryRun: 0, other: 0 };
  const notes: string[] = [];
  // Discovery, and the cluster's identity (survives a renamed server URL, differs between clusters: T38), at once.
  const [discovery, version, ks] = await Promise.all([
    discover(client, concurrency),
    client.request<{ gitVersion?: string }>('GET', '/version'),
    client.request<JsonObject>('GET', '/api/v1/namespaces/kube-system'),
  ]);
  requests.other += discovery.requests + 2;
  const kubeSystemUid = ks.status === 200 ? getString(getObject(ks.body, 'metadata'), 'uid') : undefined;

  const kindInfo = clusterKindInfo(discovery);
  const scopes = new ScopeResolver(kindInfo, options.desired.map((m) => m.object));
  // What to list: every desired kind in every namespace the repo uses (one LIST each), plus pods
  // (selector impact) and, when pruning, kubectl's prune allowlist in those namespaces.
  const namespaces = new Set<string>();
  const kinds = new Set<string>();
  const unknown = new Set<string>();
  const desiredCrds = new Set<string>();
  for (const m of options.desired) {
    if (m.object.kind === 'CustomResourceDefinition') {
      const spec = getObject(m.object, 'spec');
      const g = getString(spec, 'group');
      const k = getString(getObject(spec, 'names'), 'kind');
      if (g && k) desiredCrds.add(gkKey(g, k));
    }
  }
  for (const m of options.desired) {
    const id = desiredIdentity(m.object, scopes, options.defaultNamespace);
    if (!id) continue;
    if (id.namespace) namespaces.add(id.namespace);
    const gk = gkKey(id.group, id.kind);
    if (discovery.byGroupKind.has(gk)) kinds.add(gk);
    else if (!desiredCrds.has(gk)) unknown.add(gk);
  }
  for (const gk of unknown) notes.push(`${gk} is not served by the cluster and no CRD in the repo defines it (T44): planned as a create that apply cannot perform`);
  kinds.add('Pod');
  if (options.pruneSelector || options.applySetId) for (const k of PRUNE_KINDS) if (discovery.byGroupKind.has(k)) kinds.add(k);

  const lists: { gk: string; namespace?: string }[] = [];
  for (const gk of kinds) {
    const r = discovery.byGroupKind.get(gk);
    if (!r || !r.verbs.includes('list')) continue;
    if (r.namespaced) for (const ns of namespaces) lists.push({ gk, namespace: ns });
    else lists.push({ gk });
  }
  // kindInfo from OpenAPI v3 for every served kind of the plan (list-map keys, quantities of CRs), fetched while the
  // LISTs run (a warm cache is one request, the /openapi/v3 index).
  const openapiNotes: string[] = [];
  const openapiInfos = (async (): Promise<Map<string, KindInfo>> => {
    const infos = new Map<string, KindInfo>();
    if (options.openapi === false) return infos;
    const cache = options.openapi ?? new OpenApiCache(client);
    for (const gk of kinds) {
      const r = discovery.byGroupKind.get(gk)!;
      const gv = r.group === '' ? r.version : `${r.group}/${r.version}`;
      try {
        const info = (await cache.derived(gv, KIND_INFOS, (doc) => kindInfosOf(doc, r.group, r.version)))?.[r.kind];
        if (info) infos.set(gk, { ...info, namespaced: r.namespaced });
      } catch (e) {
        openapiNotes.push(`OpenAPI v3 for ${gv}: ${(e as Error).message}; built-in list keys used`);
      }
    }
    return infos;
  })();
  openapiInfos.catch(() => undefined); // awaited below; a LIST that throws first must not leave it unhandled
  const objects: LiveObject[] = [];
  const listed: ListedKind[] = [];
  await forEachLimit(lists, concurrency, async ({ gk, namespace }) => {
    const r = discovery.byGroupKind.get(gk)!;
    let cont: string | undefined;
    do {
      const q = new URLSearchParams({ limit: '500' });
      if (cont) q.set('continue', cont);
      const path = `${collectionPath(r, namespace)}?${q.toString()}`;
      const res = await client.request<ListResult>('GET', path);
      requests.list++;
      if (res.status === 403) {
        notes.push(`not allowed to list ${r.resource}${namespace ? ` in ${namespace}` : ''}: ${statusMessage(res)}`);
        return;
      }
      if (res.status === 404 && namespace) {
        listed.push({ gk, namespace }); // namespace does not exist yet (T17): nothing of the kind is there
        return;
      }
      if (res.status !== 200) throw new ClusterError(`LIST ${path}: ${res.status} ${statusMessage(res)}`);
      if (!cont) listed.push({ gk, ...(namespace !== undefined ? { namespace } : {}) });
      const apiVersion = res.body.apiVersion ?? (r.group === '' ? r.version : `${r.group}/${r.version}`);
      for (const item of res.body.items ?? []) {
        // Items of a list carry no apiVersion/kind: they are the list's.
        objects.push({ object: { apiVersion, kind: r.kind, ...item }, source: 'cluster' });
      }
      cont = res.body.metadata?.continue || undefined;
    } while (cont);
  });

  // Server-side dry-run apply of each desired object: the exact result, with admission and defaults.
  let dryRun: Record<string, DryRunResult> = {};
  if (options.dryRun !== false) {
    const liveNamespaces = objects.filter((o) => o.object.kind === 'Namespace').map((o) => getString(getObject(o.object, 'metadata'), 'name') ?? '');
    dryRun = await dryRunObjects(client, options.desired, { discovery, defaultNamespace: options.defaultNamespace, fieldManager, concurrency: dryRunConcurrency, scopeObjects: options.desired.map((m) => m.object), namespaces: liveNamespaces, requests });
  }
  const cluster = { server: client.server, context: client.context, ...(kubeSystemUid ? { kubeSystemUid } : {}), ...(version.body?.gitVersion ? { version: version.body.gitVersion } : {}) };

  const infos = await openapiInfos;
  notes.push(...openapiNotes);
  const withSchema: KindInfoFn = (apiVersion, kind) => infos.get(gkKey(groupOf(apiVersion), kind)) ?? kindInfo(apiVersion, kind);

  return {
    source: { kind: 'cluster', description: `cluster ${client.server}${client.context ? ` (context ${client.context})` : ''}`, objects, cluster, dryRun, notes, listed },
    kindInfo: withSchema,
    discovery,
    requests,
  };
}

export interface DryRunObjectsOptions {
  discovery: Discovery;
  defaultNamespace: string;
  fieldManager?: string;
  /** Dry-run applies in flight (default 8). */
  concurrency?: number;
  /**
   * Objects whose CRDs decide the scope of custom resources: the whole desired set when `manifests` is a subset of
   * it, so that keys match computePlan's (default: the manifests themselves).
   */
  scopeObjects?: JsonObject[];
  /** Namespaces known to exist (from the LISTs); GET /api/v1/namespaces adds the rest. */
  namespaces?: Iterable<string>;
  /** Only the objects with these keys (objectKey, as computePlan's PlanChange.key); default every manifest. */
  only?: ReadonlySet<string>;
  /** Counters to add the requests to (dryRun per PATCH, other for the namespace list). */
  requests?: { list: number; dryRun: number; other: number };
}

/**
 * Server-side dry-run apply (PATCH ?dryRun=All, application/apply-patch+yaml) of each manifest, 8 in flight, by
 * object key: the exact object an apply would produce, or the server's refusal. One request per key (the first
 * definition, the one computePlan plans); objects whose kind is not served yet (T16) or whose namespace does not
 * exist yet (T17) are left out: they are planned offline as creates.
 */
export async function dryRunObjects(client: ClusterClient, manifests: Manifest[], options: DryRunObjectsOptions): Promise<Record<string, DryRunResult>> {
  const queue = dryRunQueue(client, manifests, options);
  for (const key of queue.keys) if (!options.only || options.only.has(key)) queue.add(key);
  return queue.done();
}

/** Dry-runs started one object at a time, as a caller decides which objects need one (planFromCluster, while it plans). */
export interface DryRunQueue {
  /** The keys that can be dry-run (first definitions of served kinds), in manifest order. */
  readonly keys: readonly string[];
  /** Start the dry-run of this object (once; a key not in `keys` is ignored). */
  add(key: string): void;
  /** Every started dry-run's result, once all have ended; rejects with the error of the first started request that failed outright. */
  done(): Promise<Record<string, DryRunResult>>;
}

export function dryRunQueue(client: ClusterClient, manifests: Manifest[], options: Omit<DryRunObjectsOptions, 'only'>): DryRunQueue {
  const { discovery } = options;
  const fieldManager = options.fieldManager ?? DEFAULT_FIELD_MANAGER;
  const requests = options.requests ?? { list: 0, dryRun: 0, other: 0 };
  const limit = options.concurrency ?? 8;
  const scopes = new ScopeResolver(clusterKindInfo(discovery), options.scopeObjects ?? manifests.map((m) => m.object));
  interface Todo {
    m: Manifest;
    id: NonNullable<ReturnType<typeof desiredIdentity>>;
    r: ApiResource;
  }
  const todos = new Map<string, Todo>();
  const seen = new Set<string>();
  for (const m of manifests) {
    const id = desiredIdentity(m.object, scopes, options.defaultNamespace);
    if (!id || seen.has(id.key)) continue;
    seen.add(id.key);
    const r = discovery.byGroupKind.get(gkKey(id.group, id.kind));
    if (!r) continue; // CRD not there yet (T16): planned offline as a create
    todos.set(id.key, { m, id, r });
  }
  // Namespaces that exist: the LISTs', and (asked once, when a dry-run needs one they do not have) the server's.
  const known = new Set(options.namespaces ?? []);
  let listed: Promise<Set<string>> | undefined;
  const namespaceExists = async (ns: string): Promise<boolean> => {
    if (known.has(ns)) return true;
    listed ??= client.request<{ items?: JsonObject[] }>('GET', '/api/v1/namespaces').then((res) => {
      requests.other++;
      const all = new Set(known);
      for (const n of res.body?.items ?? []) all.add(getString(getObject(n, 'metadata'), 'name') ?? '');
      return all;
    });
    return (await listed).has(ns);
  };
  const results: Record<string, DryRunResult> = {};
  const run = async ({ m, id, r }: Todo): Promise<void> => {
    if (id.namespace && !(await namespaceExists(id.namespace))) return; // namespace created by this plan (T17)
    const body: JsonObject = { ...m.object, metadata: { ...(isObject(m.object.metadata) ? m.object.metadata : {}), ...(id.namespace ? { namespace: id.namespace } : {}) } };
    const path = `${objectPath(r, id.name, id.namespace, getString(m.object, 'apiVersion'))}?dryRun=All&fieldManager=${encodeURIComponent(fieldManager)}&force=false`;
    const res = await client.request<JsonObject>('PATCH', path, { body: JSON.stringify(body), contentType: 'application/apply-patch+yaml' });
    requests.dryRun++;
    if (res.status === 200 || res.status === 201) results[id.key] = { ok: true, object: res.body };
    else {
      const b = res.body as { reason?: string } | undefined;
      results[id.key] = { ok: false, status: res.status, reason: b?.reason ?? String(res.status), message: redactSecretMessage(m.object, statusMessage(res)) };
    }
  };
  const slot = limiter(limit);
  const started = new Map<string, Promise<void>>();
  return {
    keys: [...todos.keys()],
    add(key) {
      const todo = todos.get(key);
      if (!todo || started.has(key)) return;
      const running = slot(() => run(todo));
      running.catch(() => undefined); // reported by done()
      started.set(key, running);
    },
    async done() {
      const ended = await Promise.allSettled(started.values());
      const failed = ended.find((e): e is PromiseRejectedResult => e.status === 'rejected');
      if (failed) throw failed.reason;
      return results;
    },
  };
}

/** Scope from discovery, for kinds OpenAPI does not describe. */
export function clusterKindInfo(discovery: Discovery): KindInfoFn {
  return (apiVersion, kind) => {
    const r = discovery.byGroupKind.get(gkKey(groupOf(apiVersion), kind));
    return r ? { group: r.group, version: r.version, kind: r.kind, namespaced: r.namespaced, listMapKeys: {} } : undefined;
  };
}

/** An API server message about a Secret may echo a value: cut every value of the object out of it. */
function redactSecretMessage(object: JsonObject, message: string): string {
  if (object.kind !== 'Secret') return message;
  let out = message;
  for (const field of ['data', 'stringData']) {
    const m = object[field];
    if (!isObject(m)) continue;
    for (const v of Object.values(m)) {
      if (typeof v !== 'string' || v.length < 3) continue;
      out = out.split(v).join('***');
      if (field === 'data') {
        const decoded = Buffer.from(v, 'base64').toString('utf8');
        if (decoded.length >= 3) out = out.split(decoded).join('***');
      }
    }
  }
  return out;
}
