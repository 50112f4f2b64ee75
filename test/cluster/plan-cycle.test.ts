// The planner against a real API server, end to end: apply the repo (server-side apply as kubeplan),
// plan from the cluster (discovery, one LIST per kind and namespace, server-side dry-run), change the
// repo, plan again, apply the plan's objects, and check that a new plan shows no changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadClusterLive } from '../../src/cluster/live.ts';
import { OpenApiCache } from '../../src/cluster/openapi.ts';
import type { Manifest } from '../../src/core/types.ts';
import { computePlan } from '../../src/plan/compute.ts';
import { renderPlan } from '../../src/plan/render/index.ts';
import { savePlan } from '../../src/plan/saved.ts';
import type { Plan } from '../../src/plan/types.ts';
import { clusterBinDir, isCI, missingBinaries, missingBinariesMessage, startCluster, type Cluster } from './harness.ts';
import { describeChanges, manifestsOf, PlanCluster } from './plan-helpers.ts';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const missing = missingBinaries(clusterBinDir());
const skip = missing.length > 0 && !isCI();
if (skip) console.warn(`SKIPPED: ${missingBinariesMessage(clusterBinDir(), missing)}`);

const NS = 'plan-cycle';
const SECRET_V1 = 'cycle-value-one-Kq2';
const SECRET_V2 = 'cycle-value-two-Zr7';

function repo(v: 1 | 2): string {
  return `apiVersion: v1
kind: Namespace
metadata: {name: ${NS}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: ${NS}, labels: {app.kubernetes.io/part-of: cycle}}
data: {LOG_LEVEL: ${v === 1 ? 'info' : 'debug'}}
---
apiVersion: v1
kind: Secret
metadata: {name: sec, namespace: ${NS}, labels: {app.kubernetes.io/part-of: cycle}}
stringData: {password: ${v === 1 ? SECRET_V1 : SECRET_V2}}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: ${NS}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${NS}, labels: {app.kubernetes.io/part-of: cycle}}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: registry.k8s.io/pause:${v === 1 ? '3.9' : '3.10'}
          ports: [{containerPort: 8080, name: http}]
          resources: {requests: {cpu: 0.1, memory: 32Mi}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: ${NS}, labels: {app.kubernetes.io/part-of: cycle}}
spec:
  replicas: 1
  selector: {matchLabels: ${v === 1 ? '{app: worker}' : '{app: worker, queue: orders}'}}
  template:
    metadata: {labels: ${v === 1 ? '{app: worker}' : '{app: worker, queue: orders}'}}
    spec: {containers: [{name: worker, image: "registry.k8s.io/pause:3.10"}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: ${NS}}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: ${NS}}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 3
${v === 1 ? `---
apiVersion: v1
kind: ConfigMap
metadata: {name: legacy, namespace: ${NS}, labels: {app.kubernetes.io/part-of: cycle}}
data: {OLD: "1"}
` : ''}`;
}

describe.skipIf(skip)('plan against a real cluster', () => {
  let cluster: Cluster | undefined;
  let pc: PlanCluster;
  let cacheDir: string;

  async function planFromCluster(desired: Manifest[], opts: { dryRun?: boolean; pruneSelector?: string } = {}): Promise<{ plan: Plan; lists: number; dryRuns: number }> {
    const live = await loadClusterLive({ client: pc.client, desired, defaultNamespace: 'default', dryRun: opts.dryRun, pruneSelector: opts.pruneSelector, openapi: new OpenApiCache(pc.client, cacheDir) });
    const plan = computePlan({ desired, live: live.source, kindInfo: live.kindInfo, settings: { defaultNamespace: 'default', ...(opts.pruneSelector ? { pruneSelector: opts.pruneSelector } : {}) } });
    return { plan, lists: live.requests.list, dryRuns: live.requests.dryRun };
  }

  async function applyAll(desired: Manifest[]): Promise<void> {
    for (const m of desired) await pc.apply(m.object);
  }

  beforeAll(async () => {
    cluster = await startCluster({ nodes: 1 });
    pc = await PlanCluster.connect(cluster.kubeconfigPath);
    cacheDir = await mkdtemp(path.join(os.tmpdir(), 'kubeplan-openapi-'));
    await applyAll(manifestsOf(repo(1)));
  });
  afterAll(async () => {
    pc?.client.close();
    await cluster?.stop();
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  });

  it('after applying the repo, a plan from the cluster (dry-run basis) and an offline one show no changes', async () => {
    const desired = manifestsOf(repo(1));
    const { plan, lists, dryRuns } = await planFromCluster(desired);
    expect(describeChanges(plan)).toBe('');
    expect(plan.changes.every((c) => c.basis === 'dry-run')).toBe(true);
    expect(renderPlan(plan, 'text').trim().split('\n').at(-1)).toBe('No changes. Live state matches the repo.');
    // One LIST per kind and namespace: Namespace (cluster), and ConfigMap, Secret, ServiceAccount,
    // Deployment, Service, HPA and Pod in plan-cycle — never a GET per object.
    expect(lists).toBe(8);
    expect(dryRuns).toBe(desired.length);
    const offline = await planFromCluster(desired, { dryRun: false });
    expect(describeChanges(offline.plan)).toBe('');
    expect(plan.cluster?.kubeSystemUid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('the OpenAPI v3 documents are cached on disk by hashed URL, with what kubeplan derives from them beside them', async () => {
    const files = await readdir(cacheDir);
    expect(files.length).toBeGreaterThan(0);
    expect(files.every((f) => /^[0-9a-f]{64}(\.kubeplan-[a-z]+-[0-9a-f]{16})?\.json$/.test(f))).toBe(true);
    // The kind infos of each document the plan listed kinds of (the core group and apps at least).
    const derived = files.filter((f) => f.includes('.kubeplan-kindinfo-'));
    expect(derived.length).toBeGreaterThanOrEqual(2);
    for (const f of derived) expect(files).toContain(`${f.slice(0, 64)}.json`);
    const cache = new OpenApiCache(pc.client, cacheDir);
    await cache.document('apps/v1');
    expect(cache.fetched).toBe(1); // only the /openapi/v3 index; the document came from disk
  });

  it('a changed repo: updates, an immutable selector change as replace, a Secret change without its value, a prune by selector', async () => {
    const desired = manifestsOf(repo(2));
    const { plan } = await planFromCluster(desired, { pruneSelector: 'app.kubernetes.io/part-of=cycle' });
    const actions = Object.fromEntries(plan.changes.filter((c) => c.action !== 'noop').map((c) => [`${c.object.kind}/${c.object.name}`, c.action]));
    expect(actions).toEqual({ 'ConfigMap/cfg': 'update', 'Secret/sec': 'update', 'Deployment/web': 'update', 'Deployment/worker': 'replace', 'ConfigMap/legacy': 'delete' });
    const worker = plan.changes.find((c) => c.object.name === 'worker')!;
    expect(worker.reasons.join('\n')).toMatch(/spec\.selector/);
    const web = plan.changes.find((c) => c.object.name === 'web' && c.object.kind === 'Deployment')!;
    expect(web.changes.map((f) => f.path)).toEqual(['spec.template.spec.containers[name=web].image']);
    for (const out of [renderPlan(plan, 'text'), renderPlan(plan, 'json'), renderPlan(plan, 'markdown'), savePlan(plan)]) {
      for (const v of [SECRET_V1, SECRET_V2, Buffer.from(SECRET_V1).toString('base64'), Buffer.from(SECRET_V2).toString('base64')]) expect(out).not.toContain(v);
    }
  });

  it('after applying the plan (server-side apply; delete and create for the replace), a new plan shows no changes', async () => {
    const desired = manifestsOf(repo(2));
    const { plan } = await planFromCluster(desired, { pruneSelector: 'app.kubernetes.io/part-of=cycle' });
    for (const c of plan.changes) {
      const m = desired.find((d) => d.object.kind === c.object.kind && (d.object.metadata as { name: string }).name === c.object.name);
      if (c.action === 'delete') await pc.delete({ apiVersion: c.object.apiVersion, kind: c.object.kind, metadata: { name: c.object.name, ...(c.object.namespace ? { namespace: c.object.namespace } : {}) } });
      if (c.action === 'replace' && m) {
        await pc.delete(m.object);
        for (let i = 0; i < 100; i++) {
          const r = await pc.client.request('GET', await pc.path(m.object, 'default'));
          if (r.status === 404) break;
          await new Promise((res) => setTimeout(res, 100));
        }
      }
      if ((c.action === 'create' || c.action === 'update' || c.action === 'replace') && m) await pc.apply(m.object);
    }
    const again = await planFromCluster(desired, { pruneSelector: 'app.kubernetes.io/part-of=cycle' });
    expect(describeChanges(again.plan)).toBe('');
    const offline = await planFromCluster(desired, { dryRun: false, pruneSelector: 'app.kubernetes.io/part-of=cycle' });
    expect(describeChanges(offline.plan)).toBe('');
  });

  it('T16/T17: objects in a namespace that does not exist yet are planned as creates (no dry-run failure)', async () => {
    const desired = manifestsOf(`apiVersion: v1\nkind: Namespace\nmetadata: {name: plan-cycle-new}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: plan-cycle-new}\ndata: {a: "1"}\n`);
    const { plan } = await planFromCluster(desired);
    expect(plan.changes.map((c) => `${c.step} ${c.action} ${c.object.kind}`)).toEqual(['1 create Namespace', '2 create ConfigMap']);
    expect(plan.changes.flatMap((c) => c.warnings)).toEqual([]);
  });
});
