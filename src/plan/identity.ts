// Object identity for pairing desired and live: group, kind, namespace (defaulted), name. The
// version is not part of it: apps/v1beta2 and apps/v1 Deployment "web" are one object (T21).
import { getObject, getString, groupOf, isObject } from '../core/objects.ts';
import type { JsonObject, JsonValue } from '../core/types.ts';
import { isBuiltinGroup, isClusterScopedKind } from '../k8s/kinds.ts';
import { groupKind } from './kinds.ts';
import type { KindInfoFn } from './types.ts';

export interface Identity {
  apiVersion: string;
  group: string;
  kind: string;
  /** "apps/Deployment", "Service". */
  gk: string;
  namespace?: string;
  name: string;
  key: string;
}

export function objectKey(group: string, kind: string, namespace: string | undefined, name: string): string {
  return `${group}/${kind}/${namespace ?? ''}/${name}`;
}

/** Scope lookup: kindInfo first, then CRDs seen (desired or live), then the built-in table. undefined = unknown. */
export class ScopeResolver {
  private readonly crdScopes = new Map<string, boolean>();
  private readonly kindInfo: KindInfoFn | undefined;
  constructor(kindInfo: KindInfoFn | undefined, objects: JsonObject[]) {
    this.kindInfo = kindInfo;
    for (const o of objects) {
      if (o.kind !== 'CustomResourceDefinition') continue;
      const spec = getObject(o, 'spec');
      const group = getString(spec, 'group');
      const kind = getString(getObject(spec, 'names'), 'kind');
      const scope = getString(spec, 'scope');
      if (group !== undefined && kind !== undefined) this.crdScopes.set(groupKind(group, kind), scope !== 'Cluster');
    }
  }
  namespaced(apiVersion: string, kind: string): boolean | undefined {
    const info = safeKindInfo(this.kindInfo, apiVersion, kind);
    if (info) return info.namespaced;
    const group = groupOf(apiVersion);
    const crd = this.crdScopes.get(groupKind(group, kind));
    if (crd !== undefined) return crd;
    if (isClusterScopedKind(group, kind)) return false;
    if (isBuiltinGroup(group)) return true;
    return undefined;
  }
}

export function safeKindInfo(fn: KindInfoFn | undefined, apiVersion: string, kind: string) {
  if (!fn) return undefined;
  try {
    return fn(apiVersion, kind);
  } catch {
    return undefined;
  }
}

/**
 * Identity of a desired object: a namespaced (or unknown-scope) object without a namespace gets the
 * default namespace (T40); a cluster-scoped one has none even if the file names one.
 */
export function desiredIdentity(o: JsonObject, scopes: ScopeResolver, defaultNamespace: string): Identity | null {
  const apiVersion = getString(o, 'apiVersion');
  const kind = getString(o, 'kind');
  const name = getString(getObject(o, 'metadata'), 'name');
  if (apiVersion === undefined || kind === undefined || name === undefined || name === '') return null;
  const group = groupOf(apiVersion);
  const namespaced = scopes.namespaced(apiVersion, kind);
  const ns = getString(getObject(o, 'metadata'), 'namespace');
  const namespace = namespaced === false ? undefined : ns !== undefined && ns !== '' ? ns : defaultNamespace;
  return { apiVersion, group, kind, gk: groupKind(group, kind), namespace, name, key: objectKey(group, kind, namespace, name) };
}

/** Identity of a live object: its namespace is what the server says. */
export function liveIdentity(o: JsonObject): Identity | null {
  const apiVersion = getString(o, 'apiVersion');
  const kind = getString(o, 'kind');
  const meta = getObject(o, 'metadata');
  const name = getString(meta, 'name');
  if (apiVersion === undefined || kind === undefined || name === undefined) return null;
  const group = groupOf(apiVersion);
  const ns = getString(meta, 'namespace');
  const namespace = ns === undefined || ns === '' ? undefined : ns;
  return { apiVersion, group, kind, gk: groupKind(group, kind), namespace, name, key: objectKey(group, kind, namespace, name) };
}

/** A label or annotation map: string entries only (what the API server stores; anything else is not one). */
export function labelsOf(v: JsonValue | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObject(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

export function labelsOfObject(o: JsonObject): Record<string, string> {
  return labelsOf(getObject(getObject(o, 'metadata'), 'labels'));
}

export function annotationsOfObject(o: JsonObject): Record<string, string> {
  return labelsOf(getObject(getObject(o, 'metadata'), 'annotations'));
}
