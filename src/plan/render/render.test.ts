// Rendering, the saved plan, and the example app (fixtures/example-app) end to end, offline.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../core/types.ts';
import { parseSource } from '../../manifests/parse.ts';
import { computePlan } from '../compute.ts';
import { loadLiveSnapshot } from '../live.ts';
import { loadPlan, savePlan, SavedPlanError, stalePlanProblems } from '../saved.ts';
import { manifests, objects, plan } from '../testing/helpers.ts';
import type { Plan } from '../types.ts';
import { renderPlan } from './index.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const example = path.join(root, 'fixtures/example-app');

function exampleDesired(): Manifest[] {
  const dir = path.join(example, 'manifests');
  return readdirSync(dir)
    .sort()
    .flatMap((f) => parseSource({ path: `fixtures/example-app/manifests/${f}`, bytes: readFileSync(path.join(dir, f)) }).manifests);
}

async function examplePlan(pruneSelector?: string): Promise<Plan> {
  const live = await loadLiveSnapshot([path.join(example, 'live')]);
  live.description = 'snapshot fixtures/example-app/live';
  return computePlan({ desired: exampleDesired(), live, settings: { defaultNamespace: 'default', ...(pruneSelector ? { pruneSelector } : {}) }, now: () => new Date('2026-10-02T12:00:00Z') });
}

describe('the example app (fixtures/example-app)', () => {
  it('plans a readable mix: create, updates, a normalization-only noop, a selector replace, a prune only with --prune-selector', async () => {
    const p = await examplePlan();
    const by = (action: string) => p.changes.filter((c) => c.action === action).map((c) => `${c.object.kind} ${c.object.name}`);
    expect(by('create')).toEqual(['Ingress web']);
    expect(by('update')).toEqual(['ConfigMap web-config', 'Secret web-secrets', 'Deployment web']);
    expect(by('replace')).toEqual(['Deployment worker']);
    expect(by('delete')).toEqual([]);
    expect(by('noop').sort()).toEqual(['HorizontalPodAutoscaler web', 'Namespace shop', 'PodDisruptionBudget web', 'Service web', 'ServiceAccount web']);
    const pruned = await examplePlan('app.kubernetes.io/part-of=shop');
    expect(pruned.changes.filter((c) => c.action === 'delete').map((c) => c.object.name)).toEqual(['web-legacy-flags']);
    expect(pruned.changes.find((c) => c.object.name === 'worker')?.warnings.map((w) => w.rule)).toEqual(['selector-orphans-pods']);
  });

  it('text output (golden)', async () => {
    const text = renderPlan(await examplePlan('app.kubernetes.io/part-of=shop'), 'text');
    expect(text).toMatchInlineSnapshot(`
      "kubeplan plan: repo vs snapshot fixtures/example-app/live

      Step 1
        ~ update ConfigMap shop/web-config
            from fixtures/example-app/manifests/10-config.yaml:1
            + data.FEATURE_CHECKOUT_V2: "on"
            ~ data.LOG_LEVEL: "info" → "debug"
        + create Ingress shop/web
            from fixtures/example-app/manifests/30-web.yaml:97
        ~ update Secret shop/web-secrets
            from fixtures/example-app/manifests/10-config.yaml:14
            ~ data.DB_PASSWORD: (sensitive value changed)
      Step 2
        ~ update Deployment shop/web
            from fixtures/example-app/manifests/30-web.yaml:1
            ~ spec.template.spec.containers[name=web].image: "ghcr.io/example/shop-web:1.8.0" → "ghcr.io/example/shop-web:1.8.1"
        -/+ replace Deployment shop/worker   # forces replacement: spec.selector
            from fixtures/example-app/manifests/40-worker.yaml:2
            # spec.selector: field is immutable
            + spec.selector.matchLabels.queue: "orders"   # forces replacement
            + spec.template.metadata.labels.queue: "orders"
            ! selector-orphans-pods: the selector changes from app=worker to app=worker,queue=orders: replacing deletes the old Deployment shop/worker and its pod worker-5c7d8e9f6-h2j4k; expect downtime until the new pods are ready
      Step 3 (prune)
        - delete ConfigMap shop/web-legacy-flags
            # selected by --prune-selector app.kubernetes.io/part-of=shop and removed from the repo

      5 object(s) unchanged.

      Note: 6 live object(s) carry neither managedFields nor kubectl's last-applied-configuration: every field they have that the repo lacks is planned for removal (snapshot with \`kubectl get -o yaml --show-managed-fields\` for exact ownership)

      Plan: 1 to create, 3 to update, 1 to replace, 1 to delete.
      "
    `);
  });

  it('colour only when told', async () => {
    const p = await examplePlan();
    expect(renderPlan(p, 'text')).not.toMatch(/\u001b\[/);
    expect(renderPlan(p, 'text', { color: true })).toMatch(/\u001b\[3\dm/);
  });

  it('json output: changes with action, object, step, reasons, warnings, RFC 6902 patch; summary', async () => {
    const doc = JSON.parse(renderPlan(await examplePlan('app.kubernetes.io/part-of=shop'), 'json'));
    expect(doc.summary).toEqual({ create: 1, update: 3, replace: 1, delete: 1, noop: 5, warnings: 1 });
    const worker = doc.changes.find((c: { object: { name: string } }) => c.object.name === 'worker');
    expect(worker).toMatchObject({ action: 'replace', object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'worker' }, step: 2, reasons: ['spec.selector: field is immutable'] });
    expect(worker.patch).toEqual([
      { op: 'add', path: '/spec/selector/matchLabels/queue', value: 'orders' },
      { op: 'add', path: '/spec/template/metadata/labels/queue', value: 'orders' },
    ]);
  });

  it('markdown output for a PR comment', async () => {
    const md = renderPlan(await examplePlan(), 'markdown');
    expect(md).toContain('### kubeplan plan');
    expect(md).toContain('**Plan: 1 to create, 3 to update, 1 to replace, 0 to delete.**');
    expect(md).toContain('| 2 | `-/+` replace | Deployment shop/worker | spec.selector: field is immutable<br>⚠️ the selector changes');
    expect(md).toContain('```diff\n+ data.FEATURE_CHECKOUT_V2: "on"\n! data.LOG_LEVEL: "info" → "debug"\n```');
  });

  it('no changes', () => {
    const p = plan('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: "1"}\n', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: default}\ndata: {a: "1"}\n');
    expect(renderPlan(p, 'text').trim().split('\n').at(-1)).toBe('No changes. Live state matches the repo.');
  });
});

describe('T5: no Secret value ever appears in any output, plan file or patch', () => {
  const SECRET = 'hunter2-Zq8wPlan-value';
  const OLD = 'old-S3cret-value-xyz';
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const cases: [string, string, string][] = [
    ['update (stringData vs data)', `apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: d}\nstringData: {password: ${SECRET}, user: admin}\n`, `apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: d}\ndata: {password: ${b64(OLD)}, user: ${b64('admin')}}\n`],
    ['create', `apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: d}\ndata: {password: ${b64(SECRET)}}\n`, ''],
    ['key added and removed', `apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: d}\nstringData: {token: ${SECRET}}\n`, `apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: d}\ndata: {password: ${b64(OLD)}}\n`],
    ['immutable replace', `apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: d}\nimmutable: true\nstringData: {password: ${SECRET}}\n`, `apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: d}\nimmutable: true\ndata: {password: ${b64(OLD)}}\n`],
    [
      'last-applied annotation holding the old value',
      `apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: d}\nstringData: {password: ${SECRET}}\n`,
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: d\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"v1","kind":"Secret","stringData":{"password":"${OLD}"}}'\ndata: {password: ${b64(OLD)}}\n`,
    ],
  ];
  it.each(cases)('%s', (_name, desired, live) => {
    const p = computePlan({ desired: manifests(desired), live: objects(live).map((object) => ({ object })), settings: { defaultNamespace: 'd' } });
    const outputs = [renderPlan(p, 'text'), renderPlan(p, 'text', { color: true, showNoops: true }), renderPlan(p, 'json'), renderPlan(p, 'markdown', { showNoops: true }), savePlan(p), JSON.stringify(p)];
    for (const out of outputs) {
      for (const v of [SECRET, OLD, b64(SECRET), b64(OLD)]) expect(out).not.toContain(v);
    }
    expect(p.changes[0]?.action).not.toBe('noop');
  });

  it('the changed key and the fact that values differ are shown', () => {
    const [, desired, live] = cases[0] as [string, string, string];
    const p = computePlan({ desired: manifests(desired), live: objects(live).map((object) => ({ object })), settings: { defaultNamespace: 'd' } });
    expect(renderPlan(p, 'text')).toContain('~ data.password: (sensitive value changed)');
    expect(p.changes[0]?.patch).toEqual([{ op: 'replace', path: '/data/password', value: '(sensitive value)' }]);
  });
});

describe('saved plan (--out plan.json)', () => {
  it('is versioned, carries cluster identity, live resourceVersion/uid and desiredHash per change, and loads back', async () => {
    const p = await examplePlan();
    p.cluster = { server: 'https://10.0.0.1:6443', kubeSystemUid: 'ks-1' };
    const saved = loadPlan(savePlan(p));
    expect(saved).toMatchObject({ formatVersion: 1, tool: { name: 'kubeplan' }, createdAt: '2026-10-02T12:00:00.000Z', cluster: { server: 'https://10.0.0.1:6443', kubeSystemUid: 'ks-1' } });
    const web = saved.changes.find((c) => c.key === 'apps/Deployment/shop/web');
    expect(web).toMatchObject({ action: 'update', live: { resourceVersion: '5120', uid: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f' }, desiredHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('refuses another format version or a non-plan file', () => {
    expect(() => loadPlan('{"tool":{"name":"kubeplan"},"formatVersion":2,"changes":[],"hashSalt":"x"}')).toThrow(SavedPlanError);
    expect(() => loadPlan('{"a":1}')).toThrow(/not a kubeplan plan file/);
  });

  it('T36/T38: staleness — another cluster, a live object changed, a repo object changed; a fresh plan has no problems', async () => {
    const p = await examplePlan();
    p.cluster = { server: 'https://a:6443', kubeSystemUid: 'ks-1' };
    const saved = loadPlan(savePlan(p));
    const live = (await loadLiveSnapshot([path.join(example, 'live')])).objects;
    const desired = exampleDesired();
    expect(stalePlanProblems(saved, { cluster: { server: 'https://a:6443', kubeSystemUid: 'ks-1' }, live, desired })).toEqual([]);
    expect(stalePlanProblems(saved, { cluster: { server: 'https://a:6443', kubeSystemUid: 'ks-2' }, live, desired })[0]).toMatch(/another cluster/);
    const bumped = live.map((l) => (l.object.metadata as { name: string }).name === 'web' && l.object.kind === 'Deployment' ? { object: { ...l.object, metadata: { ...(l.object.metadata as object), resourceVersion: '9999' } } } : l);
    expect(stalePlanProblems(saved, { live: bumped, desired })).toEqual(['Deployment shop/web: changed since the plan (resourceVersion 5120 → 9999)']);
    const edited = desired.map((m) => (m.object.kind === 'ConfigMap' ? { ...m, object: { ...m.object, data: { LOG_LEVEL: 'warn' } } } : m));
    expect(stalePlanProblems(saved, { live, desired: edited })).toEqual(['ConfigMap shop/web-config: changed in the repo since the plan']);
  });
});
