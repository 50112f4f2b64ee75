// scripts/export-kubeconform-schemas.ts writes kubeplan's schemas in kubeconform's layout; the benchmark runs
// kubeconform offline on them. The files must be where kubeconform's templates look and must validate like kubeplan.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import AjvModule from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { exportKubeconformSchemas, kubeconformFileName } from '../../scripts/export-kubeconform-schemas.ts';

const Ajv = AjvModule.default;
const out = mkdtempSync(join(tmpdir(), 'kubeplan-kc-export-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
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
              required: [size]
              properties:
                size: {type: integer}
                port: {x-kubernetes-int-or-string: true}
`;

const deployment = (spec: Record<string, unknown>): unknown => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', creationTimestamp: null },
  spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } }, ...spec },
});

describe('kubeconform export', () => {
  const crdFile = join(out, 'widget-crd.yaml');
  writeFileSync(crdFile, CRD);
  const result = exportKubeconformSchemas(join(out, 'schemas'), '1.36', [crdFile]);
  const load = (rel: string): object => JSON.parse(readFileSync(join(out, 'schemas', rel), 'utf8')) as object;
  const compile = (rel: string) => new Ajv({ strict: false, validateFormats: false }).compile(load(rel));

  it('names files like kubeconform ({{.ResourceKind}}{{.KindSuffix}}: lower-cased kind, first group label, version)', () => {
    expect(kubeconformFileName('apps/v1', 'Deployment')).toBe('deployment-apps-v1.json');
    expect(kubeconformFileName('v1', 'ConfigMap')).toBe('configmap-v1.json');
    expect(kubeconformFileName('rbac.authorization.k8s.io/v1', 'ClusterRole')).toBe('clusterrole-rbac-v1.json');
    expect(kubeconformFileName('networking.k8s.io/v1', 'Ingress')).toBe('ingress-networking-v1.json');
  });

  it('writes strict and non-strict directories for every built-in kind (and *List), and crds/{kind}_{version}.json', () => {
    expect(result.collisions).toEqual([]);
    expect(result.crdFiles).toBe(1);
    for (const f of ['deployment-apps-v1.json', 'configmap-v1.json', 'configmaplist-v1.json', 'customresourcedefinition-apiextensions-v1.json', 'horizontalpodautoscaler-autoscaling-v2.json']) {
      expect(existsSync(join(out, 'schemas', 'v1.36.0-standalone-strict', f)), f).toBe(true);
      expect(existsSync(join(out, 'schemas', 'v1.36.0-standalone', f)), f).toBe(true);
    }
    expect(existsSync(join(out, 'schemas', 'crds', 'widget_v1.json'))).toBe(true);
  });

  it('self-contained draft-07 schemas that validate like kubeplan (null on optional fields, int-or-string, strictness)', () => {
    const strict = compile('v1.36.0-standalone-strict/deployment-apps-v1.json');
    const loose = compile('v1.36.0-standalone/deployment-apps-v1.json');
    expect(load('v1.36.0-standalone-strict/deployment-apps-v1.json')).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#' });
    expect(strict(deployment({ replicas: 2, strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } } }))).toBe(true);
    expect(strict(deployment({ replicas: '2' }))).toBe(false);
    expect(strict(deployment({ replicas: 2, bogus: true }))).toBe(false);
    expect(loose(deployment({ replicas: 2, bogus: true }))).toBe(true);
    const service = compile('v1.36.0-standalone-strict/service-v1.json');
    expect(service({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: null }] } })).toBe(true);
    const widget = compile('crds/widget_v1.json');
    expect(widget({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1, port: 'http' } })).toBe(true);
    expect(widget({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { port: 8080 } })).toBe(false);
    expect(widget({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', bogus: 1 }, spec: { size: 1 } })).toBe(false);
  });

  const kubeconform = join(process.env.KUBEPLAN_CACHE_DIR ?? join(homedir(), '.cache', 'kubeplan'), 'tools', 'kubeconform-v0.7.0', 'kubeconform');
  if (!existsSync(kubeconform)) console.warn(`kubeconform export: running kubeconform skipped, ${kubeconform} is not built (npm run bench builds it)`);
  it.runIf(existsSync(kubeconform))('kubeconform itself finds the files through its templates and agrees', () => {
    const manifests = join(out, 'manifests.yaml');
    writeFileSync(
      manifests,
      [JSON.stringify(deployment({ replicas: 2 })), JSON.stringify(deployment({ replicas: '2' })), CRD, 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 1}\n'].join('\n---\n'),
    );
    const r = spawnSync(kubeconform, [
      '-strict',
      '-summary',
      '-kubernetes-version',
      '1.36.0',
      '-schema-location',
      join(out, 'schemas', '{{.NormalizedKubernetesVersion}}-standalone{{.StrictSuffix}}/{{.ResourceKind}}{{.KindSuffix}}.json'),
      '-schema-location',
      join(out, 'schemas', 'crds/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json'),
      manifests,
    ], { encoding: 'utf8' });
    expect(r.stdout).toContain('Summary: 4 resources found in 1 file - Valid: 3, Invalid: 1, Errors: 0, Skipped: 0');
  });
});
