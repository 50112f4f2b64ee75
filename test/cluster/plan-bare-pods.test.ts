// Bare Pods from git against a real API server. What the server stores for them is more than its defaults:
// the ServiceAccount admission plugin adds `serviceAccountName: default` and a projected token volume
// `kube-api-access-<random>` with a read-only mount in every container and init container, DefaultTolerationSeconds
// adds the not-ready/unreachable NoExecute tolerations (300 s), Priority adds `priority: 0` and `preemptionPolicy`,
// and the scheduler sets `nodeName`. The offline normalization (used for objects not dry-run, for
// `--server-dry-run none` and for snapshot plans) must see all of that as equal to absent when the repo does not set
// it — with managedFields and without them (a plain `kubectl get -o yaml` snapshot) — and the server's own dry-run
// of the unchanged repo must agree. The Pods' own volumes, mounts and tolerations still compare.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenApiCache } from '../../src/cluster/openapi.ts';
import { planFromCluster, type ServerDryRunPolicy } from '../../src/cluster/plan.ts';
import type { JsonObject, Manifest } from '../../src/core/types.ts';
import type { Plan } from '../../src/plan/types.ts';
import { clusterBinDir, isCI, missingBinaries, missingBinariesMessage, startCluster, tail, type Cluster } from './harness.ts';
import { describeChanges, manifestsOf, PlanCluster, planAgainst, withoutOwnership } from './plan-helpers.ts';

const missing = missingBinaries(clusterBinDir());
const skip = missing.length > 0 && !isCI();
if (skip) console.warn(`SKIPPED: ${missingBinariesMessage(clusterBinDir(), missing)}`);

const NS = 'plan-pods';
const PAUSE = 'registry.k8s.io/pause:3.10';

function repo(opts: { image?: string; cfg?: string } = {}): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: bare, namespace: ${NS}}
spec:
  containers: [{name: c, image: "${opts.image ?? PAUSE}"}]
---
apiVersion: v1
kind: Pod
metadata: {name: no-token, namespace: ${NS}}
spec:
  automountServiceAccountToken: false
  containers: [{name: c, image: "${PAUSE}"}]
---
apiVersion: v1
kind: Pod
metadata: {name: own-volumes, namespace: ${NS}}
spec:
  serviceAccountName: runner
  tolerations: [{key: dedicated, operator: Equal, value: batch, effect: NoSchedule}]
  initContainers: [{name: init, image: "busybox:1.36", command: [sh, -c, "true"], volumeMounts: [{name: work, mountPath: /work}]}]
  containers:
    - name: c
      image: "${PAUSE}"
      volumeMounts: [{name: cfg, mountPath: /cfg}, {name: work, mountPath: /work}]
    - {name: d, image: "${PAUSE}"}
  volumes:
    - {name: cfg, configMap: {name: ${opts.cfg ?? 'cfg'}}}
    - {name: work, emptyDir: {}}
`;
}

describe.skipIf(skip)('bare Pods: what admission and the scheduler add is no diff (real API server)', () => {
  let cluster: Cluster | undefined;
  let pc: PlanCluster;
  let cacheDir: string;
  let failed = false;
  const live: JsonObject[] = [];

  async function clusterPlan(desired: Manifest[], serverDryRun: ServerDryRunPolicy): Promise<{ plan: Plan; dryRuns: number }> {
    const r = await planFromCluster({ client: pc.client, desired, settings: { defaultNamespace: NS }, serverDryRun, openapi: new OpenApiCache(pc.client, cacheDir) });
    return { plan: r.plan, dryRuns: r.serverDryRun.checked };
  }

  function noChanges(plan: Plan, label: string): void {
    try {
      expect(describeChanges(plan), label).toBe('');
      expect(plan.changes.every((c) => c.action === 'noop'), label).toBe(true);
    } catch (e) {
      failed = true;
      throw e;
    }
  }

  beforeAll(async () => {
    cluster = await startCluster({ nodes: 1 });
    pc = await PlanCluster.connect(cluster.kubeconfigPath);
    cacheDir = await mkdtemp(path.join(os.tmpdir(), 'kubeplan-openapi-'));
    await pc.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    await pc.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'runner', namespace: NS } });
    for (const m of manifestsOf(repo())) await pc.apply(m.object, NS);
    // Read them back once the scheduler has bound them (nodeName) and kwok has started them.
    for (const m of manifestsOf(repo())) {
      let o = await pc.get(m.object, NS);
      for (let i = 0; i < 100 && (typeof (o.spec as { nodeName?: string }).nodeName !== 'string' || (o.status as { phase?: string } | undefined)?.phase !== 'Running'); i++) {
        await new Promise((r) => setTimeout(r, 100));
        o = await pc.get(m.object, NS);
      }
      live.push(o);
    }
  });
  afterAll(async () => {
    if (cluster && failed) console.error(tail(cluster.logs(), 60));
    pc?.client.close();
    await cluster?.stop();
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  });

  it('the server stores what the admission plugins and the scheduler add (the facts the normalization rests on)', () => {
    const [bare, noToken, own] = live as [JsonObject, JsonObject, JsonObject];
    type PodSpec = { volumes?: { name: string; projected?: { sources: JsonObject[] } }[]; containers: { name: string; volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[] }[]; initContainers?: { volumeMounts?: { name: string; mountPath: string }[] }[]; tolerations?: JsonObject[]; [k: string]: unknown };
    const b = bare.spec as PodSpec;
    const token = b.volumes?.find((v) => v.name.startsWith('kube-api-access-'));
    expect(token?.projected?.sources.map((s) => Object.keys(s)[0])).toEqual(['serviceAccountToken', 'configMap', 'downwardAPI']);
    expect(b.containers[0]?.volumeMounts).toEqual([{ name: token?.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
    expect(b).toMatchObject({ serviceAccountName: 'default', serviceAccount: 'default', priority: 0, preemptionPolicy: 'PreemptLowerPriority', enableServiceLinks: true, nodeName: expect.stringMatching(/^kwok-node-/) });
    // None of it is owned by a field manager: kubeplan's Apply entry is the repo's containers, the rest is kwok's status.
    const managed = (bare.metadata as { managedFields: { manager: string; operation: string; subresource?: string; fieldsV1: JsonObject }[] }).managedFields;
    expect(managed.map((e) => `${e.manager} ${e.operation} ${e.subresource ?? ''}`.trim())).toEqual(['kubeplan Apply', 'kwok Update status']);
    expect(managed[0]?.fieldsV1).toEqual({ 'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } });
    expect(b.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    // automountServiceAccountToken: false: no volume, no mount.
    const n = noToken.spec as PodSpec;
    expect(n.volumes).toBeUndefined();
    expect(n.containers[0]?.volumeMounts).toBeUndefined();
    // Own volumes: the token volume is appended after them, its mount after the container's own; the default
    // tolerations after the Pod's own.
    const o = own.spec as PodSpec;
    expect(o.volumes?.map((v) => v.name)).toEqual(['cfg', 'work', expect.stringMatching(/^kube-api-access-/)]);
    expect(o.containers.map((c) => (c.volumeMounts ?? []).map((m) => m.mountPath))).toEqual([['/cfg', '/work', '/var/run/secrets/kubernetes.io/serviceaccount'], ['/var/run/secrets/kubernetes.io/serviceaccount']]);
    expect(o.initContainers?.[0]?.volumeMounts?.map((m) => m.mountPath)).toEqual(['/work', '/var/run/secrets/kubernetes.io/serviceaccount']);
    expect(o.tolerations?.map((t) => t.key)).toEqual(['dedicated', 'node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);
    expect(o.serviceAccountName).toBe('runner');
  });

  it('an offline plan of the unchanged repo against what the server stored is a noop, with and without managedFields', () => {
    const desired = manifestsOf(repo());
    noChanges(planAgainst(desired, live, { defaultNamespace: NS }), 'with managedFields');
    noChanges(planAgainst(desired, live.map(withoutOwnership), { defaultNamespace: NS }), 'without managedFields (two-way)');
  });

  it.each(['none', 'changed', 'all'] as const)('kubeplan plan --server-dry-run %s of the unchanged repo: no changes', async (policy) => {
    const { plan, dryRuns } = await clusterPlan(manifestsOf(repo()), policy);
    noChanges(plan, policy);
    // changed: the offline plan found nothing to send; all: the server's own dry-run (a pod update) agrees.
    expect(dryRuns).toBe(policy === 'all' ? 3 : 0);
    if (policy === 'all') expect(plan.changes.every((c) => c.basis === 'dry-run')).toBe(true);
  });

  it('a new image is exactly one update (offline and dry-run); a changed volume of the Pod\'s own still compares (replace)', async () => {
    const desired = manifestsOf(repo({ image: 'registry.k8s.io/pause:3.9', cfg: 'cfg2' }));
    for (const policy of ['none', 'changed'] as const) {
      const { plan } = await clusterPlan(desired, policy);
      const bare = plan.changes.find((c) => c.object.name === 'bare')!;
      const own = plan.changes.find((c) => c.object.name === 'own-volumes')!;
      try {
        expect(bare.action, policy).toBe('update');
        expect(bare.changes.map((f) => `${f.path}: ${String(f.before)} → ${String(f.after)}`), policy).toEqual([`spec.containers[name=c].image: ${PAUSE} → registry.k8s.io/pause:3.9`]);
        expect(own.action, policy).toBe('replace');
        expect(own.changes.map((f) => f.path), policy).toEqual(['spec.volumes[name=cfg].configMap.name']);
        expect(plan.changes.find((c) => c.object.name === 'no-token')?.action, policy).toBe('noop');
      } catch (e) {
        failed = true;
        console.error(`${policy}:\n${describeChanges(plan)}\n${plan.changes.flatMap((c) => c.warnings.map((w) => w.message)).join('\n')}`);
        throw e;
      }
    }
  });
});
