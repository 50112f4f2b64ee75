// What the cluster holds that the repo refers to but does not define (a ConfigMap, Secret, ServiceAccount, PVC or
// Service named in a workload or an Ingress): one LIST per kind and namespace the plan's LISTs did not cover, all at
// once (8 in flight), as metadata only (PartialObjectMetadataList), so no ConfigMap or Secret data is ever read. Of
// each item only name, namespace, uid and labels are kept: annotations can hold values too (a Secret applied with
// client-side `kubectl apply` carries its data in kubectl.kubernetes.io/last-applied-configuration).
import { getObject, getString, isObject } from '../core/objects.ts';
import type { JsonObject } from '../core/types.ts';
import type { Reference } from '../graph/references.ts';
import type { ListedKind, LiveObject } from '../plan/types.ts';
import { type ClusterClient, statusMessage } from './client.ts';
import { collectionPath, type Discovery, forEachLimit, gkKey } from './discovery.ts';

/** Metadata only: the server answers a LIST with PartialObjectMetadata items (name, namespace, labels, annotations …). */
export const METADATA_LIST_ACCEPT = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

export interface ReferenceContext {
  /** One per object: apiVersion, kind and metadata {name, namespace, uid, labels}; nothing else. */
  objects: LiveObject[];
  /** The kinds and namespaces listed here. */
  listed: ListedKind[];
  notes: string[];
  /** LIST requests made. */
  lists: number;
}

/**
 * The kinds and namespaces the references name that `listed` (the plan's own LISTs) lacks. Selectors need pods, which
 * the plan lists in every namespace of the repo; they are listed here only if that was not so.
 */
export function contextLists(references: readonly Reference[], listed: readonly ListedKind[]): ListedKind[] {
  const have = new Set(listed.map((l) => `${l.gk}/${l.namespace ?? ''}`));
  const want = new Map<string, ListedKind>();
  for (const r of references) {
    const gk = r.target.type === 'pods' ? 'Pod' : gkKey(r.target.group, r.target.kind);
    const key = `${gk}/${r.target.namespace}`;
    if (!have.has(key)) want.set(key, { gk, namespace: r.target.namespace });
  }
  return [...want.values()];
}

export async function fetchReferenceContext(client: ClusterClient, discovery: Discovery, lists: readonly ListedKind[], concurrency = 8): Promise<ReferenceContext> {
  const out: ReferenceContext = { objects: [], listed: [], notes: [], lists: 0 };
  await forEachLimit([...lists], concurrency, async ({ gk, namespace }) => {
    const r = discovery.byGroupKind.get(gk);
    if (!r || !r.verbs.includes('list')) return;
    const apiVersion = r.group === '' ? r.version : `${r.group}/${r.version}`;
    const items: LiveObject[] = [];
    let cont: string | undefined;
    do {
      const q = new URLSearchParams({ limit: '500' });
      if (cont) q.set('continue', cont);
      const res = await client.request<{ items?: JsonObject[]; metadata?: { continue?: string } }>('GET', `${collectionPath(r, namespace)}?${q.toString()}`, { accept: METADATA_LIST_ACCEPT });
      out.lists++;
      if (res.status === 404 && namespace !== undefined) break; // the namespace does not exist: nothing is in it
      if (res.status !== 200) {
        out.notes.push(`references: could not list ${r.resource}${namespace ? ` in ${namespace}` : ''} (${res.status} ${statusMessage(res)}): references to them stay unchecked`);
        return;
      }
      for (const item of res.body?.items ?? []) {
        const meta = getObject(item, 'metadata');
        const name = getString(meta, 'name');
        if (name === undefined) continue;
        const ns = getString(meta, 'namespace');
        const uid = getString(meta, 'uid');
        const labels = isObject(meta?.labels) ? meta.labels : undefined;
        items.push({ object: { apiVersion, kind: r.kind, metadata: { name, ...(ns ? { namespace: ns } : {}), ...(uid ? { uid } : {}), ...(labels ? { labels } : {}) } }, source: 'cluster' });
      }
      cont = res.body?.metadata?.continue || undefined;
    } while (cont);
    out.objects.push(...items);
    out.listed.push({ gk, ...(namespace !== undefined ? { namespace } : {}) });
  });
  return out;
}
