// `kubeplan plan --kubeconfig` resolves what validate cannot settle from the repo against a real cluster:
// fixtures/live-refs references a ConfigMap, a Secret (by key), a ServiceAccount and a claim that are created out of
// band here, and has Services/PDBs in a namespace whose pods another "pipeline" (a Deployment applied here) runs.
// Resolved references give no warning; references in neither the repo nor the cluster warn on the right change
// without changing the exit code; no Secret value reaches any output or the saved plan, and the Secrets are read as
// metadata only. T9 with a real autoscaling/v2 HPA: replicas removed from the repo is a highlighted scale-down when
// kubeplan owns them, and nothing when the HPA's controller does, which a real apply then confirms.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterClient } from '../../src/cluster/client.ts';
import { METADATA_LIST_ACCEPT } from '../../src/cluster/context.ts';
import { planFromCluster } from '../../src/cluster/plan.ts';
import { buildResourceGraph } from '../../src/graph/index.ts';
import { unresolvedReferences } from '../../src/validate/rules/cross-object/references.ts';
import buildOnce from '../setup/build-once.ts';
import { clusterBinDir, failureLogs, isCI, missingBinaries, missingBinariesMessage, startCluster, type Cluster } from './harness.ts';
import type { CliResult } from '../cli/run-cli.ts';
import { manifestsOf, runKubeplan } from './plan-helpers.ts';

const missing = missingBinaries(clusterBinDir());
const skip = missing.length > 0 && !isCI();
if (skip) console.warn(`SKIPPED: ${missingBinariesMessage(clusterBinDir(), missing)}`);

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = path.join(root, 'fixtures', 'live-refs', 'manifests');
const SECRET_VALUE = 'liverefs-Qx7-never-print-me';

/** Created out of band (client-side `kubectl apply`, so the Secret's last-applied annotation holds its value). */
const outOfBand = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Namespace
metadata: {name: edge}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config, namespace: shop}
data: {LOG_LEVEL: info}
---
apiVersion: v1
kind: Secret
metadata: {name: db-credentials, namespace: shop}
stringData: {password: ${SECRET_VALUE}}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: uploads, namespace: shop}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: legacy, namespace: edge}
spec:
  replicas: 2
  selector: {matchLabels: {app: legacy}}
  template:
    metadata: {labels: {app: legacy}}
    spec:
      containers: [{name: legacy, image: registry.k8s.io/pause:3.10}]
`;

const deployment = (name: string, replicas: number | undefined) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: t9}
spec:
${replicas === undefined ? '' : `  replicas: ${replicas}\n`}  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: app, image: registry.k8s.io/pause:3.10, resources: {requests: {cpu: 100m}}}]
`;
const hpa = (name: string, min: number) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: ${name}, namespace: t9}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${name}}
  minReplicas: ${min}
  maxReplicas: 6
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}}]
`;
/**
 * The T9 repo as kubeplan applied it: `scaler` at 3 replicas under an HPA with minReplicas 3 (it never touches them:
 * kubeplan stays their owner), `batch` at 5 without an HPA, `autoscaled` at 1 under an HPA with minReplicas 2 (which
 * raises it to 2 and so takes the field over).
 */
const t9Applied = ['apiVersion: v1\nkind: Namespace\nmetadata: {name: t9}\n', deployment('scaler', 3), hpa('scaler', 3), deployment('batch', 5), deployment('autoscaled', 1), hpa('autoscaled', 2)];
/** The same repo after a commit that removes spec.replicas everywhere. */
const t9Repo = ['apiVersion: v1\nkind: Namespace\nmetadata: {name: t9}\n', deployment('scaler', undefined), hpa('scaler', 3), deployment('batch', undefined), deployment('autoscaled', undefined), hpa('autoscaled', 2)].join('---\n');

interface PlanJson {
  changes: { action: string; object: { kind: string; namespace?: string; name: string }; warnings: { rule: string; message: string }[]; diff: { path: string; before?: unknown; after?: unknown }[] }[];
  references: { rule: string; from: string; target: string; outcome: string; detail: string }[];
  live: { notes: string[] };
}

describe.skipIf(skip)('kubeplan plan resolves the repo\'s references against a real cluster', () => {
  let cluster: Cluster | undefined;
  let work: string;
  const { check, printLogsIfFailed } = failureLogs();

  function kubeplan(args: string[]): Promise<CliResult> {
    return runKubeplan(args, { cwd: work, cacheDir: path.join(work, 'cache') });
  }

  async function kubectl(args: string[], input?: string): Promise<string> {
    const r = await cluster!.kubectl(args, input === undefined ? {} : { input });
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  }

  async function until(what: string, check: () => Promise<boolean>, ms = 90_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  const replicas = async (name: string): Promise<number | undefined> => {
    const r = await cluster!.request('GET', `/apis/apps/v1/namespaces/t9/deployments/${name}`);
    return (r.json?.spec as { replicas?: number } | undefined)?.replicas;
  };

  beforeAll(async () => {
    buildOnce();
    work = mkdtempSync(path.join(os.tmpdir(), 'kubeplan-live-refs-'));
    cpSync(fixture, path.join(work, 'repo'), { recursive: true });
    mkdirSync(path.join(work, 't9'));
    writeFileSync(path.join(work, 't9', 'apps.yaml'), t9Repo);
    cluster = await startCluster({ nodes: 1 });
    await kubectl(['apply', '-f', '-'], outOfBand);
    await kubectl(['apply', '--server-side', '--field-manager=kubeplan', '-f', '-'], t9Applied.join('---\n'));
    await until('the 2 pods of edge/legacy', async () => {
      const r = await cluster!.request('GET', '/api/v1/namespaces/edge/pods');
      return ((r.json?.items as unknown[] | undefined) ?? []).length === 2;
    });
    await until('the HPA to raise t9/autoscaled to its minReplicas', async () => (await replicas('autoscaled')) === 2);
  });
  afterAll(async () => {
    printLogsIfFailed(cluster);
    await cluster?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('references the cluster satisfies give no warning; missing in both warns on the right change; the exit code is the plan\'s', check(async () => {
    const text = await kubeplan(['plan', 'repo', '--kubeconfig', cluster!.kubeconfigPath]);
    expect(text.status, text.stdout + text.stderr).toBe(0);
    expect(text.stdout).toMatch(/\+ create Deployment shop\/api\n.*\n\s+! configmap-ref-missing: ConfigMap "api-config" \(envFrom of container "api"\) is in neither the repo nor the cluster — the container fails to start/);
    expect(text.stdout).toMatch(/reference\(s\) the repo cannot satisfy were found in the cluster: ConfigMap shop\/app-config, Secret shop\/db-credentials, ServiceAccount shop\/web, PersistentVolumeClaim shop\/uploads, pods app=legacy in edge/);
    expect((await kubeplan(['plan', 'repo', '--kubeconfig', cluster!.kubeconfigPath, '--detailed-exitcode'])).status).toBe(2);

    const json = await kubeplan(['plan', 'repo', '--kubeconfig', cluster!.kubeconfigPath, '-o', 'json']);
    expect(json.status, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as PlanJson;
    const warnings = (kind: string, name: string) => doc.changes.find((c) => c.object.kind === kind && c.object.name === name)?.warnings.map((w) => w.rule);
    expect(warnings('Deployment', 'web')).toEqual([]);
    expect(warnings('Deployment', 'api')).toEqual(['configmap-ref-missing']);
    expect(warnings('Service', 'legacy')).toEqual([]);
    expect(warnings('PodDisruptionBudget', 'legacy')).toEqual([]);
    expect(warnings('Service', 'ghost')).toEqual(['selector-no-match']);
    expect(doc.references.map((r) => `${r.from} → ${r.target}: ${r.outcome}`)).toEqual([
      'Deployment shop/web → ConfigMap shop/app-config: found',
      'Deployment shop/api → ConfigMap shop/api-config: missing',
      'Deployment shop/web → Secret shop/db-credentials: found',
      'Deployment shop/web → ServiceAccount shop/web: found',
      'Deployment shop/web → PersistentVolumeClaim shop/uploads: found',
      'Service edge/legacy → pods app=legacy in edge: found',
      'Service edge/ghost → pods app=ghost in edge: missing',
      'PodDisruptionBudget edge/legacy → pods app=legacy in edge: found',
    ]);
    expect(doc.references.find((r) => r.from === 'Service edge/legacy')?.detail).toBe('selects 2 pod(s) in the cluster');
  }));

  it('once the out-of-band ConfigMap is gone, the reference to it warns too', check(async () => {
    await kubectl(['-n', 'shop', 'delete', 'configmap', 'app-config']);
    try {
      const doc = JSON.parse((await kubeplan(['plan', 'repo', '--kubeconfig', cluster!.kubeconfigPath, '-o', 'json'])).stdout) as PlanJson;
      const web = doc.changes.find((c) => c.object.kind === 'Deployment' && c.object.name === 'web');
      expect(web?.warnings).toEqual([{ rule: 'configmap-ref-missing', message: expect.stringMatching(/^ConfigMap "app-config" \(envFrom of container "web"\) is in neither the repo nor the cluster/) }]);
    } finally {
      await kubectl(['apply', '-f', '-'], outOfBand);
    }
  }));

  it('no Secret value in stdout, stderr or the saved plan; Secrets are listed as metadata only and kept without annotations', check(async () => {
    const planFile = path.join(work, 'plan.json');
    const outputs = await Promise.all(['text', 'json', 'markdown'].map((o) => kubeplan(['plan', 'repo', '--kubeconfig', cluster!.kubeconfigPath, '-o', o, '--out', planFile])));
    const saved = readFileSync(planFile, 'utf8');
    const secret = JSON.parse(await kubectl(['-n', 'shop', 'get', 'secret', 'db-credentials', '-o', 'json'])) as { data: { password: string }; metadata: { annotations?: Record<string, string> } };
    // The value is in the cluster twice: in data, and in the last-applied annotation client-side apply wrote.
    expect(secret.data.password).toBe(Buffer.from(SECRET_VALUE).toString('base64'));
    expect(secret.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toContain(SECRET_VALUE);
    for (const text of [...outputs.flatMap((r) => [r.stdout, r.stderr]), saved]) {
      expect(text).not.toContain(SECRET_VALUE);
      expect(text).not.toContain(secret.data.password);
    }
    expect(outputs.every((r) => r.status === 0)).toBe(true);

    // The same plan in process, every request recorded: the Secrets (which the repo does not define) are read only
    // through a metadata LIST, one per kind and namespace the plan's own LISTs did not cover.
    const client = await ClusterClient.fromKubeConfig({ kubeconfig: cluster!.kubeconfigPath });
    const seen: { method: string; path: string; accept?: string }[] = [];
    const request = client.request.bind(client);
    client.request = ((method: string, p: string, options?: { accept?: string }) => {
      seen.push({ method, path: p, ...(options?.accept ? { accept: options.accept } : {}) });
      return request(method, p, options);
    }) as ClusterClient['request'];
    try {
      const desired = manifestsOf(['shop.yaml', 'edge.yaml'].map((f) => readFileSync(path.join(fixture, f), 'utf8')).join('---\n'));
      const references = unresolvedReferences(buildResourceGraph(desired));
      const { plan, live } = await planFromCluster({ client, desired, settings: { defaultNamespace: 'default' }, references, openapi: false });
      const secretRequests = seen.filter((r) => r.path.includes('/secrets'));
      expect(secretRequests).toEqual([{ method: 'GET', path: '/api/v1/namespaces/shop/secrets?limit=500', accept: METADATA_LIST_ACCEPT }]);
      const metadataLists = seen.filter((r) => r.accept === METADATA_LIST_ACCEPT).map((r) => r.path.replace(/\?.*/, '')).sort();
      expect(metadataLists).toEqual(['/api/v1/namespaces/shop/configmaps', '/api/v1/namespaces/shop/persistentvolumeclaims', '/api/v1/namespaces/shop/secrets', '/api/v1/namespaces/shop/serviceaccounts']);
      const secrets = (live.source.context ?? []).filter((o) => o.object.kind === 'Secret');
      expect(secrets.map((s) => s.object)).toEqual([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-credentials', namespace: 'shop', uid: expect.any(String) } }]);
      expect(JSON.stringify(live.source)).not.toContain(SECRET_VALUE);
      expect(plan.references?.find((r) => r.target === 'Secret shop/db-credentials')?.outcome).toBe('found');
    } finally {
      client.close();
    }
  }));

  it('T9 with a real HPA: removing replicas kubeplan owns is a highlighted scale-down; replicas the HPA owns stay, as a real apply confirms', check(async () => {
    expect(await replicas('scaler')).toBe(3);
    expect(await replicas('batch')).toBe(5);
    const text = await kubeplan(['plan', 't9', '--kubeconfig', cluster!.kubeconfigPath, '--detailed-exitcode']);
    expect(text.status, text.stdout + text.stderr).toBe(2);
    const banner = text.stdout.split('\n').filter((l) => l.startsWith('!! '));
    expect(banner).toEqual([
      expect.stringMatching(/^!! replicas-scale-down: Deployment t9\/batch \(step \d+\): .* scales down from 5 to 1 pod\(s\)\. Set spec\.replicas in the repo/),
      expect.stringMatching(/^!! replicas-scale-down: Deployment t9\/scaler \(step \d+\): .* scales down from 3 to 1 pod\(s\), until HorizontalPodAutoscaler t9\/scaler scales it up again/),
    ]);
    expect(text.stdout).toMatch(/~ update Deployment t9\/scaler\n.*\n\s+~ spec\.replicas: 3 → 1\n\s+!! replicas-scale-down:/);

    const doc = JSON.parse((await kubeplan(['plan', 't9', '--kubeconfig', cluster!.kubeconfigPath, '-o', 'json'])).stdout) as PlanJson;
    const dep = (name: string) => doc.changes.find((c) => c.object.kind === 'Deployment' && c.object.name === name)!;
    expect(dep('autoscaled')).toMatchObject({ action: 'noop', warnings: [] });
    expect(dep('scaler').diff.map((d) => `${d.path}: ${String(d.before)} → ${String(d.after)}`)).toEqual(['spec.replicas: 3 → 1']);
    expect(dep('batch').warnings.map((w) => w.rule)).toEqual(['replicas-scale-down']);

    const markdown = await kubeplan(['plan', 't9', '--kubeconfig', cluster!.kubeconfigPath, '-o', 'markdown']);
    expect(markdown.stdout).toMatch(/> \[!CAUTION\]\n> 🛑 \*\*Deployment t9\/batch\*\*/);

    // What the plan predicted is what server-side apply does.
    await kubectl(['apply', '--server-side', '--field-manager=kubeplan', '-f', path.join(work, 't9', 'apps.yaml')]);
    expect(await replicas('batch')).toBe(1);
    expect(await replicas('autoscaled')).toBe(2);
  }));
});
