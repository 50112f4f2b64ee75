// OpenAPI v3 from the cluster: /openapi/v3 lists one document per group-version with a hashed URL;
// documents are cached on disk under ~/.cache/kubeplan/openapi/ by that URL's hash (the hash changes
// when the schema does, so a cached file never goes stale). kindInfoFromOpenApi() turns a document
// into the planner's KindInfo: list-map keys, set lists and Quantity paths, also for custom resources.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { KindInfo } from '../plan/types.ts';
import { kubeplanCacheDir } from '../core/cache-dir.ts';
import type { ClusterClient } from './client.ts';

/** <kubeplan cache>/openapi, or false when caches are off (KUBEPLAN_CACHE_DIR=off): documents are then fetched per run. */
export function defaultCacheDir(): string | false {
  const base = kubeplanCacheDir();
  return base === false ? false : path.join(base, 'openapi');
}

type Schema = Record<string, unknown>;
export interface OpenApiDocument {
  components?: { schemas?: Record<string, Schema> };
}

/** What the cache needs of a client (tests give a fake one). */
export type OpenApiClient = Pick<ClusterClient, 'server' | 'request'>;

export class OpenApiCache {
  private readonly client: OpenApiClient;
  private readonly dir: string | false;
  private index: Promise<OpenApiIndex> | undefined;
  private readonly memo = new Map<string, Promise<OpenApiDocument | null>>();
  private readonly derivedMemo = new Map<string, Promise<unknown>>();
  /** Requests made (tests and --verbose): a warm cache makes only the index request. */
  fetched = 0;
  /** Documents read from the disk cache instead of the server. */
  fromCache = 0;
  constructor(client: OpenApiClient, dir: string | false = defaultCacheDir()) {
    this.client = client;
    this.dir = dir;
  }

  /**
   * The /openapi/v3 index, requested once (concurrent callers share the request): status 200 with its paths, or the
   * status of a server that has none (404 before Kubernetes 1.24 or with the OpenAPIV3 feature off) and no paths.
   */
  discovery(): Promise<OpenApiIndex> {
    this.index ??= this.client.request<{ paths?: Record<string, { serverRelativeURL: string }> }>('GET', '/openapi/v3').then((r) => {
      this.fetched++;
      return { status: r.status, paths: r.status === 200 && r.body?.paths ? r.body.paths : {} };
    });
    return this.index;
  }

  /** The document of "apps/v1" or "v1" (core), or null when the server has none. Each is read or fetched once per cache. */
  document(groupVersion: string): Promise<OpenApiDocument | null> {
    const key = groupVersion.includes('/') ? `apis/${groupVersion}` : `api/${groupVersion}`;
    let doc = this.memo.get(key);
    if (!doc) {
      doc = this.load(key);
      this.memo.set(key, doc);
    }
    return doc;
  }

  /**
   * Data derived from the document of a group-version (kubeplan's conversion of its schemas), cached beside it under
   * the same hashed URL and `name` (which must change with the code that derives it): each document is converted once,
   * and a warm cache reads only the (smaller) derived file. null when the server has no such document.
   */
  derived<T>(groupVersion: string, name: string, derive: (doc: OpenApiDocument) => T): Promise<T | null> {
    const key = groupVersion.includes('/') ? `apis/${groupVersion}` : `api/${groupVersion}`;
    // Once per run and name: several kinds of one group-version share the derived file.
    const memoKey = `${key}\u0000${name}`;
    let value = this.derivedMemo.get(memoKey) as Promise<T | null> | undefined;
    if (!value) {
      value = this.readOrDerive(key, groupVersion, name, derive);
      this.derivedMemo.set(memoKey, value);
    }
    return value;
  }

  private async readOrDerive<T>(key: string, groupVersion: string, name: string, derive: (doc: OpenApiDocument) => T): Promise<T | null> {
    const base = await this.fileBase(key);
    if (base === undefined) return null;
    const file = `${base}.${name}.json`;
    const cached = await this.read<T>(file);
    if (cached !== undefined) {
      this.fromCache++;
      return cached;
    }
    const doc = await this.document(groupVersion);
    if (doc === null) return null;
    const value = derive(doc);
    await this.write(file, JSON.stringify(value));
    return value;
  }

  /** The cache file of a group-version's document, without ".json"; undefined when the index does not list it. */
  private async fileBase(key: string): Promise<string | undefined> {
    const entry = (await this.discovery()).paths[key];
    return entry ? path.join(this.dir === false ? '' : this.dir, createHash('sha256').update(`${this.client.server}${entry.serverRelativeURL}`).digest('hex')) : undefined;
  }

  private async load(key: string): Promise<OpenApiDocument | null> {
    const base = await this.fileBase(key);
    if (base === undefined) return null;
    const file = `${base}.json`;
    const cached = await this.read<OpenApiDocument>(file);
    if (cached !== undefined) {
      this.fromCache++;
      return cached;
    }
    const url = (await this.discovery()).paths[key]?.serverRelativeURL ?? '';
    const r = await this.client.request<OpenApiDocument>('GET', url);
    this.fetched++;
    if (r.status !== 200 || !r.body) return null;
    await this.write(file, r.text);
    return r.body;
  }

  /** A cache file's JSON, or undefined: caches off, not cached yet, or a damaged file (then fetched or derived again). */
  private async read<T>(file: string): Promise<T | undefined> {
    if (this.dir === false) return undefined;
    try {
      return JSON.parse(await readFile(file, 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  private async write(file: string, text: string): Promise<void> {
    if (this.dir === false) return;
    try {
      await mkdir(this.dir, { recursive: true });
      const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      await writeFile(tmp, text);
      await rename(tmp, file);
    } catch {
      // A read-only or full cache directory only costs a request (or a conversion) next time.
    }
  }
}

/** GET /openapi/v3: the group-version documents the server has ("apis/apps/v1" → its hashed URL). */
export interface OpenApiIndex {
  status: number;
  paths: Record<string, { serverRelativeURL: string }>;
}

const QUANTITY_REF = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

function refName(s: Schema): string | undefined {
  const ref = s.$ref;
  if (typeof ref === 'string') return ref.slice(ref.lastIndexOf('/') + 1);
  const allOf = s.allOf;
  if (Array.isArray(allOf) && allOf.length === 1 && typeof (allOf[0] as Schema).$ref === 'string') return refName(allOf[0] as Schema);
  return undefined;
}

/** KindInfo for a group/version/kind from an OpenAPI v3 document, or undefined when it has no such kind. */
export function kindInfoFromOpenApi(doc: OpenApiDocument, group: string, version: string, kind: string, namespaced: boolean): KindInfo | undefined {
  const schemas = doc.components?.schemas ?? {};
  const root = Object.values(schemas).find((s) => {
    const gvks = s['x-kubernetes-group-version-kind'];
    return Array.isArray(gvks) && gvks.some((g: { group?: string; version?: string; kind?: string }) => (g.group ?? '') === group && g.version === version && g.kind === kind);
  });
  if (!root) return undefined;
  const info: KindInfo = { group, version, kind, namespaced, listMapKeys: {}, quantityPaths: [], setPaths: [] };
  const resolve = (s: Schema): { schema: Schema; name?: string } => {
    const name = refName(s);
    if (name) return { schema: schemas[name] ?? {}, name };
    return { schema: s };
  };
  const walk = (s: Schema, dotted: string, stack: string[], depth: number): void => {
    if (depth > 40) return;
    const { schema, name } = resolve(s);
    const crdQuantity = schema['x-kubernetes-int-or-string'] === true && typeof schema.pattern === 'string' && schema.pattern.includes('[KMGTPE]i');
    if (name === QUANTITY_REF || crdQuantity) {
      info.quantityPaths?.push(dotted);
      return;
    }
    if (name) {
      if (stack.includes(name)) return; // recursive types (JSONSchemaProps)
      stack = [...stack, name];
    }
    if (schema.type === 'array' || schema.items) {
      if (schema['x-kubernetes-list-type'] === 'map' && Array.isArray(schema['x-kubernetes-list-map-keys'])) info.listMapKeys[dotted] = schema['x-kubernetes-list-map-keys'] as string[];
      if (schema['x-kubernetes-list-type'] === 'set') info.setPaths?.push(dotted);
      if (schema.items) walk(schema.items as Schema, dotted, stack, depth + 1);
      return;
    }
    const props = schema.properties as Record<string, Schema> | undefined;
    if (props) for (const [k, v] of Object.entries(props)) walk(v, dotted === '' ? k : `${dotted}.${k}`, stack, depth + 1);
    const extra = schema.additionalProperties;
    if (extra && typeof extra === 'object') walk(extra as Schema, dotted === '' ? '*' : `${dotted}.*`, stack, depth + 1);
  };
  walk(root, '', [], 0);
  return info;
}

/** Every object kind of this group-version in its document, by kind (namespaced false: discovery says it). */
export function kindInfosOf(doc: OpenApiDocument, group: string, version: string): Record<string, KindInfo> {
  const kinds = new Set<string>();
  for (const s of Object.values(doc.components?.schemas ?? {})) {
    const gvks = s['x-kubernetes-group-version-kind'];
    if (!Array.isArray(gvks)) continue;
    for (const g of gvks as { group?: string; version?: string; kind?: string }[]) if ((g.group ?? '') === group && g.version === version && g.kind) kinds.add(g.kind);
  }
  // Not the meta kinds every group registers, nor the List of another kind: no object of theirs is ever planned.
  const objectKinds = [...kinds].filter((k) => k !== 'DeleteOptions' && k !== 'WatchEvent' && !(k.endsWith('List') && kinds.has(k.slice(0, -4))));
  const infos: Record<string, KindInfo> = {};
  for (const kind of objectKinds.sort()) {
    const info = kindInfoFromOpenApi(doc, group, version, kind, false);
    if (info) infos[kind] = info;
  }
  return infos;
}

/**
 * Name of a document's cached kind infos (OpenApiCache.derived): changes with the code that derives them. A plan then
 * reads a few kilobytes instead of parsing the documents (1.5 MB for the core group) on every run.
 */
export const KIND_INFOS = `kubeplan-kindinfo-${createHash('sha256')
  .update([QUANTITY_REF, refName, kindInfoFromOpenApi, kindInfosOf].map(String).join('\n'))
  .digest('hex')
  .slice(0, 16)}`;
