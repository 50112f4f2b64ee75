// OpenAPI v3 from the cluster: /openapi/v3 lists one document per group-version with a hashed URL;
// documents are cached on disk under ~/.cache/kubeplan/openapi/ by that URL's hash (the hash changes
// when the schema does, so a cached file never goes stale). kindInfoFromOpenApi() turns a document
// into the planner's KindInfo: list-map keys, set lists and Quantity paths, also for custom resources.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { KindInfo } from '../plan/types.ts';
import type { ClusterClient } from './client.ts';

export function defaultCacheDir(): string {
  const base = process.env.KUBEPLAN_CACHE_DIR ?? (process.env.XDG_CACHE_HOME ? path.join(process.env.XDG_CACHE_HOME, 'kubeplan') : path.join(os.homedir(), '.cache', 'kubeplan'));
  return path.join(base, 'openapi');
}

type Schema = Record<string, unknown>;
export interface OpenApiDocument {
  components?: { schemas?: Record<string, Schema> };
}

export class OpenApiCache {
  private readonly client: ClusterClient;
  private readonly dir: string;
  private index: Record<string, { serverRelativeURL: string }> | undefined;
  private readonly memo = new Map<string, OpenApiDocument | null>();
  /** Requests made (tests and --verbose): a warm cache makes only the index request. */
  fetched = 0;
  constructor(client: ClusterClient, dir: string = defaultCacheDir()) {
    this.client = client;
    this.dir = dir;
  }

  /** The document of "apps/v1" or "v1" (core), or null when the server has none. */
  async document(groupVersion: string): Promise<OpenApiDocument | null> {
    const key = groupVersion.includes('/') ? `apis/${groupVersion}` : `api/${groupVersion}`;
    if (this.memo.has(key)) return this.memo.get(key) ?? null;
    if (!this.index) {
      const r = await this.client.request<{ paths: Record<string, { serverRelativeURL: string }> }>('GET', '/openapi/v3');
      this.fetched++;
      this.index = r.status === 200 && r.body ? r.body.paths : {};
    }
    const entry = this.index[key];
    if (!entry) {
      this.memo.set(key, null);
      return null;
    }
    const file = path.join(this.dir, `${createHash('sha256').update(`${this.client.server}${entry.serverRelativeURL}`).digest('hex')}.json`);
    let doc: OpenApiDocument | null = null;
    try {
      doc = JSON.parse(await readFile(file, 'utf8')) as OpenApiDocument;
    } catch {
      const r = await this.client.request<OpenApiDocument>('GET', entry.serverRelativeURL);
      this.fetched++;
      if (r.status === 200 && r.body) {
        doc = r.body;
        await mkdir(this.dir, { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        await writeFile(tmp, r.text);
        await rename(tmp, file);
      }
    }
    this.memo.set(key, doc);
    return doc;
  }
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
