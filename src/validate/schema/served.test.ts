// Schemas served by a cluster (`kubeplan plan` against a cluster), composed with the other sources: the cluster's
// /openapi/v3 first, then the repo's CRDs (which also take over the cluster's custom resources: the repo's CRD is what
// the cluster serves once applied), then the bundled schemas of the cluster's version. No cluster here: synthetic
// documents shaped like a server's, and the real 1.35 documents in ../shared when present.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding, Manifest } from '../../core/types.ts';
import { parseText } from '../../manifests/parse.ts';
import { convertOpenApiV3, mergeBundles } from './convert.ts';
import { bundledVersionFor, createSchemaValidator, defaultKubernetesVersion, schemaSourceFromOpenApiV3, supportedKubernetesVersions } from './index.ts';
import { schemaSourceFromBundle } from './source.ts';
import { canonical } from './store.ts';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const ref = (name: string) => ({ allOf: [{ $ref: `#/components/schemas/${name}` }] });
const objectMeta = { type: 'object', properties: { name: { type: 'string' }, namespace: { type: 'string' }, labels: { type: 'object', additionalProperties: { type: 'string' } } } };

/** An /openapi/v3/<group-version> document with one namespaced kind, as a server shapes it. */
function document(group: string, version: string, kind: string, plural: string, spec: Record<string, unknown>): unknown {
  const gv = group === '' ? version : `${group}/${version}`;
  const name = group === '' ? `io.k8s.api.core.${version}.${kind}` : `${group.split('.').reverse().join('.')}.${version}.${kind}`;
  const base = group === '' ? `/api/${version}` : `/apis/${gv}`;
  const gvk = { group, version, kind };
  return {
    openapi: '3.0.0',
    paths: { [`${base}/namespaces/{namespace}/${plural}/{name}`]: { get: { 'x-kubernetes-group-version-kind': gvk }, patch: { 'x-kubernetes-group-version-kind': gvk } } },
    components: {
      schemas: {
        [name]: {
          type: 'object',
          'x-kubernetes-group-version-kind': [gvk],
          properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: ref(META), spec: { type: 'object', properties: spec } },
        },
        [META]: objectMeta,
      },
    },
  };
}

/** A cluster serving apps/v1 Deployment with its own (here: newer, smaller) schema and the custom resource example.com/v1 Widget. */
const clusterDocs = {
  'apis/apps/v1': document('apps', 'v1', 'Deployment', 'deployments', { replicas: { type: 'integer' }, rolloutWave: { type: 'string' } }),
  'apis/example.com/v1': document('example.com', 'v1', 'Widget', 'widgets', { size: { type: 'integer' } }),
};

const crd = (group: string, kind: string, plural: string, spec: Record<string, unknown>): string => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: ${plural}.${group}}
spec:
  group: ${group}
  scope: Namespaced
  names: {plural: ${plural}, kind: ${kind}}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, properties: ${JSON.stringify(spec)}}
`;

function manifests(yaml: string): Manifest[] {
  const r = parseText('repo.yaml', yaml);
  expect(r.findings).toEqual([]);
  return r.manifests;
}

const summary = (fs: Finding[]): string[] => fs.map((f) => `${f.line} ${f.rule}: ${f.message}`);

function served(crds = '') {
  const v = createSchemaValidator({ source: schemaSourceFromOpenApiV3(clusterDocs, { kubernetesVersion: 'v1.35.8' }), fallbackKubernetesVersion: '1.35', cacheDir: false });
  expect(v.registerCrds(crds === '' ? [] : manifests(crds))).toEqual([]);
  return v;
}

describe('a cluster source with the bundled schemas as fallback', () => {
  it('kinds the cluster serves are checked against its schemas, built-in kinds too', () => {
    const v = served();
    expect(v.kubernetesVersion).toBe('1.35');
    const ms = manifests(`apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec: {replicas: 2, rolloutWave: blue}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: old}
spec: {replicas: two, paused: true}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec: {size: 3, colour: red}
`);
    // rolloutWave exists only in the cluster's Deployment schema, paused only in the bundled one: the cluster's wins.
    expect(ms.flatMap((m) => summary(v.validate(m)))).toEqual([
      '9 unknown-field: spec.paused: unknown field "paused"',
      '9 schema: spec.replicas: expected integer, got string "two"',
      '14 unknown-field: spec.colour: unknown field "colour"',
    ]);
    // The bundled 1.35 schemas disagree on both Deployments, and have no Widget at all.
    const bundled = createSchemaValidator({ kubernetesVersion: '1.35', cacheDir: false });
    expect(summary(bundled.validate(ms[0] as Manifest))).toContain('4 unknown-field: spec.rolloutWave: unknown field "rolloutWave"');
    expect(summary(bundled.validate(ms[2] as Manifest))[0]).toMatch(/^11 missing-schema: no schema for example.com\/v1 Widget: not a built-in kind of Kubernetes 1.35/);
  });

  it('kinds it does not serve fall back to the repo\'s CRDs, then the bundled schemas; the lifecycle table still applies', () => {
    const v = served(crd('gadgets.io', 'Gadget', 'gadgets', { size: { type: 'integer' } }));
    const ms = manifests(`apiVersion: gadgets.io/v1
kind: Gadget
metadata: {name: g}
spec: {size: big}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c}
data: {a: 1}
---
apiVersion: v1
kind: Endpoints
metadata: {name: e}
---
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata: {name: p}
---
apiVersion: example.com/v2
kind: Widget
metadata: {name: w2}
`);
    expect(ms.flatMap((m) => summary(v.validate(m)))).toEqual([
      '4 schema: spec.size: expected integer, got string "big"',
      '9 schema: data.a: expected string, got integer 1 (quote the value to make it a string)',
      '11 deprecated-api: v1 Endpoints is deprecated since Kubernetes 1.33; use discovery.k8s.io/v1 EndpointSlice (Endpoints keeps working; new code should use EndpointSlice)',
      '15 removed-api: policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25; use policy/v1',
      "19 missing-schema: no schema for example.com/v2 Widget: not served by the cluster's /openapi/v3 nor a built-in kind of Kubernetes 1.35 and no CRD for it was loaded (the cluster's /openapi/v3 serves Widget as example.com/v1); pass --crd or --ignore-missing-schemas",
    ]);
    expect(v.kindInfo('gadgets.io/v1', 'Gadget')).toMatchObject({ group: 'gadgets.io', namespaced: true });
    expect(v.kindInfo('v1', 'ConfigMap')).toMatchObject({ group: '', version: 'v1', kind: 'ConfigMap', namespaced: true });
    expect(v.kindInfo('apps/v1', 'Deployment')?.listMapKeys).toEqual({});
  });

  it('a CRD in the repo takes over a custom resource the cluster serves, never a built-in kind', () => {
    const widget = `apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec: {size: 3, colour: red}
`;
    // The repo's CRD adds spec.colour: once applied, that is the schema the cluster serves.
    const v = served(crd('example.com', 'Widget', 'widgets', { size: { type: 'integer' }, colour: { type: 'string' } }));
    expect(manifests(widget).flatMap((m) => summary(v.validate(m)))).toEqual([]);
    expect(summary(served().validate(manifests(widget)[0] as Manifest))).toEqual(['4 unknown-field: spec.colour: unknown field "colour"']);
    // A CRD claiming apps/v1 Deployment (the API server would refuse it) changes nothing.
    const claims = served(crd('apps', 'Deployment', 'deployments', { anything: { type: 'string' } }));
    expect(summary(claims.validate(manifests('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {anything: x}\n')[0] as Manifest))).toEqual([
      '4 unknown-field: spec.anything: unknown field "anything"',
    ]);
  });
});

describe('bundledVersionFor', () => {
  it('the cluster\'s minor when kubeplan has it, else the nearest it has', () => {
    const oldest = supportedKubernetesVersions[0] as string;
    expect(bundledVersionFor('v1.35.8')).toBe('1.35');
    expect(bundledVersionFor('v1.33.2-eks-1a2b3c')).toBe('1.33');
    expect(bundledVersionFor('v1.99.0')).toBe(defaultKubernetesVersion);
    expect(bundledVersionFor('v1.20.15')).toBe(oldest);
    expect(bundledVersionFor('')).toBe(defaultKubernetesVersion);
  });
});

const V3_DIR = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'openapi-v3', 'kubernetes-v1.35');
const hasShared = existsSync(V3_DIR);
if (!hasShared) console.warn(`SKIPPED: ${V3_DIR} is absent (shared/ not beside the clone)`);

describe.runIf(hasShared)('the real 1.35 documents', () => {
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

  it('converting each document on its own and merging gives what converting them all at once gives', () => {
    const docs = readV3();
    const one = mergeBundles(Object.keys(docs).sort().map((k) => convertOpenApiV3({ [k]: docs[k] })));
    expect(canonical(one)).toBe(canonical(convertOpenApiV3(docs)));
  });

  it('the cluster\'s documents of two group-versions, the bundled 1.35 for the rest: as the bundled 1.35 alone', () => {
    const docs = readV3();
    const used = { 'api/v1': docs['api/v1'], 'apis/apps/v1': docs['apis/apps/v1'] };
    const source = schemaSourceFromBundle(mergeBundles(Object.entries(used).map(([k, d]) => convertOpenApiV3({ [k]: d }))), { kubernetesVersion: 'v1.35.8', id: 'test-ids-are-opaque' });
    const live = createSchemaValidator({ source, fallbackKubernetesVersion: '1.35', cacheDir: false });
    const bundled = createSchemaValidator({ kubernetesVersion: '1.35', cacheDir: false });
    const ms = manifests(`apiVersion: apps/v1
kind: Deployment
metadata: {name: web, lables: {}}
spec:
  replicas: "2"
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx, ports: [{containerPort: 80, protcol: TCP}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {ports: [{port: http}]}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: c}
spec: {schedule: 5, jobTemplate: {}}
`);
    const a = ms.flatMap((m) => summary(live.validate(m)));
    expect(a).toEqual(ms.flatMap((m) => summary(bundled.validate(m))));
    expect(a.length).toBeGreaterThanOrEqual(5);
    for (const [apiVersion, kind] of [['apps/v1', 'Deployment'], ['v1', 'Service'], ['batch/v1', 'CronJob']] as const) {
      expect(live.kindInfo(apiVersion, kind), kind).toEqual(bundled.kindInfo(apiVersion, kind));
    }
  });
});
