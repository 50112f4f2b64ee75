// The tricky cases of ../shared/research/gitops.md §10 that involve CRDs, against a real API server:
//   T21 the same object under another served apiVersion of its group and kind is an update (here: no change), not
//       a delete and a create;
//   T24 a CRD larger than 256 KiB plans and re-plans without failure (server-side apply keeps no last-applied copy);
//   T31 values equal to the schema's defaults, set explicitly in git, are no change; a field the structural schema
//       does not declare is refused by server-side apply (client-side apply would prune it), and the plan says so;
//   T44 a custom resource whose kind the cluster does not serve (and the repo has no CRD for) is reported as such.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Discovery, discover } from '../../src/cluster/discovery.ts';
import { OpenApiCache } from '../../src/cluster/openapi.ts';
import { type ClusterPlan, planFromCluster } from '../../src/cluster/plan.ts';
import type { JsonObject, Manifest } from '../../src/core/types.ts';
import { clusterBinDir, isCI, missingBinaries, missingBinariesMessage, startCluster, type Cluster } from './harness.ts';
import { describeChanges, manifestsOf, PlanCluster } from './plan-helpers.ts';

const missing = missingBinaries(clusterBinDir());
const skip = missing.length > 0 && !isCI();
if (skip) console.warn(`SKIPPED: ${missingBinariesMessage(clusterBinDir(), missing)}`);

const NS = 'crd-cases';
const GROUP = 'cases.kubeplan.dev';

/** A CRD with versions v1 and v2 (same schema, conversion None), a defaulted field, and `bulk` descriptions to reach `size` bytes. */
function crd(size = 0): JsonObject {
  const bulk: Record<string, JsonObject> = {};
  // Many documented properties, as generated CRDs have (kube-prometheus' Prometheus CRD is ~500 KiB).
  for (let i = 0; bulk && JSON.stringify(bulk).length < size; i++) bulk[`field${i}`] = { type: 'string', description: `Field ${i}. ${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(8)}` };
  const schema: JsonObject = {
    openAPIV3Schema: {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            replicas: { type: 'integer', default: 1 },
            mode: { type: 'string', default: 'auto' },
            allowEmpty: { type: 'boolean', default: false },
            size: { type: 'string' },
            ...bulk,
          },
        },
      },
    },
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `widgets.${GROUP}` },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [
        { name: 'v1', served: true, storage: true, schema },
        { name: 'v2', served: true, storage: false, schema },
      ],
    },
  };
}

function widget(version: 'v1' | 'v2', spec: JsonObject): JsonObject {
  return { apiVersion: `${GROUP}/${version}`, kind: 'Widget', metadata: { name: 'w', namespace: NS }, spec };
}

const ns: JsonObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } };
const asManifests = (objects: JsonObject[]): Manifest[] => manifestsOf(objects.map((o) => JSON.stringify(o)).join('\n---\n'));

describe.skipIf(skip)('CRD cases T21, T24, T31, T44 against a real API server', () => {
  let cluster: Cluster | undefined;
  let pc: PlanCluster;
  let work: string;

  const plan = (objects: JsonObject[]): Promise<ClusterPlan> =>
    planFromCluster({ client: pc.client, desired: asManifests(objects), settings: { defaultNamespace: 'default' }, openapi: new OpenApiCache(pc.client, path.join(work, 'openapi')) });

  async function waitEstablished(name: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const r = await pc.client.request<{ status?: { conditions?: { type: string; status: string }[] } }>('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
      if (r.body?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return;
      if (Date.now() > deadline) throw new Error(`CRD ${name} not Established`);
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'kubeplan-crd-cases-'));
    cluster = await startCluster({ nodes: 1 });
    pc = await PlanCluster.connect(cluster.kubeconfigPath);
    await pc.apply(ns);
  });
  afterAll(async () => {
    pc?.client.close();
    await cluster?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('T24: a CRD over 256 KiB applies, plans as no change, and a change to it is one update', async () => {
    const big = crd(300 * 1024);
    expect(JSON.stringify(big).length).toBeGreaterThan(256 * 1024);
    await pc.apply(big);
    await waitEstablished(`widgets.${GROUP}`);
    const stored = await pc.get(big);
    // Server-side apply keeps no last-applied copy of it (the annotation that breaks client-side apply at 256 KiB).
    expect(Object.keys((stored.metadata as { annotations?: object }).annotations ?? {})).not.toContain('kubectl.kubernetes.io/last-applied-configuration');

    const same = await plan([big]);
    expect(describeChanges(same.plan)).toBe('');
    const changed = structuredClone(big);
    ((changed.spec as { names: { shortNames?: string[] } }).names).shortNames = ['wd'];
    const update = await plan([changed]);
    expect(update.plan.changes.filter((c) => c.action !== 'noop').map((c) => `${c.action} ${c.key}`)).toEqual([`update apiextensions.k8s.io/CustomResourceDefinition//widgets.${GROUP}`]);
    expect(update.plan.changes.find((c) => c.action === 'update')?.changes.map((c) => c.path)).toEqual(['spec.names.shortNames']);
  });

  it('T31: values equal to the schema defaults, set explicitly in git, are no change', async () => {
    await pc.apply(widget('v1', { size: 'small' }));
    const p = await plan([widget('v1', { size: 'small', replicas: 1, mode: 'auto', allowEmpty: false })]);
    expect(describeChanges(p.plan)).toBe('');
    // A real change next to them is exactly that change.
    const changed = await plan([widget('v1', { size: 'large', replicas: 1, mode: 'auto', allowEmpty: false })]);
    expect(changed.plan.changes.find((c) => c.object.kind === 'Widget')?.changes.map((c) => `${c.op} ${c.path}`)).toEqual(['replace spec.size']);
  });

  it('T31, server-side apply: a field the structural schema does not declare is refused, not pruned, and the plan says so', async () => {
    // Client-side apply (Argo CD's default) lets the server prune it and shows no change; server-side apply, which
    // kubeplan plans for, fails the whole object: "field not declared in schema" (HTTP 500 from this server).
    await pc.apply(widget('v1', { size: 'small' }));
    const p = await plan([widget('v1', { size: 'small', legacyField: 'x' })]);
    const change = p.plan.changes.find((c) => c.object.kind === 'Widget');
    expect(change?.basis).toBe('offline');
    expect(change?.warnings.map((w) => w.message).join('\n')).toMatch(/server dry-run failed.*\.spec\.legacyField: field not declared in schema/);
  });

  it('T21: the same Widget under the other served version is the same object: no delete, no create', async () => {
    await pc.apply(widget('v1', { size: 'small' }));
    const p = await plan([widget('v2', { size: 'small' })]);
    expect(p.plan.changes.map((c) => c.action)).toEqual(['noop']);
    expect(p.plan.summary).toMatchObject({ create: 0, delete: 0 });
    const changed = await plan([widget('v2', { size: 'medium' })]);
    expect(changed.plan.changes.map((c) => `${c.action} ${c.key}`)).toEqual([`update ${GROUP}/Widget/${NS}/w`]);
  });

  it('T44: a custom resource of a kind the cluster does not serve, without its CRD in the repo, is said to be so', async () => {
    const gadget: JsonObject = { apiVersion: 'nowhere.kubeplan.dev/v1', kind: 'Gadget', metadata: { name: 'g', namespace: NS }, spec: {} };
    const p = await plan([gadget]);
    const change = p.plan.changes.find((c) => c.object.kind === 'Gadget');
    expect(change?.action).toBe('create');
    expect([...(change?.warnings ?? []), ...(change?.reasons ?? []), ...p.plan.live.notes].join('\n')).toMatch(/not served|unknown kind|no CRD/i);
  });

  it('discovery: the aggregated answer (two requests) is what the group-by-group lists give, custom resources included', async () => {
    await pc.apply(crd());
    await waitEstablished(`widgets.${GROUP}`);
    const aggregated = await discover(pc.client);
    const byGroup = await discover(pc.client, 4, { aggregated: false });
    expect(aggregated.requests).toBe(2);
    expect(byGroup.requests).toBeGreaterThan(10);
    // v2 is the preferred of the CRD's two served versions (Kubernetes version priority).
    expect(aggregated.byGroupKind.get(`${GROUP}/Widget`)).toEqual({ group: GROUP, version: 'v2', kind: 'Widget', resource: 'widgets', namespaced: true, verbs: expect.arrayContaining(['list', 'patch']) });
    expect(aggregated.byGroupKind.get('apps/Deployment')?.resource).toBe('deployments');
    expect(aggregated.byGroupKind.get('Namespace')?.namespaced).toBe(false);
    const sorted = (d: Discovery): unknown => ({
      kinds: [...d.byGroupKind].map(([k, r]) => [k, { ...r, verbs: [...r.verbs].sort() }]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      versions: [...d.versions].sort((a, b) => a[0].localeCompare(b[0])),
    });
    expect(sorted(aggregated)).toEqual(sorted(byGroup));
  });
});
