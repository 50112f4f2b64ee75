// T29 against a real API server and a real mutating admission webhook. The webhook is an HTTPS server in this test
// process on 127.0.0.1 (webhook.ts: openssl-made CA and serving cert, AdmissionReview v1), registered with a
// MutatingWebhookConfiguration that the API server calls for Deployments labelled kubeplan.dev/webhook-test=mirror,
// on CREATE and UPDATE, dry-runs included. Like a registry mirror plus a sidecar injector, it:
//   - rewrites every container image to mirror.kubeplan.test/… (a field the repo sets and kubeplan owns),
//   - adds the annotation mirror.kubeplan.dev/rewritten: "true" and the pod-template label mirror.kubeplan.dev/injected,
//   - injects (or upgrades) a sidecar container `mirror-proxy`,
//   - stamps the annotation mirror.kubeplan.dev/admitted with a counter that changes on every request: the kind of
//     mutation that makes a server-side-dry-run plan differ from live forever.
// By default the plan leaves out what the webhook changes in fields no field manager owns (noop for the unchanged
// repo); with includeWebhookMutations it shows exactly those fields; a change in the repo shows the repo's change
// and not the webhook's.
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenApiCache } from '../../src/cluster/openapi.ts';
import { planFromCluster, type ServerDryRunPolicy } from '../../src/cluster/plan.ts';
import type { JsonObject, Manifest } from '../../src/core/types.ts';
import { renderPlan } from '../../src/plan/render/index.ts';
import type { Plan, PlanChange } from '../../src/plan/types.ts';
import buildOnce from '../setup/build-once.ts';
import { clusterBinDir, isCI, missingBinaries, missingBinariesMessage, startCluster, tail, type Cluster } from './harness.ts';
import type { CliResult } from '../cli/run-cli.ts';
import { describeChanges, manifestsOf, PlanCluster, runKubeplan } from './plan-helpers.ts';
import { type PatchOp, pointerToken, type ReviewRequest, startWebhook, type Webhook } from './webhook.ts';

const missing = missingBinaries(clusterBinDir());
const skip = missing.length > 0 && !isCI();
if (skip) console.warn(`SKIPPED: ${missingBinariesMessage(clusterBinDir(), missing)}`);

const NS = 'plan-webhook';
const MIRROR = 'mirror.kubeplan.test/';
const SELECTOR = { 'kubeplan.dev/webhook-test': 'mirror' };
const STAMP = 'metadata.annotations["mirror.kubeplan.dev/admitted"]';
const SIDECAR_IMAGE = 'spec.template.spec.containers[name=mirror-proxy].image';

interface PodTemplateSpec {
  containers: { name: string; image: string }[];
}

/** The webhook's mutation: JSONPatch ops for a Deployment (AdmissionReview object). */
function mirrorMutation(state: { sidecar: string; requests: number }): (req: ReviewRequest) => PatchOp[] {
  return (req) => {
    const o = req.object as { metadata: { annotations?: Record<string, string> }; spec: { template: { metadata: { labels?: Record<string, string> }; spec: PodTemplateSpec } } };
    state.requests++;
    const ops: PatchOp[] = [];
    const containers = o.spec.template.spec.containers;
    containers.forEach((c, i) => {
      if (c.name === 'mirror-proxy') {
        if (c.image !== `${MIRROR}proxy:${state.sidecar}`) ops.push({ op: 'replace', path: `/spec/template/spec/containers/${i}/image`, value: `${MIRROR}proxy:${state.sidecar}` });
      } else if (!c.image.startsWith(MIRROR)) ops.push({ op: 'replace', path: `/spec/template/spec/containers/${i}/image`, value: `${MIRROR}${c.image}` });
    });
    if (!containers.some((c) => c.name === 'mirror-proxy')) ops.push({ op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'mirror-proxy', image: `${MIRROR}proxy:${state.sidecar}` } });
    if (!o.metadata.annotations) ops.push({ op: 'add', path: '/metadata/annotations', value: {} });
    ops.push({ op: 'add', path: `/metadata/annotations/${pointerToken('mirror.kubeplan.dev/rewritten')}`, value: 'true' });
    ops.push({ op: 'add', path: `/metadata/annotations/${pointerToken('mirror.kubeplan.dev/admitted')}`, value: String(state.requests) });
    if (!o.spec.template.metadata.labels) ops.push({ op: 'add', path: '/spec/template/metadata/labels', value: {} });
    ops.push({ op: 'add', path: `/spec/template/metadata/labels/${pointerToken('mirror.kubeplan.dev/injected')}`, value: 'yes' });
    return ops;
  };
}

function repo(v: 1 | 2, extra = ''): string {
  return `apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: ${NS}}
data: {MODE: "${v === 1 ? 'one' : 'two'}"}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${NS}
  labels: {kubeplan.dev/webhook-test: mirror}
spec:
  replicas: ${v === 1 ? 1 : 2}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: registry.k8s.io/pause:${v === 1 ? '3.9' : '3.10'}
${v === 2 ? '          env: [{name: MODE, value: two}]\n' : ''}${extra}`;
}

const API = `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: ${NS}
  labels: {kubeplan.dev/webhook-test: mirror}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: "registry.k8s.io/pause:3.10"}]}
`;

function fieldsOf(c: PlanChange | undefined): string[] {
  return (c?.changes ?? []).map((f) => `${f.op} ${f.path}`);
}

describe.skipIf(skip)('T29: a real mutating admission webhook, planned with and without its mutations', () => {
  let cluster: Cluster | undefined;
  let pc: PlanCluster;
  let hook: Webhook;
  let cacheDir: string;
  let failed = false;
  const state = { sidecar: '1.0', requests: 0 };

  async function plan(desired: Manifest[], opts: { include?: boolean; policy?: ServerDryRunPolicy } = {}): Promise<Plan> {
    const r = await planFromCluster({
      client: pc.client,
      desired,
      settings: { defaultNamespace: NS, ...(opts.include !== undefined ? { includeWebhookMutations: opts.include } : {}) },
      serverDryRun: opts.policy ?? 'changed',
      openapi: new OpenApiCache(pc.client, cacheDir),
    });
    return r.plan;
  }

  const web = (p: Plan): PlanChange | undefined => p.changes.find((c) => c.object.kind === 'Deployment' && c.object.name === 'web');

  /** Run a test body; on failure print the plans it made and the components' logs. */
  function check(fn: (seen: Plan[]) => Promise<void>): () => Promise<void> {
    return async () => {
      const seen: Plan[] = [];
      try {
        await fn(seen);
      } catch (e) {
        failed = true;
        for (const p of seen) console.error(`${describeChanges(p)}\n${JSON.stringify(p.changes.map((c) => c.admission ?? null))}\n${p.live.notes.join('\n')}`);
        throw e;
      }
    };
  }

  beforeAll(async () => {
    cluster = await startCluster({ nodes: 1 });
    pc = await PlanCluster.connect(cluster.kubeconfigPath);
    cacheDir = await mkdtemp(path.join(os.tmpdir(), 'kubeplan-openapi-'));
    hook = await startWebhook(mirrorMutation(state));
    await pc.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    await pc.apply({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'kubeplan-test-mirror' },
      webhooks: [
        {
          name: 'mirror.kubeplan.dev',
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          failurePolicy: 'Fail',
          timeoutSeconds: 5,
          clientConfig: { url: hook.url, caBundle: hook.caBundle },
          objectSelector: { matchLabels: SELECTOR },
          rules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] }],
        },
      ],
    });
    // The API server picks the configuration up asynchronously: wait until a dry-run create is mutated.
    const probe = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'probe', namespace: NS, labels: SELECTOR }, spec: { selector: { matchLabels: { app: 'probe' } }, template: { metadata: { labels: { app: 'probe' } }, spec: { containers: [{ name: 'p', image: 'registry.k8s.io/pause:3.10' }] } } } };
    for (let i = 0; ; i++) {
      const r = await pc.client.request<JsonObject>('PATCH', `/apis/apps/v1/namespaces/${NS}/deployments/probe?dryRun=All&fieldManager=probe`, { body: JSON.stringify(probe), contentType: 'application/apply-patch+yaml' });
      if (JSON.stringify(r.body).includes('mirror.kubeplan.dev/admitted')) break;
      if (i > 100) throw new Error(`the webhook is not called: ${r.status} ${JSON.stringify(r.body)}`);
      await new Promise((res) => setTimeout(res, 100));
    }
    for (const m of manifestsOf(repo(1))) await pc.apply(m.object, NS);
  });
  afterAll(async () => {
    if (cluster && failed) console.error(tail(cluster.logs(), 60));
    pc?.client.close();
    await hook?.stop();
    await cluster?.stop();
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  });

  it('the API server calls the webhook on 127.0.0.1, for dry-runs too; its additions are owned by no field manager, the image it rewrote stays ours', check(async () => {
    const live = await pc.get({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS } });
    const spec = (live.spec as unknown as { template: { metadata: { labels: Record<string, string> }; spec: PodTemplateSpec } }).template;
    expect(spec.spec.containers.map((c) => `${c.name}=${c.image}`)).toEqual([`web=${MIRROR}registry.k8s.io/pause:3.9`, `mirror-proxy=${MIRROR}proxy:1.0`]);
    expect(spec.metadata.labels['mirror.kubeplan.dev/injected']).toBe('yes');
    expect((live.metadata as { annotations: Record<string, string> }).annotations).toMatchObject({ 'mirror.kubeplan.dev/rewritten': 'true', 'mirror.kubeplan.dev/admitted': expect.any(String) });
    expect(hook.reviews.some((r) => r.name === 'web' && r.operation === 'CREATE' && r.dryRun === false)).toBe(true);

    const answer = (await pc.client.request<JsonObject>('PATCH', `/apis/apps/v1/namespaces/${NS}/deployments/web?dryRun=All&fieldManager=kubeplan`, { body: JSON.stringify(manifestsOf(repo(1))[1]!.object), contentType: 'application/apply-patch+yaml' })).body;
    expect(hook.reviews.at(-1)).toMatchObject({ name: 'web', operation: 'UPDATE', dryRun: true });
    // An update by another manager (kubectl edit) goes through the webhook too, and takes over none of its fields.
    const edited = await pc.client.request<JsonObject>('PATCH', `/apis/apps/v1/namespaces/${NS}/deployments/web?fieldManager=editor`, { body: JSON.stringify({ metadata: { labels: { edited: 'yes' } } }), contentType: 'application/merge-patch+json' });
    expect(edited.status).toBe(200);
    expect(hook.reviews.at(-1)).toMatchObject({ name: 'web', operation: 'UPDATE', dryRun: false });
    const editor = (edited.body.metadata as { managedFields: { manager: string; fieldsV1: JsonObject }[] }).managedFields.find((e) => e.manager === 'editor');
    expect(editor?.fieldsV1).toEqual({ 'f:metadata': { 'f:labels': { 'f:edited': {} } } });
    for (const o of [live, answer, edited.body]) {
      const managed = (o.metadata as { managedFields: { manager: string; operation: string; fieldsV1: JsonObject }[] }).managedFields;
      const ours = managed.find((e) => e.manager === 'kubeplan' && e.operation === 'Apply');
      const containers = ((ours?.fieldsV1['f:spec'] as JsonObject)['f:template'] as { 'f:spec': { 'f:containers': JsonObject } })['f:spec']['f:containers'];
      expect(Object.keys(containers)).toEqual(['k:{"name":"web"}']);
      expect(Object.keys(containers['k:{"name":"web"}'] as JsonObject)).toContain('f:image');
      const all = JSON.stringify(managed);
      for (const added of ['mirror.kubeplan.dev/rewritten', 'mirror.kubeplan.dev/admitted', 'mirror.kubeplan.dev/injected', 'mirror-proxy']) expect(all).not.toContain(added);
    }
  }));

  it('the unchanged repo: noop by default (the stamp left out and listed); includeWebhookMutations: an update of exactly the stamp', check(async (seen) => {
    const desired = manifestsOf(repo(1));
    const byDefault = await plan(desired);
    seen.push(byDefault);
    expect(describeChanges(byDefault)).toBe('');
    expect(web(byDefault)).toMatchObject({ action: 'noop', basis: 'dry-run', admission: { included: false, mutated: [STAMP] } });
    expect(web(byDefault)?.admission?.rewritten).toEqual([{ path: 'spec.template.spec.containers[name=web].image', repo: 'registry.k8s.io/pause:3.9', server: `${MIRROR}registry.k8s.io/pause:3.9` }]);
    expect(byDefault.changes.find((c) => c.object.kind === 'ConfigMap')?.admission).toBeUndefined();
    expect(byDefault.live.notes.join('\n')).toMatch(/admission: .* in 1 object\(s\); left out of the plan/);

    const included = await plan(desired, { include: true });
    seen.push(included);
    expect(web(included)?.action).toBe('update');
    expect(fieldsOf(web(included))).toEqual([`replace ${STAMP}`]);
    expect(web(included)?.changes[0]?.note).toBe('admission mutation: no field manager owns this field');
    expect(included.changes.filter((c) => c.action !== 'noop').length).toBe(1);
  }));

  it('the injector upgrades its sidecar: still noop by default (all objects dry-run too); included, exactly the stamp and the sidecar image', check(async (seen) => {
    state.sidecar = '1.1';
    const desired = manifestsOf(repo(1));
    for (const policy of ['changed', 'all'] as const) {
      const p = await plan(desired, { policy });
      seen.push(p);
      expect(describeChanges(p), policy).toBe('');
      expect(web(p)?.admission?.mutated, policy).toEqual([STAMP, SIDECAR_IMAGE]);
    }
    const included = await plan(desired, { include: true });
    seen.push(included);
    expect(fieldsOf(web(included))).toEqual([`replace ${STAMP}`, `replace ${SIDECAR_IMAGE}`]);
    expect(web(included)?.changes.find((f) => f.path === SIDECAR_IMAGE)).toMatchObject({ before: `${MIRROR}proxy:1.0`, after: `${MIRROR}proxy:1.1` });
  }));

  it('a change in the repo: the plan shows the repo\'s change (the image as the webhook will store it, and says so), not the webhook\'s', check(async (seen) => {
    const desired = manifestsOf(repo(2));
    const p = await plan(desired);
    seen.push(p);
    expect(p.changes.filter((c) => c.action !== 'noop').map((c) => `${c.action} ${c.object.kind}/${c.object.name}`)).toEqual(['update ConfigMap/web-config', 'update Deployment/web']);
    expect(fieldsOf(web(p))).toEqual(['replace spec.replicas', 'add spec.template.spec.containers[name=web].env', 'replace spec.template.spec.containers[name=web].image']);
    expect(web(p)?.changes.find((f) => f.path.endsWith('[name=web].image'))).toMatchObject({
      before: `${MIRROR}registry.k8s.io/pause:3.9`,
      after: `${MIRROR}registry.k8s.io/pause:3.10`,
      note: 'admission changed the repo\'s value "registry.k8s.io/pause:3.10"',
    });
    const text = renderPlan(p, 'text');
    expect(text).toContain('# not shown: 2 field(s) that admission changed and no field manager owns');
    expect(text).not.toContain('mirror-proxy].image:');

    const included = await plan(desired, { include: true });
    seen.push(included);
    expect(fieldsOf(web(included))).toEqual([`replace ${STAMP}`, 'replace spec.replicas', 'add spec.template.spec.containers[name=web].env', 'replace spec.template.spec.containers[name=web].image', `replace ${SIDECAR_IMAGE}`]);
  }));

  it('a create: the webhook\'s additions are left out of the new object by default and listed; included, they are in it', check(async (seen) => {
    const desired = manifestsOf(repo(1) + API);
    const byDefault = await plan(desired);
    seen.push(byDefault);
    const api = byDefault.changes.find((c) => c.object.name === 'api');
    expect(api).toMatchObject({ action: 'create', basis: 'dry-run' });
    const created = JSON.stringify(api?.patch);
    expect(created).toContain(`${MIRROR}registry.k8s.io/pause:3.10`);
    for (const absent of ['mirror-proxy', 'mirror.kubeplan.dev/admitted', 'mirror.kubeplan.dev/rewritten', 'mirror.kubeplan.dev/injected']) expect(created).not.toContain(absent);
    expect(api?.admission).toEqual({
      included: false,
      mutated: ['metadata.annotations', 'spec.template.metadata.labels["mirror.kubeplan.dev/injected"]', 'spec.template.spec.containers[name=mirror-proxy]'],
      rewritten: [{ path: 'spec.template.spec.containers[name=api].image', repo: 'registry.k8s.io/pause:3.10', server: `${MIRROR}registry.k8s.io/pause:3.10` }],
    });

    const included = await plan(desired, { include: true });
    seen.push(included);
    const apiIncluded = included.changes.find((c) => c.object.name === 'api');
    for (const present of ['mirror-proxy', 'mirror.kubeplan.dev/admitted', 'mirror.kubeplan.dev/injected']) expect(JSON.stringify(apiIncluded?.patch)).toContain(present);
    expect(renderPlan(included, 'text')).toContain('# admission adds 3 field(s) no field manager owns');
  }));

  it('the CLI: default noop, --include-webhook-mutations and plan.includeWebhookMutations in .kubeplan.yaml show the mutations, --no-include-webhook-mutations overrides the file', check(async () => {
    buildOnce();
    const work = await mkdtemp(path.join(os.tmpdir(), 'kubeplan-webhook-cli-'));
    try {
      const dir = path.join(work, 'repo');
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'repo.yaml'), repo(1));
      const config = path.join(work, '.kubeplan.yaml');
      writeFileSync(config, 'plan:\n  includeWebhookMutations: true\n');
      const run = (args: string[]): Promise<CliResult> => runKubeplan(['plan', dir, '--kubeconfig', cluster!.kubeconfigPath, '--detailed-exitcode', ...args], { cwd: work, cacheDir: path.join(work, 'cache') });
      const none = path.join(work, 'empty.yaml');
      writeFileSync(none, '{}\n');
      const byDefault = await run(['--config', none]);
      expect(byDefault.status, byDefault.stdout + byDefault.stderr).toBe(0);
      expect(byDefault.stdout).toContain('No changes. Live state matches the repo.');
      expect(byDefault.stdout).toMatch(/Note: admission: .*left out of the plan \(--include-webhook-mutations/);

      for (const args of [['--config', none, '--include-webhook-mutations'], []]) {
        const r = await run([...args, '-o', 'json']);
        expect(r.status, `${args.join(' ')}\n${r.stderr}`).toBe(2);
        const doc = JSON.parse(r.stdout) as { changes: { action: string; object: { name: string; kind: string }; diff: { path: string; note?: string }[]; admission?: { included: boolean } }[] };
        const w = doc.changes.find((c) => c.object.kind === 'Deployment' && c.object.name === 'web');
        expect(w?.action).toBe('update');
        expect(w?.diff.map((d) => d.path)).toEqual([STAMP, SIDECAR_IMAGE]);
        expect(w?.admission?.included).toBe(true);
      }
      const overridden = await run(['--no-include-webhook-mutations']);
      expect(overridden.status, overridden.stdout + overridden.stderr).toBe(0);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }));

  it('after applying the repo through the webhook, the plan is a noop again (the sidecar upgraded); included, only the stamp', check(async (seen) => {
    const desired = manifestsOf(repo(2));
    for (const m of desired) await pc.apply(m.object, NS);
    const p = await plan(desired);
    seen.push(p);
    expect(describeChanges(p)).toBe('');
    const included = await plan(desired, { include: true });
    seen.push(included);
    expect(fieldsOf(web(included))).toEqual([`replace ${STAMP}`]);
  }));
});
