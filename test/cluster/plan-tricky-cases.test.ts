// The tricky diff cases of ../shared/research/gitops.md §10 against a real API server, one namespace each: set the
// cluster up as the case says (applied as kubeplan, changed by another field manager, controllers at work), plan
// the repo with the default policy (LISTs, offline plan, server-side dry-run of what changed), and check the
// outcome the research expects. Offline-only versions of these cases live in src/plan/*.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenApiCache } from '../../src/cluster/openapi.ts';
import { planFromCluster } from '../../src/cluster/plan.ts';
import type { JsonObject } from '../../src/core/types.ts';
import type { Plan, PlanChange, PlanSettings } from '../../src/plan/types.ts';
import { clusterBinDir, failureLogs, isCI, missingBinaries, missingBinariesMessage, startCluster, type Cluster } from './harness.ts';
import { manifestsOf, PlanCluster } from './plan-helpers.ts';

const missing = missingBinaries(clusterBinDir());
const skip = missing.length > 0 && !isCI();
if (skip) console.warn(`SKIPPED: ${missingBinariesMessage(clusterBinDir(), missing)}`);

const y = (objects: JsonObject[]): string => objects.map((o) => JSON.stringify(o)).join('\n---\n');
const deployment = (ns: string, name: string, spec: JsonObject = {}, meta: JsonObject = {}): JsonObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns, ...meta },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name, 'app.kubernetes.io/part-of': 'tricky' } }, spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.9' }] } },
    ...spec,
  },
});

describe.skipIf(skip)('tricky diff cases against a real API server', () => {
  let cluster: Cluster | undefined;
  let pc: PlanCluster;
  let work: string;
  const { check, printLogsIfFailed } = failureLogs();

  async function plan(objects: JsonObject[], settings: Partial<PlanSettings> = {}): Promise<Plan> {
    const desired = manifestsOf(y(objects));
    const r = await planFromCluster({ client: pc.client, desired, settings: { defaultNamespace: 'default', ...settings }, openapi: new OpenApiCache(pc.client, path.join(work, 'openapi')) });
    return r.plan;
  }
  const changeOf = (p: Plan, kind: string, name: string): PlanChange => {
    const c = p.changes.find((x) => x.object.kind === kind && x.object.name === name);
    if (!c) throw new Error(`no change for ${kind}/${name}: ${p.changes.map((x) => x.key).join(', ')}`);
    return c;
  };
  const fields = (c: PlanChange): string[] => c.changes.map((f) => `${f.op} ${f.path}`);
  /** Apply as another field manager (a person with kubectl, a controller): server-side apply, forced. */
  async function applyAs(manager: string, o: JsonObject): Promise<void> {
    const p = await pc.path(o, 'default');
    const r = await pc.client.request('PATCH', `${p}?fieldManager=${manager}&force=true`, { body: JSON.stringify(o), contentType: 'application/apply-patch+yaml' });
    if (r.status !== 200 && r.status !== 201) throw new Error(`apply as ${manager}: ${r.status} ${r.text}`);
  }
  async function namespace(name: string): Promise<string> {
    await pc.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    return name;
  }
  async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await fn();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'kubeplan-tricky-'));
    cluster = await startCluster({ nodes: 1 });
    pc = await PlanCluster.connect(cluster.kubeconfigPath);
  });
  afterAll(async () => {
    printLogsIfFailed(cluster);
    pc?.client.close();
    await cluster?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('T7: ports 53/TCP and 53/UDP; only the UDP targetPort changes: exactly that entry is updated', check(async () => {
    const ns = await namespace('t7');
    const svc = (udpTarget: number): JsonObject => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'dns', namespace: ns },
      spec: { selector: { app: 'dns' }, ports: [{ name: 'tcp', port: 53, protocol: 'TCP', targetPort: 5353 }, { name: 'udp', port: 53, protocol: 'UDP', targetPort: udpTarget }] },
    });
    await pc.apply(svc(5353));
    const c = changeOf(await plan([svc(5354)]), 'Service', 'dns');
    expect(c.action).toBe('update');
    expect(c.changes).toHaveLength(1);
    expect(c.changes[0]).toMatchObject({ op: 'replace', before: 5353, after: 5354 });
    expect(c.changes[0]?.path).toMatch(/UDP/);
  }));

  it('T10: an annotation added by hand (another field manager) is not removed; T11: a field of ours changed by hand is reverted', check(async () => {
    const ns = await namespace('t10');
    const d = deployment(ns, 'web');
    await pc.apply(d);
    await applyAs('kubectl-edit', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: ns, annotations: { 'team.example.com/owner': 'payments' } } });
    expect(changeOf(await plan([d]), 'Deployment', 'web').action).toBe('noop');

    // Someone sets the image by hand (forcing ownership of it away from kubeplan): the repo's image comes back.
    const drifted = structuredClone(d);
    ((drifted.spec as JsonObject).template as { spec: { containers: JsonObject[] } }).spec.containers[0]!.image = 'registry.k8s.io/pause:3.10';
    await applyAs('kubectl-edit', drifted);
    const c = changeOf(await plan([d]), 'Deployment', 'web');
    expect(c.action).toBe('update');
    expect(c.changes.map((f) => [f.path, f.before, f.after])).toEqual([['spec.template.spec.containers[name=app].image', 'registry.k8s.io/pause:3.10', 'registry.k8s.io/pause:3.9']]);
  }));

  it('T20 and T22: with a prune selector, objects of another owner and controller-created ReplicaSets and Pods are never pruned', check(async () => {
    const ns = await namespace('t20');
    const d = deployment(ns, 'web', {}, { labels: { 'app.kubernetes.io/part-of': 'tricky' } });
    await pc.apply(d);
    // Another tool's ConfigMap, with our label but owned (managed-by) by someone else, and a stale one of ours.
    await applyAs('helm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'theirs', namespace: ns, labels: { 'app.kubernetes.io/part-of': 'tricky', 'app.kubernetes.io/managed-by': 'Helm' } } });
    await pc.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stale', namespace: ns, labels: { 'app.kubernetes.io/part-of': 'tricky' } } });
    // The Deployment's ReplicaSet and Pod carry the selector's label too (from the template).
    await until('a running pod', async () => {
      const r = await pc.client.request<{ items?: { status?: { phase?: string } }[] }>('GET', `/api/v1/namespaces/${ns}/pods`);
      return r.body?.items?.some((p) => p.status?.phase === 'Running') ? true : undefined;
    });
    const p = await plan([d], { pruneSelector: 'app.kubernetes.io/part-of=tricky' });
    const deletes = p.changes.filter((c) => c.action === 'delete').map((c) => `${c.object.kind}/${c.object.name}`);
    expect(deletes).toEqual(['ConfigMap/stale']);
  }));

  it('T23: an object in the repo that is terminating (a finalizer holds it) is flagged, not planned as a plain no-op', check(async () => {
    const ns = await namespace('t23');
    const cm: JsonObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', namespace: ns, finalizers: ['kubeplan.dev/test-hold'] }, data: { a: '1' } };
    await pc.apply(cm);
    await pc.delete(cm);
    const c = changeOf(await plan([{ ...cm, metadata: { name: 'held', namespace: ns } }]), 'ConfigMap', 'held');
    expect([...c.reasons, ...c.warnings.map((w) => w.message)].join('\n')).toMatch(/terminat|being deleted|deletion/i);
    // Let it go.
    await pc.client.request('PATCH', `/api/v1/namespaces/${ns}/configmaps/held`, { body: JSON.stringify({ metadata: { finalizers: null } }), contentType: 'application/merge-patch+json' });
  }));

  it('T26: an aggregated ClusterRole, its rules filled in by the controller, is no change', check(async () => {
    const role: JsonObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'tricky-aggregate' },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'tricky.kubeplan.dev/aggregate': 'true' } }] },
    };
    await pc.apply({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'tricky-part', labels: { 'tricky.kubeplan.dev/aggregate': 'true' } }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] });
    await pc.apply(role);
    await until('aggregated rules', async () => ((((await pc.get(role)).rules as unknown[] | undefined) ?? []).length > 0 ? true : undefined));
    expect(changeOf(await plan([role]), 'ClusterRole', 'tricky-aggregate').action).toBe('noop');
  }));

  it('T28: a changed Job template is a replace (the template is immutable), with the field that forces it', check(async () => {
    const ns = await namespace('t28');
    const job = (arg: string): JsonObject => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: ns },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'registry.k8s.io/pause:3.9', args: [arg] }] } } },
    });
    await pc.apply(job('v1'));
    const c = changeOf(await plan([job('v2')]), 'Job', 'migrate');
    expect(c.action).toBe('replace');
    expect(c.reasons.join('\n')).toMatch(/template/);
  }));

  it('T30: empty annotations and resources in the repo against none live are no change', check(async () => {
    const ns = await namespace('t30');
    const d = deployment(ns, 'web');
    await pc.apply(d);
    const withEmpties = deployment(ns, 'web', {}, { annotations: {} });
    (((withEmpties.spec as JsonObject).template as { spec: { containers: JsonObject[] } }).spec.containers[0] as JsonObject).resources = {};
    expect(changeOf(await plan([withEmpties]), 'Deployment', 'web').action).toBe('noop');
  }));

  it('T32: HPA metrics in another order are no change', check(async () => {
    const ns = await namespace('t32');
    const metric = (name: string, target: number): JsonObject => ({ type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization: target } } });
    const hpa = (metrics: JsonObject[]): JsonObject => ({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: ns },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 3, metrics },
    });
    await pc.apply(hpa([metric('cpu', 70), metric('memory', 80)]));
    expect(changeOf(await plan([hpa([metric('memory', 80), metric('cpu', 70)])]), 'HorizontalPodAutoscaler', 'web').action).toBe('noop');
  }));

  it('T33: containers reordered in the repo only is an update flagged as a reorder; T34: an env var removed is removed', check(async () => {
    const ns = await namespace('t33');
    const two = (order: string[], env: JsonObject[]): JsonObject =>
      deployment(ns, 'web', {
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: order.map((name) => ({ name, image: 'registry.k8s.io/pause:3.9', env })) },
        },
      });
    const env = [{ name: 'A', value: '1' }, { name: 'B', value: '2' }];
    await pc.apply(two(['a', 'b'], env));
    const reordered = changeOf(await plan([two(['b', 'a'], env)]), 'Deployment', 'web');
    expect(reordered.action).toBe('update');
    expect(reordered.changes.map((f) => f.op)).toEqual(['reorder']);

    const removed = changeOf(await plan([two(['a', 'b'], [{ name: 'A', value: '1' }])]), 'Deployment', 'web');
    expect(removed.action).toBe('update');
    expect(fields(removed).sort()).toEqual(['remove spec.template.spec.containers[name=a].env[name=B]', 'remove spec.template.spec.containers[name=b].env[name=B]']);
  }));

  it('T40: a namespaced object without metadata.namespace pairs with the live object in the default namespace', check(async () => {
    const ns = await namespace('t40');
    const cm = (meta: JsonObject): JsonObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', ...meta }, data: { a: '1' } });
    await pc.apply(cm({ namespace: ns }));
    const p = await plan([cm({})], { defaultNamespace: ns });
    expect(p.changes.map((c) => `${c.action} ${c.key}`)).toEqual([`noop /ConfigMap/${ns}/settings`]);
  }));

  it('T45: a field another manager owns with another value is shown as a conflict', check(async () => {
    const ns = await namespace('t45');
    const cm = (value: string): JsonObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared', namespace: ns }, data: { level: value } });
    await applyAs('kustomize-controller', cm('debug'));
    const c = changeOf(await plan([cm('info')]), 'ConfigMap', 'shared');
    expect(c.action).toBe('update');
    expect(c.warnings.map((w) => w.rule)).toContain('field-conflict');
    expect(c.warnings.map((w) => w.message).join('\n')).toMatch(/kustomize-controller/);
  }));
});
