// `kubeplan plan --kubeconfig` validates the repo against the cluster's own schemas: the /openapi/v3 documents of the
// group-versions the repo uses, cached on disk by their hashed URLs. The built CLI against a real API server, whose
// audit log counts kubeplan's OpenAPI requests. A CRD installed in the cluster (and not in the repo) covers its custom
// resources; a CRD in the repo covers custom resources the cluster does not serve yet, and takes over those it does;
// built-in kinds are checked against the cluster's schemas; a second run reads the documents from the disk cache.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import buildOnce from '../setup/build-once.ts';
import { clusterBinDir, failureLogs, isCI, missingBinaries, missingBinariesMessage, startCluster, type Cluster } from './harness.ts';
import type { CliResult } from '../cli/run-cli.ts';
import { runKubeplan } from './plan-helpers.ts';

const missing = missingBinaries(clusterBinDir());
const skip = missing.length > 0 && !isCI();
if (skip) console.warn(`SKIPPED: ${missingBinariesMessage(clusterBinDir(), missing)}`);

const GROUP = 'schemas.kubeplan.dev';

/** The Gizmo CRD: installed in the cluster only. `extra` adds properties to spec (the repo's newer copy of it). */
function gizmoCrd(extra = ''): string {
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gizmos.${GROUP}}
spec:
  group: ${GROUP}
  scope: Namespaced
  names: {plural: gizmos, singular: gizmo, kind: Gizmo}
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
                size: {type: integer, minimum: 1}
                mode: {type: string, enum: [fast, slow]}${extra}
`;
}

const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: gizmos}\n';
const deployment = (extra = ''): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: gizmos}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: registry.k8s.io/pause:3.9${extra}
`;

interface PlanJson {
  incomplete: boolean;
  validation: { errors: number; warnings: number };
  live: { notes: string[] };
  changes: { action: string; object: { kind: string; namespace?: string; name: string } }[];
}

interface AuditEvent {
  requestURI: string;
  userAgent?: string;
  stage: string;
}

/** A finding line of the stylish report on stderr: "    12:7   error    message   rule". */
function findings(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((l) => /^\s+(\d+):(\d+)\s+(error|warning)\s+(.*?)\s{2,}(\S+)\s*$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${m[1]}:${m[2]} ${m[3]} ${m[5]}: ${m[4]}`);
}

describe.skipIf(skip)('kubeplan plan validates against the cluster\'s schemas', () => {
  let cluster: Cluster | undefined;
  let work: string;
  let auditLog: string;
  const { check, printLogsIfFailed } = failureLogs();

  /** The built CLI in `cwd` with its caches in the test's dir; nothing but the given kubeconfig is read. */
  function kubeplan(cwd: string, args: string[], cache = 'cache'): Promise<CliResult> {
    return runKubeplan(['plan', '.', '--kubeconfig', cluster!.kubeconfigPath, ...args], { cwd, cacheDir: path.join(work, cache) });
  }

  function repo(name: string, files: Record<string, string>): string {
    const dir = path.join(work, name);
    mkdirSync(dir, { recursive: true });
    for (const [f, text] of Object.entries(files)) writeFileSync(path.join(dir, f), text);
    return dir;
  }

  /** kubeplan's OpenAPI requests the API server has answered so far (its audit log), by path. */
  function openapiRequests(): string[] {
    return readFileSync(auditLog, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as AuditEvent)
      .filter((e) => e.stage === 'ResponseComplete' && e.userAgent === 'kubeplan' && e.requestURI.startsWith('/openapi/'))
      .map((e) => e.requestURI.replace(/\?.*$/, ''));
  }

  beforeAll(async () => {
    buildOnce();
    work = mkdtempSync(path.join(os.tmpdir(), 'kubeplan-plan-schemas-'));
    const policy = path.join(work, 'audit-policy.yaml');
    auditLog = path.join(work, 'audit.log');
    writeFileSync(policy, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n  - level: Metadata\n    nonResourceURLs: ["/openapi/*"]\n  - level: None\n');
    cluster = await startCluster({ nodes: 1, apiServerArgs: [`--audit-policy-file=${policy}`, `--audit-log-path=${auditLog}`, '--audit-log-mode=blocking'] });
    const crd = path.join(work, 'gizmo-crd.yaml');
    writeFileSync(crd, gizmoCrd());
    const applied = await cluster.kubectl(['apply', '-f', crd]);
    if (applied.code !== 0) throw new Error(`kubectl apply: ${applied.stderr}`);
    const established = await cluster.kubectl(['wait', '--for=condition=Established', '--timeout=60s', `crd/gizmos.${GROUP}`]);
    if (established.code !== 0) throw new Error(`CRD not established: ${established.stderr}`);
    // The API server publishes a new CRD's OpenAPI a moment after it is Established: wait until /openapi/v3 lists it.
    const deadline = Date.now() + 60_000;
    while (!((await cluster.request('GET', '/openapi/v3')).json?.paths as Record<string, unknown> | undefined)?.[`apis/${GROUP}/v1`]) {
      if (Date.now() > deadline) throw new Error(`/openapi/v3 does not list apis/${GROUP}/v1`);
      await new Promise((res) => setTimeout(res, 200));
    }
  });
  afterAll(async () => {
    printLogsIfFailed(cluster);
    await cluster?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('a custom resource of a CRD only the cluster has: validated, planned as a create; a second run reads the cache', check(async () => {
    const dir = repo('valid', {
      '00-namespace.yaml': namespace,
      '10-gizmo.yaml': `apiVersion: ${GROUP}/v1\nkind: Gizmo\nmetadata: {name: g1, namespace: gizmos}\nspec: {size: 3, mode: fast}\n`,
      '20-web.yaml': deployment(),
    });
    const before = openapiRequests().length;
    const r = await kubeplan(dir, ['-o', 'json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('missing-schema');
    const doc = JSON.parse(r.stdout) as PlanJson;
    expect(doc.incomplete).toBe(false);
    expect(doc.changes.map((c) => `${c.action} ${c.object.kind} ${c.object.name}`).sort()).toEqual(['create Deployment web', 'create Gizmo g1', 'create Namespace gizmos']);
    expect(doc.live.notes[0]).toBe("validated against the cluster's schemas (Kubernetes v1.35.8, 3 group-versions from /openapi/v3, 3 fetched, 0 from cache)");
    // Only the repo's group-versions were fetched, each once (the plan's list keys reuse them), never the rest.
    const first = openapiRequests().slice(before);
    expect(first.sort()).toEqual(['/openapi/v3', '/openapi/v3/api/v1', '/openapi/v3/apis/apps/v1', `/openapi/v3/apis/${GROUP}/v1`]);
    const cached = readdirSync(path.join(work, 'cache', 'openapi')).sort();
    expect(cached.filter((f) => /^[0-9a-f]{64}\.json$/.test(f))).toHaveLength(3);
    expect(cached.filter((f) => /^[0-9a-f]{64}\.kubeplan-schemas-[0-9a-f]{16}\.json$/.test(f))).toHaveLength(3);

    // Warm: the index request only; documents and their conversions come from the disk cache.
    const again = await kubeplan(dir, ['-o', 'json']);
    expect(again.status, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as PlanJson).live.notes[0]).toBe("validated against the cluster's schemas (Kubernetes v1.35.8, 3 group-versions from /openapi/v3, 0 fetched, 3 from cache)");
    expect(openapiRequests().slice(before + first.length)).toEqual(['/openapi/v3']);
    expect(readdirSync(path.join(work, 'cache', 'openapi')).sort()).toEqual(cached);
  }));

  it('a custom resource with an unknown field and a wrong type: findings at their file:line:column, exit 1, an incomplete plan', check(async () => {
    const dir = repo('invalid-cr', {
      '00-namespace.yaml': namespace,
      '10-gizmo.yaml': `apiVersion: ${GROUP}/v1\nkind: Gizmo\nmetadata: {name: g2, namespace: gizmos}\nspec:\n  size: three\n  colour: red\n  mode: slow\n`,
    });
    const r = await kubeplan(dir, []);
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toContain('10-gizmo.yaml');
    expect(findings(r.stderr)).toEqual(['5:9 error schema: spec.size: expected integer, got string "three"', '6:3 error unknown-field: spec.colour: unknown field "colour"']);
    expect(r.stdout).toContain('This plan is incomplete: the repo has 2 validation error(s) (listed above). Fix them before applying.');
    expect(r.stdout).toContain('+ create Gizmo gizmos/g2');
    expect(r.stdout).toContain("Note: validated against the cluster's schemas (Kubernetes v1.35.8, 2 group-versions from /openapi/v3");
    // Checked against the cluster's CRD, not the bundled schemas (which have no Gizmo): with -k the CR has no schema.
    const bundled = await kubeplan(dir, ['--kubernetes-version', '1.35']);
    expect(bundled.status).toBe(1);
    expect(findings(bundled.stderr)).toEqual([expect.stringMatching(new RegExp(`^1:13 error missing-schema: no schema for ${GROUP.replace(/\./g, '\\.')}/v1 Gizmo: not a built-in kind of Kubernetes 1\\.35`))]);
    expect(bundled.stdout).toContain("Note: validated against kubeplan's bundled Kubernetes 1.35 schemas (--kubernetes-version given), not the cluster's");
  }));

  it('a CRD and its custom resources only in the repo: validated against the repo\'s CRD', check(async () => {
    const widgetCrd = gizmoCrd().replaceAll('gizmos', 'widgets').replaceAll('gizmo', 'widget').replace('kind: Gizmo', 'kind: Widget').replaceAll(GROUP, `repo.${GROUP}`);
    const dir = repo('repo-crd', {
      '00-namespace.yaml': namespace,
      '05-widget-crd.yaml': widgetCrd,
      '10-widgets.yaml': `apiVersion: repo.${GROUP}/v1\nkind: Widget\nmetadata: {name: ok, namespace: gizmos}\nspec: {size: 2}\n---\napiVersion: repo.${GROUP}/v1\nkind: Widget\nmetadata: {name: bad, namespace: gizmos}\nspec: {size: 0, mode: medium}\n`,
    });
    const r = await kubeplan(dir, []);
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(findings(r.stderr)).toEqual(['9:14 error schema: spec.size: must be >= 1, got 0', '9:23 error schema: spec.mode: unsupported value "medium"; supported values: "fast", "slow"']);
    expect(r.stdout).toContain(`+ create CustomResourceDefinition widgets.repo.${GROUP}`);
    expect(r.stdout).toContain('+ create Widget gizmos/ok');
    expect(r.stdout).toContain(`; repo.${GROUP}/v1 not served by the cluster: against the repo's CRDs and kubeplan's bundled Kubernetes 1.35 schemas`);
  }));

  it('a newer copy of the cluster\'s CRD in the repo: its custom resources are checked against the repo\'s copy', check(async () => {
    const cr = `apiVersion: ${GROUP}/v1\nkind: Gizmo\nmetadata: {name: g3, namespace: gizmos}\nspec: {size: 1, colour: red}\n`;
    const withCrd = await kubeplan(repo('newer-crd', { '00-namespace.yaml': namespace, '05-crd.yaml': gizmoCrd('\n                colour: {type: string}'), '10-gizmo.yaml': cr }), []);
    expect(withCrd.status, withCrd.stdout + withCrd.stderr).toBe(0);
    expect(findings(withCrd.stderr)).toEqual([]);
    expect(withCrd.stdout).toContain(`~ update CustomResourceDefinition gizmos.${GROUP}`);
    const without = await kubeplan(repo('older-crd', { '00-namespace.yaml': namespace, '10-gizmo.yaml': cr }), []);
    expect(findings(without.stderr)).toEqual(['4:17 error unknown-field: spec.colour: unknown field "colour"']);
  }));

  it('built-in kinds: checked against the cluster\'s schemas, and one wrong value is one finding', check(async () => {
    const dir = repo('invalid-deployment', {
      '00-namespace.yaml': namespace,
      '20-web.yaml': deployment('\n          imagePullPolicy: Sometimes\n          resource: {}').replace('replicas: 1', 'replicas: "one"'),
    });
    const r = await kubeplan(dir, []);
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(findings(r.stderr)).toEqual([
      '5:13 error schema: spec.replicas: expected integer, got string "one"',
      '13:28 error enum-value: spec.template.spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
      '14:11 error unknown-field: spec.template.spec.containers[0].resource: unknown field "resource"; did you mean "resources"?',
    ]);
    expect(r.stdout).toContain('This plan is incomplete: the repo has 3 validation error(s)');
  }));
});
