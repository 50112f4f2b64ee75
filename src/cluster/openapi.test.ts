// kindInfo from the OpenAPI v3 documents an API server serves (a v1.35 copy in ../shared).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listKeysFor } from '../plan/compute.ts';
import { KIND_INFOS, kindInfoFromOpenApi, kindInfosOf, OpenApiCache, type OpenApiDocument } from './openapi.ts';

const shared = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/openapi-v3/kubernetes-v1.35');
const have = existsSync(shared);
if (!have) console.warn(`SKIPPED: ${shared} is absent (shared/ not beside the clone)`);
const doc = (p: string): OpenApiDocument => JSON.parse(readFileSync(path.join(shared, p), 'utf8')) as OpenApiDocument;

describe.skipIf(!have)('kindInfoFromOpenApi', () => {
  it('Deployment: list-map keys and Quantity paths of the embedded PodSpec', () => {
    const info = kindInfoFromOpenApi(doc('apis/apps/v1.json'), 'apps', 'v1', 'Deployment', true)!;
    expect(info.listMapKeys['spec.template.spec.containers']).toEqual(['name']);
    expect(info.listMapKeys['spec.template.spec.containers.ports']).toEqual(['containerPort', 'protocol']);
    expect(info.quantityPaths).toContain('spec.template.spec.containers.resources.limits.*');
  });

  it('Service ports are keyed by port+protocol (T7), and the schema keys agree with the built-in fallback table', () => {
    const info = kindInfoFromOpenApi(doc('api/v1.json'), '', 'v1', 'Service', true)!;
    expect(info.listMapKeys['spec.ports']).toEqual(['port', 'protocol']);
    const dep = kindInfoFromOpenApi(doc('apis/apps/v1.json'), 'apps', 'v1', 'Deployment', true)!;
    const fallback = listKeysFor('apps/Deployment', undefined);
    for (const p of ['spec.template.spec.containers', 'spec.template.spec.containers.env', 'spec.template.spec.volumes', 'spec.template.spec.containers.volumeMounts']) {
      expect(fallback(p), p).toEqual(dep.listMapKeys[p]);
    }
  });

  it('unknown kinds give undefined', () => {
    expect(kindInfoFromOpenApi(doc('apis/apps/v1.json'), 'apps', 'v1', 'Nope', true)).toBeUndefined();
  });
});

describe.skipIf(!have)('kindInfosOf and its cache', () => {
  it('every kind of the group-version, each what kindInfoFromOpenApi gives', () => {
    const apps = doc('apis/apps/v1.json');
    const infos = kindInfosOf(apps, 'apps', 'v1');
    expect(Object.keys(infos)).toEqual(['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet']);
    for (const [kind, info] of Object.entries(infos)) expect(info).toEqual(kindInfoFromOpenApi(apps, 'apps', 'v1', kind, false));
  });

  it('derived once per run and kept on disk: a second run reads the small file, not the document', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kubeplan-kindinfo-'));
    try {
      const served: string[] = [];
      const client = {
        server: 'https://cluster.example',
        request: async <T>(_method: string, p: string) => {
          served.push(p);
          const body = p === '/openapi/v3' ? { paths: { 'api/v1': { serverRelativeURL: '/openapi/v3/api/v1?hash=H1' } } } : doc('api/v1.json');
          return { status: 200, body: body as T, text: JSON.stringify(body) };
        },
      };
      const first = new OpenApiCache(client, dir);
      const [a, b] = await Promise.all([first.derived('v1', KIND_INFOS, (d) => kindInfosOf(d, '', 'v1')), first.derived('v1', KIND_INFOS, (d) => kindInfosOf(d, '', 'v1'))]);
      expect(a?.Service?.listMapKeys['spec.ports']).toEqual(['port', 'protocol']);
      expect(b).toBe(a);
      expect(served).toEqual(['/openapi/v3', '/openapi/v3/api/v1?hash=H1']);
      const second = new OpenApiCache(client, dir);
      expect(await second.derived('v1', KIND_INFOS, () => { throw new Error('derived again'); })).toEqual(a);
      expect(second.fromCache).toBe(1);
      expect(served).toEqual(['/openapi/v3', '/openapi/v3/api/v1?hash=H1', '/openapi/v3']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

