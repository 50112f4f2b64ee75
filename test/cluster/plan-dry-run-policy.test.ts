// `kubeplan plan --server-dry-run changed|all|none` against a real API server. `changed` (the default) plans
// offline from the LISTs, dry-runs only the objects that offline plan creates, updates or replaces, and plans again:
// it must make exactly one dry-run per changed object and give the same plan as `all` (same actions, reasons,
// patches, field changes, warnings and steps), including a replace that only the server's dry-run reveals.
// `none` makes no dry-run at all.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenApiCache } from '../../src/cluster/openapi.ts';
import { type ClusterPlan, planFromCluster, type ServerDryRunPolicy } from '../../src/cluster/plan.ts';
import type { Manifest } from '../../src/core/types.ts';
import type { Plan } from '../../src/plan/types.ts';
import buildOnce from '../setup/build-once.ts';
import { clusterBinDir, failureLogs, isCI, missingBinaries, missingBinariesMessage, startCluster, type Cluster } from './harness.ts';
import type { CliResult } from '../cli/run-cli.ts';
import { describeChanges, manifestsOf, PlanCluster, runKubeplan } from './plan-helpers.ts';

const missing = missingBinaries(clusterBinDir());
const skip = missing.length > 0 && !isCI();
if (skip) console.warn(`SKIPPED: ${missingBinariesMessage(clusterBinDir(), missing)}`);

const root = fileURLToPath(new URL('../..', import.meta.url));
const NS = 'plan-policy';
const CONFIGS = 16;
const SECRETS = 6;
const APPS = 4;

/**
 * The repo: a Namespace, ConfigMaps, Secrets, ServiceAccounts, Deployments with Services, and a (cluster-scoped)
 * hostPath PersistentVolume. v2 changes some of them: values, an image, a Deployment's selector (immutable: offline
 * and server both say replace), the PersistentVolume's source (immutable, and only the server says so: the offline
 * table of immutable fields has no PersistentVolume), a Service annotation, and one new ConfigMap.
 */
function repo(v: 1 | 2): { yaml: string; changed: string[] } {
  const docs: string[] = [`apiVersion: v1\nkind: Namespace\nmetadata: {name: ${NS}}`];
  const changed: string[] = [];
  for (let i = 0; i < CONFIGS; i++) {
    const change = v === 2 && i % 5 === 0;
    if (change) changed.push(`ConfigMap/config-${i}`);
    docs.push(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: config-${i}, namespace: ${NS}}\ndata: {LOG_LEVEL: ${change ? 'debug' : 'info'}, TTL: "${60 + i}"}`);
  }
  for (let i = 0; i < SECRETS; i++) {
    const change = v === 2 && i === 2;
    if (change) changed.push(`Secret/secret-${i}`);
    docs.push(`apiVersion: v1\nkind: Secret\nmetadata: {name: secret-${i}, namespace: ${NS}}\nstringData: {password: policy-${i}${change ? '-rotated' : ''}}`);
  }
  for (let i = 0; i < APPS; i++) {
    const image = v === 2 && i === 1;
    const selector = v === 2 && i === 3;
    if (image || selector) changed.push(`Deployment/app-${i}`);
    const labels = selector ? `{app: app-${i}, track: stable}` : `{app: app-${i}}`;
    docs.push(`apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app-${i}, namespace: ${NS}}`);
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: {name: app-${i}, namespace: ${NS}}
spec:
  replicas: 1
  selector: {matchLabels: ${labels}}
  template:
    metadata: {labels: ${labels}}
    spec:
      serviceAccountName: app-${i}
      containers: [{name: main, image: "registry.k8s.io/pause:${image ? '3.10' : '3.9'}", ports: [{name: http, containerPort: 8080}], resources: {requests: {cpu: 50m, memory: 32Mi}}}]`);
    const annotate = v === 2 && i === 0;
    if (annotate) changed.push(`Service/app-${i}`);
    docs.push(`apiVersion: v1\nkind: Service\nmetadata: {name: app-${i}, namespace: ${NS}${annotate ? ', annotations: {policy.kubeplan.dev/revision: "2"}' : ''}}\nspec:\n  selector: {app: app-${i}}\n  ports: [{name: http, port: 80, targetPort: http}]`);
  }
  docs.push(`apiVersion: v1
kind: PersistentVolume
metadata: {name: plan-policy-pv}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: manual
  hostPath: {path: /tmp/plan-policy-${v === 2 ? 'b' : 'a'}}`);
  if (v === 2) changed.push('PersistentVolume/plan-policy-pv');
  if (v === 2) {
    docs.push(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: config-new, namespace: ${NS}}\ndata: {A: "1"}`);
    changed.push('ConfigMap/config-new');
  }
  return { yaml: `${docs.join('\n---\n')}\n`, changed: changed.sort() };
}

/**
 * What must be equal between two plans of the same input: everything but salts, clock, the basis (noops differ by
 * design) and the live resourceVersion (controllers keep writing status — Deployments, the PersistentVolume's
 * phase — between the two plans; the uid is compared).
 */
function comparable(p: Plan): unknown {
  return {
    summary: p.summary,
    steps: p.steps,
    warnings: p.warnings,
    changes: p.changes.map((c) => ({ key: c.key, action: c.action, step: c.step, reasons: c.reasons, warnings: c.warnings, patch: c.patch, changes: c.changes, uid: c.live?.uid })),
  };
}

function changedObjects(p: Plan): string[] {
  return p.changes
    .filter((c) => c.action !== 'noop')
    .map((c) => `${c.object.kind}/${c.object.name}`)
    .sort();
}

describe.skipIf(skip)('--server-dry-run: which objects the API server checks', () => {
  let cluster: Cluster | undefined;
  let pc: PlanCluster;
  let work: string;
  const { check, printLogsIfFailed } = failureLogs();

  function plan(desired: Manifest[], serverDryRun: ServerDryRunPolicy): Promise<ClusterPlan> {
    return planFromCluster({ client: pc.client, desired, settings: { defaultNamespace: 'default' }, serverDryRun, openapi: new OpenApiCache(pc.client, path.join(work, 'openapi')) });
  }

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'kubeplan-plan-policy-'));
    cluster = await startCluster({ nodes: 1 });
    pc = await PlanCluster.connect(cluster.kubeconfigPath);
    for (const m of manifestsOf(repo(1).yaml)) await pc.apply(m.object);
    // Selector-impact warnings name the running pods: wait until each Deployment has its one pod, Running, so two
    // plans a moment apart see the same pods.
    const deadline = Date.now() + 90_000;
    for (;;) {
      const r = await pc.client.request<{ items?: { metadata: { name: string; deletionTimestamp?: string }; status?: { phase?: string } }[] }>('GET', `/api/v1/namespaces/${NS}/pods`);
      const pods = r.body?.items ?? [];
      if (pods.length === APPS && pods.every((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp)) break;
      if (Date.now() > deadline) throw new Error(`pods of ${NS} did not settle: ${pods.map((p) => `${p.metadata.name} ${p.status?.phase}`).join(', ')}`);
      await new Promise((res) => setTimeout(res, 250));
    }
  });
  afterAll(async () => {
    printLogsIfFailed(cluster);
    pc?.client.close();
    await cluster?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the applied repo: changed makes no dry-run and plans no change; all checks every object and agrees', check(async () => {
    const desired = manifestsOf(repo(1).yaml);
    const changed = await plan(desired, 'changed');
    expect(describeChanges(changed.plan)).toBe('');
    expect(changed.live.requests.dryRun).toBe(0);
    expect(changed.plan.changes.every((c) => c.basis === 'offline')).toBe(true);
    expect(changed.plan.live.notes).toContain(`server dry-run: changed: 0 changed object(s) checked by the server, ${desired.length} unchanged planned offline`);
    const all = await plan(desired, 'all');
    expect(describeChanges(all.plan)).toBe('');
    expect(all.live.requests.dryRun).toBe(desired.length);
    expect(all.plan.changes.every((c) => c.basis === 'dry-run')).toBe(true);
    expect(comparable(changed.plan)).toEqual(comparable(all.plan));
  }));

  it('k changed of N: changed makes exactly k dry-runs and gives the plan all gives (N dry-runs)', check(async () => {
    const { yaml, changed: expected } = repo(2);
    const desired = manifestsOf(yaml);
    const k = expected.length;
    const changed = await plan(desired, 'changed');
    const all = await plan(desired, 'all');
    expect(changedObjects(changed.plan)).toEqual(expected);
    expect(changed.live.requests.dryRun).toBe(k);
    expect(changed.serverDryRun).toEqual({ policy: 'changed', checked: k, unchecked: desired.length - k, offlineChanged: k });
    expect(all.live.requests.dryRun).toBe(desired.length);
    expect(changed.live.requests.list).toBe(all.live.requests.list);
    // The changed objects are planned on the server's result (or, for the immutable ones it refused, on its refusal).
    for (const c of changed.plan.changes) {
      if (c.action === 'noop') expect(c.basis, c.key).toBe('offline');
      else if (c.action !== 'replace') expect(c.basis, c.key).toBe('dry-run');
    }
    expect(comparable(changed.plan)).toEqual(comparable(all.plan));
    expect(changed.plan.live.notes).toContain(`server dry-run: changed: ${k} changed object(s) checked by the server, ${desired.length - k} unchanged planned offline`);
    expect(all.plan.live.notes).toContain(`server dry-run: all: ${desired.length} of ${desired.length} object(s) checked by the server`);
  }));

  it('immutable fields under changed: the selector change and the PersistentVolume source (server-only) are replaces with the server\'s reason', check(async () => {
    const desired = manifestsOf(repo(2).yaml);
    const changed = await plan(desired, 'changed');
    const none = await plan(desired, 'none');
    const byName = (p: Plan, kind: string, name: string) => p.changes.find((c) => c.object.kind === kind && c.object.name === name)!;

    const selector = byName(changed.plan, 'Deployment', 'app-3');
    expect(selector.action).toBe('replace');
    expect(selector.reasons.some((r) => r.startsWith('server dry-run:') && /spec\.selector/.test(r) && /immutable/.test(r)), selector.reasons.join('\n')).toBe(true);

    const pv = byName(changed.plan, 'PersistentVolume', 'plan-policy-pv');
    expect(pv.action).toBe('replace');
    expect(pv.reasons.some((r) => r.startsWith('server dry-run:') && /immutable/.test(r)), pv.reasons.join('\n')).toBe(true);
    // Offline, the same change is an update: only the dry-run tells it needs a replace. (If the offline table ever
    // learns PersistentVolume sources, this line is what changes; the replace above must stay.)
    expect(byName(none.plan, 'PersistentVolume', 'plan-policy-pv').action).toBe('update');
  }));

  it('none makes no dry-run: every object planned offline', check(async () => {
    const { yaml, changed: expected } = repo(2);
    const desired = manifestsOf(yaml);
    const none = await plan(desired, 'none');
    expect(none.live.requests.dryRun).toBe(0);
    expect(none.plan.changes.every((c) => c.basis === 'offline')).toBe(true);
    expect(changedObjects(none.plan)).toEqual(expected);
    expect(none.plan.live.notes).toContain(`server dry-run: none: all ${desired.length} object(s) planned offline from the LISTs`);
  }));

  it('the CLI: --server-dry-run changed by default, all and none, the note in the plan; --live with it is a usage error', check(async () => {
    buildOnce();
    const dir = path.join(work, 'repo-v2');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'repo.yaml'), repo(2).yaml);
    const desiredCount = manifestsOf(repo(2).yaml).length;
    const k = repo(2).changed.length;
    const run = (args: string[]): Promise<CliResult> => runKubeplan(['plan', dir, ...args], { cwd: root, cacheDir: path.join(work, 'cache') });
    const kube = ['--kubeconfig', cluster!.kubeconfigPath];

    const text = await run([...kube, '--detailed-exitcode']);
    expect(text.status, text.stdout + text.stderr).toBe(2);
    expect(text.stdout).toContain(`Note: server dry-run: changed: ${k} changed object(s) checked by the server, ${desiredCount - k} unchanged planned offline`);

    const sets: Record<string, string[]> = {};
    for (const policy of ['changed', 'all', 'none'] as const) {
      const r = await run([...kube, '--server-dry-run', policy, '-o', 'json']);
      expect(r.status, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as { live: { notes: string[] }; changes: { action: string; object: { kind: string; name: string } }[] };
      expect(doc.live.notes.some((n) => n.startsWith(`server dry-run: ${policy}:`)), doc.live.notes.join('\n')).toBe(true);
      sets[policy] = doc.changes.filter((c) => c.action !== 'noop').map((c) => `${c.action} ${c.object.kind}/${c.object.name}`).sort();
    }
    expect(sets.changed).toEqual(sets.all);
    expect(sets.none?.length).toBe(sets.all?.length);

    const bad = await run(['--live', path.join(dir, 'repo.yaml'), '--server-dry-run', 'all']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('kubeplan: --server-dry-run needs a cluster as the live state');
    const badChoice = await run([...kube, '--server-dry-run', 'some']);
    expect(badChoice.status).toBe(2);
    expect(badChoice.stderr).toMatch(/argument 'some' is invalid\. Allowed choices are changed, all, none/);
  }));
});
