// validate() with the schemas a cluster serves: a live /openapi/v3 carries enums for built-in fields (imagePullPolicy,
// Service type, …) that the bundled schemas lack and the enum-value rule checks; one wrong value is one finding.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validate } from './index.ts';
import { schemaSourceFromOpenApiV3 } from './schema/index.ts';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const gvk = { group: 'apps', version: 'v1', kind: 'Deployment' };
/** apps/v1 as a 1.35 server serves it, cut down to what the test needs: imagePullPolicy has its enum. */
const appsV1 = {
  paths: { '/apis/apps/v1/namespaces/{namespace}/deployments/{name}': { get: { 'x-kubernetes-group-version-kind': gvk } } },
  components: {
    schemas: {
      'io.k8s.api.apps.v1.Deployment': {
        type: 'object',
        'x-kubernetes-group-version-kind': [gvk],
        properties: {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          metadata: { allOf: [{ $ref: `#/components/schemas/${META}` }] },
          spec: {
            type: 'object',
            properties: {
              template: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    properties: {
                      containers: {
                        type: 'array',
                        items: { type: 'object', properties: { name: { type: 'string' }, image: { type: 'string' }, imagePullPolicy: { type: 'string', enum: ['Always', 'IfNotPresent', 'Never'] }, restartPolicy: { type: 'string', enum: ['Always'] } } },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
      [META]: { type: 'object', properties: { name: { type: 'string' }, namespace: { type: 'string' } } },
    },
  },
};

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('validate with served schemas', () => {
  it('a value outside a served enum that the enum-value rule also checks is reported once, by the rule; other enums by the schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeplan-served-'));
    dirs.push(dir);
    writeFileSync(
      join(dir, 'web.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n        - {name: web, image: nginx, imagePullPolicy: Sometimes, restartPolicy: OnFailure}\n',
    );
    const source = schemaSourceFromOpenApiV3({ 'apis/apps/v1': appsV1 }, { kubernetesVersion: 'v1.35.8' });
    const outcome = await validate({
      source: { kind: 'paths', paths: ['.'], cwd: dir },
      kubernetesVersion: '1.35',
      strict: true,
      ignoreMissingSchemas: false,
      extraCrds: [],
      defaultNamespace: 'default',
      rules: {},
      servedSchemas: () => Promise.resolve(source),
    });
    if (!outcome.ok) throw new Error(outcome.error);
    const lines = outcome.report.findings.filter((f) => /Policy/.test(f.message)).map((f) => `${f.line}:${f.column} ${f.rule}: ${f.message}`);
    expect(lines).toEqual([
      '8:54 enum-value: spec.template.spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
      '8:65 enum-value: spec.template.spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers',
      // A different finding at a different place: the value outside the served enum, which only the schema knows.
      '8:80 schema: spec.template.spec.containers[0].restartPolicy: unsupported value "OnFailure"; supported values: "Always"',
    ]);
  });
});
