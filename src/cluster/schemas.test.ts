// The cluster's schemas for validation, against a fake API server (requests counted): only the group-versions the repo
// uses are fetched, each once, concurrently behind one index request; a second run reads the converted documents from
// the disk cache (only the index and /version are requested); a server without /openapi/v3 gives no source.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseText } from '../manifests/parse.ts';
import { createSchemaValidator } from '../validate/schema/index.ts';
import type { ApiResponse } from './client.ts';
import { kubeplanCacheDir } from '../core/cache-dir.ts';
import { OpenApiCache, type OpenApiClient } from './openapi.ts';
import { ClusterSchemas, openApiPath, schemasNote } from './schemas.ts';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

function document(group: string, version: string, kind: string, plural: string): unknown {
  const gvk = { group, version, kind };
  const base = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
  return {
    paths: { [`${base}/namespaces/{namespace}/${plural}/{name}`]: { get: { 'x-kubernetes-group-version-kind': gvk } } },
    components: {
      schemas: {
        [`test.${group || 'core'}.${version}.${kind}`]: {
          type: 'object',
          'x-kubernetes-group-version-kind': [gvk],
          properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { allOf: [{ $ref: `#/components/schemas/${META}` }] }, spec: { type: 'object', properties: { size: { type: 'integer' } } } },
        },
        [META]: { type: 'object', properties: { name: { type: 'string' }, namespace: { type: 'string' } } },
      },
    },
  };
}

/** A fake API server: /version, the /openapi/v3 index and one document per group-version; every request logged. */
class FakeServer implements OpenApiClient {
  readonly server = 'https://fake.test:6443';
  readonly log: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly docs: Record<string, unknown>;
  private readonly options: { openapi?: boolean; version?: string };
  constructor(docs: Record<string, unknown>, options: { openapi?: boolean; version?: string } = {}) {
    this.docs = docs;
    this.options = options;
  }
  async request<T = unknown>(method: string, url: string): Promise<ApiResponse<T>> {
    this.log.push(`${method} ${url}`);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((r) => setTimeout(r, 5));
    this.inFlight--;
    const reply = (status: number, body: unknown): ApiResponse<T> => ({ status, body: body as T, text: JSON.stringify(body) });
    if (url === '/version') return reply(200, { gitVersion: this.options.version ?? 'v1.35.8' });
    if (this.options.openapi === false) return reply(404, { kind: 'Status', message: 'the server could not find the requested resource' });
    if (url === '/openapi/v3') return reply(200, { paths: Object.fromEntries(Object.keys(this.docs).map((p) => [p, { serverRelativeURL: `/openapi/v3/${p}?hash=${p.length}ABC` }])) });
    const p = url.replace(/^\/openapi\/v3\//, '').replace(/\?.*$/, '');
    return p in this.docs ? reply(200, this.docs[p]) : reply(404, {});
  }
}

const docs = {
  'api/v1': document('', 'v1', 'Thing', 'things'),
  'apis/apps/v1': document('apps', 'v1', 'Set', 'sets'),
  'apis/example.com/v1': document('example.com', 'v1', 'Widget', 'widgets'),
  'apis/example.com/v2': document('example.com', 'v2', 'Widget', 'widgets'),
  'apis/other.io/v1': document('other.io', 'v1', 'Gadget', 'gadgets'),
};

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function cacheDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'kubeplan-schemas-test-'));
  dirs.push(d);
  return d;
}

describe('ClusterSchemas', () => {
  it('fetches only the group-versions the repo uses, concurrently, behind one index request; a warm cache fetches none', async () => {
    const dir = cacheDir();
    const server = new FakeServer(docs);
    const schemas = await ClusterSchemas.open(server, new OpenApiCache(server, dir));
    expect(schemas.gitVersion).toBe('v1.35.8');
    expect(schemas.bundledVersion).toBe('1.35');
    const { source, usage } = await schemas.source(['example.com/v1', 'v1', 'apps/v1', 'nope.io/v1', 'v1', 'a/b/c']);
    expect(usage).toEqual({ basis: 'cluster', gitVersion: 'v1.35.8', bundledVersion: '1.35', groupVersions: ['apps/v1', 'example.com/v1', 'v1'], notServed: ['a/b/c', 'nope.io/v1'], fetched: 3, fromCache: 0 });
    expect(server.log.filter((l) => l === 'GET /openapi/v3')).toHaveLength(1);
    expect(server.log.filter((l) => l.startsWith('GET /openapi/v3/')).sort()).toEqual(['GET /openapi/v3/api/v1?hash=6ABC', 'GET /openapi/v3/apis/apps/v1?hash=12ABC', 'GET /openapi/v3/apis/example.com/v1?hash=19ABC']);
    expect(server.maxInFlight).toBeGreaterThan(1);
    expect(source?.kubernetesVersion).toBe('1.35');
    expect(source?.bundle.kinds.map((k) => `${k.group}/${k.version} ${k.kind}`)).toEqual(['/v1 Thing', 'apps/v1 Set', 'example.com/v1 Widget']);
    // Each document and its conversion, cached under the document's hashed URL.
    expect(readdirSync(path.join(dir)).filter((f) => f.endsWith('.json'))).toHaveLength(6);

    // A second run: only /version and the index are requested; the conversions are read from disk.
    const again = new FakeServer(docs);
    const warm = await (await ClusterSchemas.open(again, new OpenApiCache(again, dir))).source(['v1', 'apps/v1', 'example.com/v1']);
    expect(again.log.sort()).toEqual(['GET /openapi/v3', 'GET /version']);
    expect(warm.usage).toMatchObject({ groupVersions: ['apps/v1', 'example.com/v1', 'v1'], fetched: 0, fromCache: 3 });
    expect(warm.source?.bundle).toEqual(source?.bundle);
    expect(warm.source?.id).toBe(source?.id);
    expect(schemasNote(warm.usage)).toBe("validated against the cluster's schemas (Kubernetes v1.35.8, 3 group-versions from /openapi/v3, 0 fetched, 3 from cache)");
    expect(schemasNote(usage)).toBe(
      "validated against the cluster's schemas (Kubernetes v1.35.8, 3 group-versions from /openapi/v3, 3 fetched, 0 from cache); a/b/c, nope.io/v1 not served by the cluster: against the repo's CRDs and kubeplan's bundled Kubernetes 1.35 schemas",
    );
  });

  it('with caches off (KUBEPLAN_CACHE_DIR=off: no cache dir) every run fetches, and nothing is written', async () => {
    const jsonHere = (): string[] => readdirSync(process.cwd()).filter((f) => f.endsWith('.json'));
    const before = jsonHere();
    for (let run = 0; run < 2; run++) {
      const server = new FakeServer(docs);
      const { usage } = await (await ClusterSchemas.open(server, new OpenApiCache(server, false))).source(['v1']);
      expect(usage).toMatchObject({ fetched: 1, fromCache: 0 });
    }
    expect(jsonHere()).toEqual(before);
    expect(kubeplanCacheDir({ KUBEPLAN_CACHE_DIR: 'off' })).toBe(false);
    expect(kubeplanCacheDir({ KUBEPLAN_CACHE_DIR: '/tmp/k' })).toBe('/tmp/k');
    expect(kubeplanCacheDir({ XDG_CACHE_HOME: '/x' })).toBe(path.join('/x', 'kubeplan'));
  });

  it('the source validates custom resources whose CRD is only in the cluster', async () => {
    const server = new FakeServer(docs);
    const { source } = await (await ClusterSchemas.open(server, new OpenApiCache(server, cacheDir()))).source(['example.com/v1']);
    const v = createSchemaValidator({ source: source!, fallbackKubernetesVersion: '1.35', cacheDir: false });
    const [ok, bad] = parseText('w.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a}\nspec: {size: 1}\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: b}\nspec: {size: one}\n').manifests;
    expect(v.validate(ok!)).toEqual([]);
    expect(v.validate(bad!).map((f) => `${f.line}:${f.column} ${f.rule} ${f.message}`)).toEqual(['9:14 schema spec.size: expected integer, got string "one"']);
  });

  it('a cluster without /openapi/v3: no source, the bundled schemas of its version, and a note that says so', async () => {
    const server = new FakeServer(docs, { openapi: false, version: 'v1.31.4' });
    const schemas = await ClusterSchemas.open(server, new OpenApiCache(server, cacheDir()));
    const r = await schemas.source(['v1', 'apps/v1']);
    expect(r.source).toBeUndefined();
    expect(r.usage).toEqual({ basis: 'no-openapi', gitVersion: 'v1.31.4', bundledVersion: '1.31', status: 404 });
    expect(server.log.sort()).toEqual(['GET /openapi/v3', 'GET /version']);
    expect(schemasNote(r.usage)).toBe("validated against kubeplan's bundled Kubernetes 1.31 schemas: the cluster (Kubernetes v1.31.4) serves no /openapi/v3 (HTTP 404)");
    expect(schemasNote({ basis: 'flag', bundledVersion: '1.33' })).toBe("validated against kubeplan's bundled Kubernetes 1.33 schemas (--kubernetes-version given), not the cluster's");
  });

  it('an unreachable cluster rejects (the CLI turns it into its one-line error)', async () => {
    const down: OpenApiClient = { server: 'https://down.test', request: () => Promise.reject(new Error('connect ECONNREFUSED')) };
    await expect(ClusterSchemas.open(down, new OpenApiCache(down, cacheDir()))).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('openApiPath', () => {
  it('maps apiVersions to /openapi/v3 index keys', () => {
    expect(openApiPath('v1')).toBe('api/v1');
    expect(openApiPath('apps/v1')).toBe('apis/apps/v1');
    expect(openApiPath('monitoring.coreos.com/v1')).toBe('apis/monitoring.coreos.com/v1');
    for (const bad of ['', 'a/b/c', '/v1', 'apps/', '../v1/x', 'ap ps/v1']) expect(openApiPath(bad), bad).toBeUndefined();
  });
});
