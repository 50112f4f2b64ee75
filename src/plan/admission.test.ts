// T29: admission mutations in the server's dry-run answer. The objects below have the shape a v1.35 API server gave
// for a Deployment applied through a mutating webhook (test/cluster/plan-webhook.test.ts does it for real): the
// webhook's additions (an annotation, a pod-template label, a sidecar container) are owned by no field manager, and
// the image it rewrote to a mirror registry stays owned by the applier ("kubeplan").
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../core/types.ts';
import { rewrittenFields, withoutAdmissionMutations } from './admission.ts';
import { computePlan, listKeysFor } from './compute.ts';
import { normalizeObject } from './normalize/index.ts';
import { renderPlan } from './render/index.ts';
import { manifests } from './testing/helpers.ts';
import type { DryRunResult, Plan, PlanSettings } from './types.ts';

const KEY = 'apps/Deployment/shop/web';

function repo(opts: { image?: string; replicas?: number; env?: boolean } = {}): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, labels: {mirror: "on"}}
spec:
${opts.replicas !== undefined ? `  replicas: ${opts.replicas}\n` : ''}  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ${opts.image ?? 'nginx:1.27'}
${opts.env ? '          env: [{name: MODE, value: prod}]\n' : ''}`;
}

/** Our Apply entry for the repo: what the server records for exactly the fields the repo sets. */
function applied(opts: { replicas?: boolean; env?: boolean } = {}): JsonObject {
  const web: JsonObject = { '.': {}, 'f:image': {}, 'f:name': {} };
  if (opts.env) web['f:env'] = { '.': {}, 'k:{"name":"MODE"}': { '.': {}, 'f:name': {}, 'f:value': {} } };
  const spec: JsonObject = { 'f:selector': {}, 'f:template': { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"web"}': web } } } };
  if (opts.replicas) spec['f:replicas'] = {};
  return { manager: 'kubeplan', operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:mirror': {} } }, 'f:spec': spec } };
}

const CONTROLLER = { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'apps/v1', subresource: 'status', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:annotations': { 'f:deployment.kubernetes.io/revision': {} } }, 'f:status': { 'f:replicas': {} } } };

interface Server {
  image: string;
  replicas?: number;
  env?: boolean;
  /** The webhook's per-request stamp (a counter): differs on every request. */
  stamp: string;
  sidecar: string;
  managed: JsonObject[];
  resourceVersion?: string;
}

/** The object as the server stores or answers it: defaults, webhook mutations, managedFields. */
function served(s: Server): JsonObject {
  const web: JsonObject = { name: 'web', image: `mirror.example/${s.image}`, resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent' };
  if (s.env) web.env = [{ name: 'MODE', value: 'prod' }];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'shop',
      uid: '0d9c1f7e-0000-4000-8000-000000000001',
      resourceVersion: s.resourceVersion ?? '272',
      generation: 1,
      labels: { mirror: 'on' },
      annotations: { 'deployment.kubernetes.io/revision': '1', 'mirror.example/rewritten': 'true', 'mirror.example/stamp': s.stamp },
      managedFields: s.managed,
    },
    spec: {
      replicas: s.replicas ?? 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web', 'mirror.example/injected': 'yes' } },
        spec: {
          containers: [web, { name: 'proxy', image: `mirror.example/proxy:${s.sidecar}`, resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent' }],
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          securityContext: {},
          schedulerName: 'default-scheduler',
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: { replicas: 1 },
  };
}

const LIVE = served({ image: 'nginx:1.27', stamp: '1', sidecar: '1.0', managed: [applied(), CONTROLLER] });

function planWith(desiredYaml: string, answer: JsonObject | undefined, settings: Partial<PlanSettings> = {}, live: JsonObject[] = [LIVE]): Plan {
  const dryRun: Record<string, DryRunResult> = answer ? { [KEY]: { ok: true, object: answer } } : {};
  return computePlan({
    desired: manifests(desiredYaml),
    live: { kind: 'cluster', description: 'cluster', objects: live.map((object) => ({ object })), dryRun },
    settings: { defaultNamespace: 'shop', ...settings },
    now: () => new Date('2026-01-01T00:00:00Z'),
  });
}

const fields = (p: Plan): string[] => (p.changes[0]?.changes ?? []).map((f) => `${f.op} ${f.path}`);

describe('T29: admission mutations in the dry-run answer', () => {
  // Unchanged repo; the webhook stamps a new value and has moved its sidecar to 1.1 since the last apply.
  const unchanged = served({ image: 'nginx:1.27', stamp: '2', sidecar: '1.1', managed: [applied(), CONTROLLER] });

  it('by default, what admission changed in fields no manager owns is taken from live: noop, and the plan says so', () => {
    const p = planWith(repo(), unchanged);
    const c = p.changes[0]!;
    expect(c).toMatchObject({ action: 'noop', basis: 'dry-run' });
    expect(c.admission).toEqual({
      included: false,
      mutated: ['metadata.annotations["mirror.example/stamp"]', 'spec.template.spec.containers[name=proxy].image'],
      rewritten: [{ path: 'spec.template.spec.containers[name=web].image', repo: 'nginx:1.27', server: 'mirror.example/nginx:1.27' }],
    });
    expect(p.live.notes.join('\n')).toMatch(/admission: .*in 1 object\(s\); left out of the plan \(--include-webhook-mutations/);
  });

  it('includeWebhookMutations: an update of exactly the fields admission changed, each marked', () => {
    const p = planWith(repo(), unchanged, { includeWebhookMutations: true });
    const c = p.changes[0]!;
    expect(c.action).toBe('update');
    expect(c.changes.map((f) => [f.path, f.before, f.after, f.note])).toEqual([
      ['metadata.annotations["mirror.example/stamp"]', '1', '2', 'admission mutation: no field manager owns this field'],
      ['spec.template.spec.containers[name=proxy].image', 'mirror.example/proxy:1.0', 'mirror.example/proxy:1.1', 'admission mutation: no field manager owns this field'],
    ]);
    expect(c.admission?.included).toBe(true);
    expect(renderPlan(p, 'text')).toContain('~ spec.template.spec.containers[name=proxy].image: "mirror.example/proxy:1.0" → "mirror.example/proxy:1.1"   # admission mutation');
  });

  it('a real change in the repo shows the repo\'s change, not the webhook\'s; a rewritten value says where it came from', () => {
    const answer = served({ image: 'nginx:1.28', replicas: 2, env: true, stamp: '3', sidecar: '1.1', managed: [applied({ replicas: true, env: true }), CONTROLLER] });
    const p = planWith(repo({ image: 'nginx:1.28', replicas: 2, env: true }), answer);
    const c = p.changes[0]!;
    expect(c.action).toBe('update');
    expect(fields(p)).toEqual(['replace spec.replicas', 'add spec.template.spec.containers[name=web].env', 'replace spec.template.spec.containers[name=web].image']);
    const image = c.changes.find((f) => f.path.endsWith('.image'))!;
    expect(image).toMatchObject({ before: 'mirror.example/nginx:1.27', after: 'mirror.example/nginx:1.28', note: 'admission changed the repo\'s value "nginx:1.28"' });
    const included = planWith(repo({ image: 'nginx:1.28', replicas: 2, env: true }), answer, { includeWebhookMutations: true });
    expect(fields(included)).toEqual([
      'replace metadata.annotations["mirror.example/stamp"]',
      'replace spec.replicas',
      'add spec.template.spec.containers[name=web].env',
      'replace spec.template.spec.containers[name=web].image',
      'replace spec.template.spec.containers[name=proxy].image',
    ]);
  });

  it('removals: a field we applied and no longer do stays removed; one admission removed and nobody owned comes back', () => {
    const live = served({ image: 'nginx:1.27', env: true, stamp: '1', sidecar: '1.0', managed: [applied({ env: true }), CONTROLLER] });
    // The repo drops the env var it applied before; the webhook drops the stamp annotation this time.
    const answer = served({ image: 'nginx:1.27', stamp: '1', sidecar: '1.0', managed: [applied(), CONTROLLER] });
    delete ((answer.metadata as JsonObject).annotations as JsonObject)['mirror.example/stamp'];
    const p = planWith(repo(), answer, {}, [live]);
    expect(fields(p)).toEqual(['remove spec.template.spec.containers[name=web].env']);
    expect(p.changes[0]?.admission?.mutated).toEqual(['metadata.annotations["mirror.example/stamp"]']);
  });

  it('a field we applied and the repo dropped, which the server defaults again, is the apply\'s change (T9: replicas 5 → 1)', () => {
    const live = served({ image: 'nginx:1.27', replicas: 5, stamp: '1', sidecar: '1.0', managed: [applied({ replicas: true }), CONTROLLER] });
    // The repo no longer sets replicas: the apply releases it and the API server defaults it to 1 (owned by nobody).
    const answer = served({ image: 'nginx:1.27', replicas: 1, stamp: '1', sidecar: '1.0', managed: [applied(), CONTROLLER] });
    const p = planWith(repo(), answer, {}, [live]);
    expect(p.changes[0]?.changes.map((f) => [f.path, f.before, f.after])).toEqual([['spec.replicas', 5, 1]]);
    expect(p.changes[0]?.warnings.map((w) => w.rule)).toContain('replicas-scale-down');
    expect(p.changes[0]?.admission?.mutated).toEqual([]);
  });

  it('a create: admission\'s additions are left out of the object by default and listed; included they are in it', () => {
    const answer = served({ image: 'nginx:1.27', stamp: '1', sidecar: '1.0', managed: [applied()] });
    const meta = answer.metadata as JsonObject;
    delete meta.uid;
    delete meta.resourceVersion;
    delete (meta.annotations as JsonObject)['deployment.kubernetes.io/revision'];
    delete answer.status;
    const excluded = planWith(repo(), answer, {}, []);
    const c = excluded.changes[0]!;
    expect(c).toMatchObject({ action: 'create', basis: 'dry-run' });
    const created = JSON.stringify(c.patch);
    expect(created).not.toContain('mirror.example/stamp');
    expect(created).not.toContain('proxy');
    expect(created).toContain('mirror.example/nginx:1.27'); // the rewritten image is what apply stores
    expect(c.admission?.mutated).toEqual([
      'metadata.annotations',
      'spec.template.metadata.labels["mirror.example/injected"]',
      'spec.template.spec.containers[name=proxy]',
    ]);
    const text = renderPlan(excluded, 'text');
    expect(text).toContain('# not shown: 3 field(s) that admission changed and no field manager owns: metadata.annotations, spec.template.metadata.labels["mirror.example/injected"], spec.template.spec.containers[name=proxy]');
    expect(text).toContain('# spec.template.spec.containers[name=web].image: the repo\'s "nginx:1.27" is stored as "mirror.example/nginx:1.27" (admission)');
    const included = planWith(repo(), answer, { includeWebhookMutations: true }, []).changes[0]!;
    expect(JSON.stringify(included.patch)).toContain('mirror.example/stamp');
    expect(JSON.stringify(included.patch)).toContain('"name":"proxy"');
    expect(renderPlan(planWith(repo(), answer, { includeWebhookMutations: true }, []), 'text')).toContain('# admission adds 3 field(s) no field manager owns');
  });

  it('a create without webhooks: server defaults and cluster-assigned values are not called admission mutations', () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n';
    const answer: JsonObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop', managedFields: [{ manager: 'kubeplan', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {} } }, 'f:selector': {} } } }] },
      spec: { ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }], selector: { app: 'web' }, clusterIP: '10.0.0.17', clusterIPs: ['10.0.0.17'], type: 'ClusterIP', sessionAffinity: 'None', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster' },
    };
    const p = computePlan({ desired: manifests(svc), live: { kind: 'cluster', description: 'cluster', objects: [], dryRun: { '/Service/shop/web': { ok: true, object: answer } } }, settings: { defaultNamespace: 'shop' } });
    expect(p.changes[0]).toMatchObject({ action: 'create', basis: 'dry-run' });
    expect(p.changes[0]?.admission).toBeUndefined();
    expect(JSON.stringify(p.changes[0]?.patch)).toContain('10.0.0.17');
  });

  it('an answer without our Apply entry, or in another apiVersion than live, is taken as it is', () => {
    const noManaged = served({ image: 'nginx:1.27', stamp: '2', sidecar: '1.0', managed: [CONTROLLER] });
    expect(withoutAdmissionMutations(noManaged, LIVE, { fieldManager: 'kubeplan', listKeys: () => undefined })).toBeUndefined();
    expect(planWith(repo(), noManaged).changes[0]?.action).toBe('update');
    const otherVersion = { ...LIVE, apiVersion: 'apps/v1beta2' };
    expect(withoutAdmissionMutations(unchanged, otherVersion, { fieldManager: 'kubeplan', listKeys: () => undefined })).toBeUndefined();
  });

  it('fields the server derives from ours count as ours: a Secret\'s stringData written into data, serviceAccountName mirrored', () => {
    const secretRepo = 'apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: shop}\nstringData: {password: new-value}\n';
    const secret = (value: string): JsonObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'shop', managedFields: [{ manager: 'kubeplan', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:stringData': { '.': {}, 'f:password': {} } } }] },
      data: { password: Buffer.from(value).toString('base64') },
      type: 'Opaque',
    });
    const p = computePlan({ desired: manifests(secretRepo), live: { kind: 'cluster', description: 'cluster', objects: [{ object: secret('old-value') }], dryRun: { '/Secret/shop/s': { ok: true, object: secret('new-value') } } }, settings: { defaultNamespace: 'shop' } });
    expect(p.changes[0]).toMatchObject({ action: 'update', changes: [{ path: 'data.password', sensitive: true }] });
    expect(p.changes[0]?.admission).toBeUndefined();

    const answer = served({ image: 'nginx:1.27', stamp: '1', sidecar: '1.0', managed: [applied(), CONTROLLER] });
    const podSpec = ((answer.spec as JsonObject).template as JsonObject).spec as JsonObject;
    podSpec.serviceAccountName = 'runner';
    podSpec.serviceAccount = 'runner';
    const managed = ((answer.metadata as JsonObject).managedFields as JsonObject[])[0] as JsonObject;
    ((((managed.fieldsV1 as JsonObject)['f:spec'] as JsonObject)['f:template'] as JsonObject)['f:spec'] as JsonObject)['f:serviceAccountName'] = {};
    const out = withoutAdmissionMutations(answer, LIVE, { fieldManager: 'kubeplan', listKeys: () => undefined });
    const outSpec = (((out?.spec as JsonObject).template as JsonObject).spec as JsonObject);
    expect([outSpec.serviceAccountName, outSpec.serviceAccount]).toEqual(['runner', 'runner']);
  });

  it('rewritten fields inside keyed list items whose keys the server defaults (a port\'s protocol) are found and named as the diff names them', () => {
    const raw = manifests('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: "x:1", ports: [{containerPort: 80, name: http}]}]\n')[0]!.object;
    const answer = structuredClone(raw);
    const container = ((answer.spec as JsonObject).containers as JsonObject[])[0]!;
    container.image = 'mirror/x:1';
    (container.ports as JsonObject[])[0]!.name = 'web';
    const norm = (o: JsonObject): JsonObject => normalizeObject(o, { gk: 'Pod' });
    expect(rewrittenFields(raw, norm(raw), norm(answer), listKeysFor('Pod', undefined))).toEqual([
      { path: 'spec.containers[name=c].image', repo: 'x:1', server: 'mirror/x:1' },
      { path: 'spec.containers[name=c].ports[containerPort=80,protocol=TCP].name', repo: 'http', server: 'web' },
    ]);
  });

  it('a finalizer admission added (a set list, owned element by element) is taken back; ours is kept', () => {
    const answer = structuredClone(LIVE);
    const meta = answer.metadata as JsonObject;
    meta.finalizers = ['example.com/ours', 'webhook.example/hold'];
    meta.managedFields = [{ ...applied(), fieldsV1: { 'f:metadata': { 'f:finalizers': { '.': {}, 'v:"example.com/ours"': {} } } } }];
    const live = structuredClone(LIVE);
    const out = withoutAdmissionMutations(answer, live, { fieldManager: 'kubeplan', listKeys: () => undefined });
    expect((out?.metadata as JsonObject).finalizers).toEqual(['example.com/ours']);
  });
});
