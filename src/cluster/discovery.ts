// API discovery: which group/kinds the server serves, under which resource name and version, and
// whether they are namespaced (/api, /api/v1, /apis, /apis/<group>/<preferred version>).
import type { ClusterClient } from './client.ts';

export interface ApiResource {
  group: string;
  version: string;
  kind: string;
  /** Plural resource name used in URLs. */
  resource: string;
  namespaced: boolean;
  verbs: string[];
}

export interface Discovery {
  /** By "group/Kind" ("Kind" for the core group): the preferred version's resource. */
  byGroupKind: Map<string, ApiResource>;
  /** Every served version of a group ("apps" → ["v1"]). */
  versions: Map<string, string[]>;
}

interface ResourceList {
  groupVersion: string;
  resources: { name: string; kind: string; namespaced: boolean; verbs?: string[] }[];
}

export function gkKey(group: string, kind: string): string {
  return group === '' ? kind : `${group}/${kind}`;
}

/** Aggregated discovery (KEP-3352, GA in 1.30; v2beta1 since 1.26): every group's resources in one response. */
const AGGREGATED_ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

interface AggregatedList {
  kind?: string;
  items?: {
    metadata?: { name?: string };
    versions?: { version: string; freshness?: string; resources?: { resource: string; responseKind?: { kind?: string }; scope?: string; verbs?: string[] }[] }[];
  }[];
}

/**
 * What the server serves: with aggregated discovery two requests (/api, /apis), as kubectl does; from a server without
 * it, /api/v1, /apis and each group's preferred version (one request per group). `requests`: how many were made.
 */
export async function discover(client: ClusterClient, concurrency = 4, options: { aggregated?: boolean } = {}): Promise<Discovery & { requests: number }> {
  if (options.aggregated !== false) {
    const [core, groups] = await Promise.all([client.request<AggregatedList>('GET', '/api', { accept: AGGREGATED_ACCEPT }), client.request<AggregatedList>('GET', '/apis', { accept: AGGREGATED_ACCEPT })]);
    if (core.status === 200 && groups.status === 200 && core.body?.kind === 'APIGroupDiscoveryList' && groups.body?.kind === 'APIGroupDiscoveryList') {
      const byGroupKind = new Map<string, ApiResource>();
      const versions = new Map<string, string[]>();
      for (const g of [...(core.body.items ?? []), ...(groups.body.items ?? [])]) {
        const group = g.metadata?.name ?? '';
        const served = g.versions ?? [];
        versions.set(group, served.map((v) => v.version));
        // The first version is the preferred one; a stale one (an aggregated API that is down) serves nothing.
        const preferred = served[0];
        if (!preferred || preferred.freshness === 'Stale') continue;
        for (const r of preferred.resources ?? []) {
          const kind = r.responseKind?.kind;
          if (!kind) continue;
          byGroupKind.set(gkKey(group, kind), { group, version: preferred.version, kind, resource: r.resource, namespaced: r.scope === 'Namespaced', verbs: r.verbs ?? [] });
        }
      }
      return { byGroupKind, versions, requests: 2 };
    }
    // An older server answered with the plain lists: discovered group by group below.
  }
  const byGroupKind = new Map<string, ApiResource>();
  const versions = new Map<string, string[]>();
  const lists: { group: string; path: string }[] = [{ group: '', path: '/api/v1' }];
  versions.set('', ['v1']);
  const groups = await client.get<{ groups: { name: string; versions: { version: string }[]; preferredVersion?: { version: string } }[] }>('/apis');
  for (const g of groups.groups) {
    versions.set(g.name, g.versions.map((v) => v.version));
    const preferred = g.preferredVersion?.version ?? g.versions[0]?.version;
    if (preferred) lists.push({ group: g.name, path: `/apis/${g.name}/${preferred}` });
  }
  await forEachLimit(lists, concurrency, async (l) => {
    const r = await client.request<ResourceList>('GET', l.path);
    if (r.status !== 200 || !r.body) return; // an unavailable aggregated API: its kinds are just not served
    const version = r.body.groupVersion.includes('/') ? r.body.groupVersion.split('/')[1] as string : r.body.groupVersion;
    for (const res of r.body.resources) {
      if (res.name.includes('/')) continue; // subresources
      byGroupKind.set(gkKey(l.group, res.kind), { group: l.group, version, kind: res.kind, resource: res.name, namespaced: res.namespaced, verbs: res.verbs ?? [] });
    }
  });
  return { byGroupKind, versions, requests: (options.aggregated !== false ? 2 : 0) + 1 + lists.length };
}

/** URL of a collection (namespace omitted for cluster-scoped kinds or an all-namespaces list). */
export function collectionPath(r: ApiResource, namespace?: string): string {
  const base = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  return r.namespaced && namespace !== undefined ? `${base}/namespaces/${encodeURIComponent(namespace)}/${r.resource}` : `${base}/${r.resource}`;
}

export function objectPath(r: ApiResource, name: string, namespace?: string, apiVersion?: string): string {
  const version = apiVersion?.includes('/') ? apiVersion.split('/')[1] : apiVersion && r.group === '' ? apiVersion : r.version;
  return `${collectionPath({ ...r, version: version ?? r.version }, namespace)}/${encodeURIComponent(name)}`;
}

export async function forEachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i] as T);
    }
  });
  await Promise.all(workers);
}

/** A gate for tasks started over time: at most `limit` run at once, the others wait their turn in order. */
export function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  const next = (): void => {
    if (active < limit) waiting.shift()?.();
  };
  return (task) =>
    new Promise((resolve, reject) => {
      waiting.push(() => {
        active++;
        task()
          .then(resolve, reject)
          .finally(() => {
            active--;
            next();
          });
      });
      next();
    });
}

