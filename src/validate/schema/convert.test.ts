import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseText } from '../../manifests/parse.ts';
import { convertOpenApiV3, convertSwaggerV2, listMapKeysOf, normalizeSchema } from './convert.ts';
import { decorate } from './decorate.ts';
import { createSchemaValidator, defaultKubernetesVersion, schemaSourceFromOpenApiV3, supportedKubernetesVersions } from './index.ts';
import { apiVersionMaturity, buildLifecycle, deprecationFromDescription, lifecycleOf } from './lifecycle.ts';
import { lifecycleTable } from './source.ts';
import { canonical } from './store.ts';
import type { SchemaBundle } from './types.ts';

const SHARED = join(import.meta.dirname, '..', '..', '..', '..', 'shared');
const V3_DIR = join(SHARED, 'openapi-v3', 'kubernetes-v1.35');
const hasShared = existsSync(join(SHARED, 'openapi')) && existsSync(V3_DIR);
if (!hasShared) console.warn(`schema converter tests against the real specs skipped: ${SHARED} is absent`);

function readV3(): Record<string, unknown> {
  const docs: Record<string, unknown> = {};
  const walk = (d: string): void => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else docs[relative(V3_DIR, p).split('\\').join('/').replace(/\.json$/, '')] = JSON.parse(readFileSync(p, 'utf8')) as unknown;
    }
  };
  walk(V3_DIR);
  return docs;
}

describe('normalizeSchema', () => {
  it('rewrites int-or-string (v2 format and v3 oneOf) and quantity-style unions as type unions', () => {
    expect(normalizeSchema({ type: 'string', format: 'int-or-string', description: 'x' })).toEqual({ type: ['integer', 'string'], 'x-kubernetes-int-or-string': true });
    expect(normalizeSchema({ oneOf: [{ type: 'integer' }, { type: 'string' }], format: 'int-or-string' })).toEqual({ type: ['integer', 'string'], 'x-kubernetes-int-or-string': true });
    expect(normalizeSchema({ oneOf: [{ type: 'string' }, { type: 'number' }] })).toEqual({ type: ['string', 'number'] });
  });

  it('unwraps v3 allOf-ref wrappers, drops descriptions, defaults and unknown formats, converts boolean exclusiveMinimum', () => {
    expect(normalizeSchema({ allOf: [{ $ref: '#/components/schemas/X' }], default: {}, description: 'd' })).toEqual({ $ref: '#/definitions/X' });
    expect(normalizeSchema({ type: 'string', format: 'made-up', default: 'a' })).toEqual({ type: 'string' });
    expect(normalizeSchema({ type: 'integer', minimum: 0, exclusiveMinimum: true })).toEqual({ type: 'integer', exclusiveMinimum: 0 });
  });
});

describe('decorate', () => {
  it('adds null outside the union (no oneOf+nullable trap) and closes objects', () => {
    const s = decorate({ type: 'object', required: ['port'], properties: { port: { type: 'integer' }, targetPort: { type: ['integer', 'string'] }, ref: { $ref: '#/definitions/X' } } }, 'native', false, () => ({ type: 'object' }));
    expect(s).toEqual({
      type: 'object',
      required: ['port'],
      properties: { port: { type: 'integer' }, targetPort: { type: ['integer', 'string', 'null'] }, ref: { $ref: '#/definitions/X' } },
      additionalProperties: false,
    });
  });

  it('keeps preserve-unknown-fields objects open even with properties; closes property-less CRD objects (pruning)', () => {
    expect(decorate({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { a: { type: 'string' } } }, 'crd').additionalProperties).toBeUndefined();
    expect(decorate({ type: 'object' }, 'crd').additionalProperties).toBe(false);
    expect(decorate({ type: 'object' }, 'native').additionalProperties).toBeUndefined();
  });
});

describe('kinds, scope and list-map keys', () => {
  const v = createSchemaValidator({ cacheDir: false });

  it('knows namespaced and cluster-scoped kinds from the REST paths', () => {
    expect(v.kindInfo('apps/v1', 'Deployment')?.namespaced).toBe(true);
    expect(v.kindInfo('v1', 'Namespace')?.namespaced).toBe(false);
    expect(v.kindInfo('rbac.authorization.k8s.io/v1', 'ClusterRole')?.namespaced).toBe(false);
    expect(v.kindInfo('v1', 'PersistentVolume')?.namespaced).toBe(false);
    expect(v.kindInfo('v1', 'Pod')?.namespaced).toBe(true);
    expect(v.kindInfo('apps/v1', 'Nope')).toBeUndefined();
  });

  it('lists keyed lists by path, list-map keys first and patch merge keys otherwise', () => {
    const keys = v.kindInfo('apps/v1', 'StatefulSet')?.listMapKeys ?? {};
    expect(keys['spec.template.spec.containers']).toEqual(['name']);
    expect(keys['spec.template.spec.containers[].ports']).toEqual(['containerPort', 'protocol']);
    expect(keys['spec.template.spec.containers[].env']).toEqual(['name']);
    expect(keys['spec.template.spec.volumes']).toEqual(['name']);
    expect(keys['metadata.ownerReferences']).toEqual(['uid']);
    expect(v.kindInfo('v1', 'Service')?.listMapKeys['spec.ports']).toEqual(['port', 'protocol']);
  });

  it('gives CRD kinds their scope from the CRD and their keyed lists from its schema', () => {
    const crd = parseText(
      'crd.yaml',
      `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  names: {kind: Gadget, plural: gadgets}
  scope: Cluster
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                parts:
                  type: array
                  x-kubernetes-list-type: map
                  x-kubernetes-list-map-keys: [id]
                  items: {type: object, properties: {id: {type: string}}}
`,
    ).manifests;
    const w = createSchemaValidator({ cacheDir: false });
    expect(w.registerCrds(crd)).toEqual([]);
    expect(w.kindInfo('example.com/v1', 'Gadget')).toEqual({ group: 'example.com', version: 'v1', kind: 'Gadget', namespaced: false, listMapKeys: { 'metadata.ownerReferences': ['uid'], 'spec.parts': ['id'] } });
  });

  it('follows recursion (JSONSchemaProps) without looping', () => {
    const keys = v.kindInfo('apiextensions.k8s.io/v1', 'CustomResourceDefinition')?.listMapKeys ?? {};
    expect(keys['spec.versions[].schema.openAPIV3Schema.x-kubernetes-validations']).toEqual(['rule']);
    expect(listMapKeysOf({ A: { type: 'object', properties: { a: { $ref: '#/definitions/A' } } } }, 'A')).toEqual({});
  });
});

describe('a live cluster source', () => {
  it('picks up custom resources from the CRD group-versions a cluster serves in /openapi/v3', () => {
    const gvk = { group: 'example.com', version: 'v1', kind: 'Widget' };
    const doc = {
      openapi: '3.0.0',
      paths: {
        '/apis/example.com/v1/namespaces/{namespace}/widgets': { post: { 'x-kubernetes-group-version-kind': gvk } },
        '/apis/example.com/v1/namespaces/{namespace}/widgets/{name}': { get: { 'x-kubernetes-group-version-kind': gvk } },
        '/apis/example.com/v1/namespaces/{namespace}/widgets/{name}/status': { get: { 'x-kubernetes-group-version-kind': gvk } },
      },
      components: {
        schemas: {
          'com.example.v1.Widget': {
            type: 'object',
            'x-kubernetes-group-version-kind': [gvk],
            properties: {
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }] },
              spec: { type: 'object', required: ['size'], properties: { size: { type: 'integer' }, port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] } } },
            },
          },
          'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': { type: 'object', properties: { name: { type: 'string' }, labels: { type: 'object', additionalProperties: { type: 'string' } } } },
        },
      },
    };
    const v = createSchemaValidator({ source: schemaSourceFromOpenApiV3({ 'apis/example.com/v1': doc }, { kubernetesVersion: '1.36', label: 'cluster prod' }), cacheDir: false });
    expect(v.kindInfo('example.com/v1', 'Widget')).toEqual({ group: 'example.com', version: 'v1', kind: 'Widget', namespaced: true, listMapKeys: {} });
    const ms = parseText(
      'w.yaml',
      'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, lables: {}}\nspec: {port: http}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n---\napiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: p}\n',
    ).manifests;
    expect(ms.flatMap((m) => v.validate(m)).map((f) => `${f.rule}: ${f.message}`)).toEqual([
      'unknown-field: metadata.lables: unknown field "lables"; did you mean "labels"?',
      'schema: spec: missing required field "size"',
      'missing-schema: no schema for apps/v1 Deployment: not served by cluster prod and no CRD for it was loaded; pass --crd or --ignore-missing-schemas',
      'removed-api: policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25; use policy/v1',
    ]);
  });
});

describe('versions and the lifecycle table', () => {
  it('supports 1.29 to 1.36 and defaults to the newest', () => {
    expect(supportedKubernetesVersions).toEqual(['1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35', '1.36']);
    expect(defaultKubernetesVersion).toBe('1.36');
    expect(createSchemaValidator({ kubernetesVersion: 'v1.31.4', cacheDir: false }).kubernetesVersion).toBe('1.31');
    expect(() => createSchemaValidator({ kubernetesVersion: '1.20' })).toThrow(/unsupported Kubernetes version "1.20": kubeplan has schemas for 1.29, 1.30/);
  });

  it('orders API versions by maturity', () => {
    expect(['v1beta1', 'v1', 'v1alpha2', 'v2', 'v1beta2'].sort((a, b) => apiVersionMaturity(b) - apiVersionMaturity(a))).toEqual(['v2', 'v1', 'v1beta2', 'v1beta1', 'v1alpha2']);
  });

  it('reads deprecation notes from spec descriptions', () => {
    expect(deprecationFromDescription('Endpoints is a collection…\n\nDeprecated: This API is deprecated in v1.33+. Use discoveryv1.EndpointSlice.')).toBe('1.33');
    expect(deprecationFromDescription('Binding ties one object to another. Deprecated in 1.7, please use the bindings subresource')).toBe('1.7');
    expect(deprecationFromDescription('nothing here')).toBeUndefined();
  });

  it('derives removals from consecutive specs and replacements from the newest', () => {
    const kind = (group: string, version: string, k: string): SchemaBundle['kinds'][number] => ({ group, version, kind: k, namespaced: true, definition: `${group}.${version}.${k}`, listMapKeys: {} });
    const bundles = new Map<string, SchemaBundle>([
      ['1.29', { definitions: {}, kinds: [kind('x.io', 'v1beta1', 'Thing'), kind('x.io', 'v1', 'Thing')] }],
      ['1.30', { definitions: {}, kinds: [kind('x.io', 'v1', 'Thing')] }],
    ]);
    const table = buildLifecycle(bundles, new Map());
    const e = table.apis.find((a) => a.apiVersion === 'x.io/v1beta1');
    expect(e).toMatchObject({ kind: 'Thing', removedIn: '1.30', deprecatedIn: '1.29', replacement: 'x.io/v1', servedIn: ['1.29'] });
    expect(lifecycleOf(table, 'x.io/v1beta1', 'Thing', '1.30', false)?.status).toBe('removed');
    expect(lifecycleOf(table, 'x.io/v1beta1', 'Thing', '1.29', true)?.status).toBe('deprecated');
  });

  it('holds the deprecation guide facts', () => {
    const t = lifecycleTable();
    const get = (apiVersion: string, kind: string) => t.apis.find((a) => a.apiVersion === apiVersion && a.kind === kind);
    expect(get('extensions/v1beta1', 'Ingress')).toMatchObject({ removedIn: '1.22', replacement: 'networking.k8s.io/v1' });
    expect(get('batch/v1beta1', 'CronJob')).toMatchObject({ removedIn: '1.25', replacement: 'batch/v1' });
    expect(get('autoscaling/v2beta2', 'HorizontalPodAutoscaler')).toMatchObject({ removedIn: '1.26', replacement: 'autoscaling/v2' });
    expect(get('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema')).toMatchObject({ deprecatedIn: '1.29', removedIn: '1.32', servedIn: ['1.29', '1.30', '1.31'] });
    expect(get('apps/v1', 'Deployment')).toBeUndefined();
  });
});

describe.runIf(hasShared)('the real specs', () => {
  it('OpenAPI v3 documents of 1.35 convert to exactly what the swagger v2 spec of 1.35 converts to', () => {
    const v2 = convertSwaggerV2(JSON.parse(readFileSync(join(SHARED, 'openapi', 'kubernetes-v1.35.json'), 'utf8')));
    const v3 = convertOpenApiV3(readV3());
    expect(v3.kinds.length).toBe(90);
    expect(canonical(v3.kinds)).toBe(canonical(v2.kinds));
    for (const [name, def] of Object.entries(v3.definitions)) expect(canonical(def), name).toBe(canonical(v2.definitions[name]));
  });

  it('a live cluster source built from /openapi/v3 validates like the committed 1.35 schemas', () => {
    const live = createSchemaValidator({ source: schemaSourceFromOpenApiV3(readV3(), { kubernetesVersion: 'v1.35.2' }), cacheDir: false });
    const committed = createSchemaValidator({ kubernetesVersion: '1.35', cacheDir: false });
    expect(live.kubernetesVersion).toBe('1.35');
    const yaml = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: "2"
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx
          imagePullPolicy: Always
          ports: [{containerPort: 80, protcol: TCP}]
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
`;
    const ms = parseText('x.yaml', yaml).manifests;
    const strip = (fs: ReturnType<typeof live.validate>) => fs.map((f) => `${f.line} ${f.rule} ${f.message.replace(/Kubernetes 1\.35|the cluster's \/openapi\/v3/g, 'X').replace(/not a built-in kind of X|not served by X/, 'unknown')}`);
    const a = ms.flatMap((m) => strip(live.validate(m)));
    expect(a).toEqual(ms.flatMap((m) => strip(committed.validate(m))));
    expect(a).toHaveLength(3);
    expect(live.kindInfo('apps/v1', 'Deployment')).toEqual(committed.kindInfo('apps/v1', 'Deployment'));
  });
});
