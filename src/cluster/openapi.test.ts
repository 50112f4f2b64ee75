// kindInfo from the OpenAPI v3 documents an API server serves (a v1.35 copy in ../shared).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listKeysFor } from '../plan/compute.ts';
import { kindInfoFromOpenApi, type OpenApiDocument } from './openapi.ts';

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
