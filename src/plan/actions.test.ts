// Actions: identity and pairing, create/update/replace/delete/noop, prune ownership.
import { describe, expect, it } from 'vitest';
import { computeApplySetId } from './applyset.ts';
import { only, paths, plan } from './testing/helpers.ts';

const dep = (opts: { name?: string; ns?: string; apiVersion?: string; sel?: string; labels?: string; image?: string; extraMeta?: string } = {}) => `
apiVersion: ${opts.apiVersion ?? 'apps/v1'}
kind: Deployment
metadata:
  name: ${opts.name ?? 'web'}
${opts.ns === undefined ? '' : `  namespace: ${opts.ns}\n`}${opts.extraMeta ?? ''}spec:
  selector: {matchLabels: ${opts.sel ?? '{app: web}'}}
  template:
    metadata: {labels: ${opts.labels ?? opts.sel ?? '{app: web}'}}
    spec: {containers: [{name: web, image: "${opts.image ?? 'web:1'}"}]}
`;

describe('identity and pairing', () => {
  it('T40: a namespaced object without metadata.namespace pairs with the live one in the default namespace', () => {
    const p = plan(dep(), dep({ ns: 'shop' }), { defaultNamespace: 'shop' });
    expect(only(p).action).toBe('noop');
    expect(only(p).object.namespace).toBe('shop');
  });

  it('T40: with another default namespace the same file is a create (and nothing is deleted without prune)', () => {
    const p = plan(dep(), dep({ ns: 'shop' }), { defaultNamespace: 'other' });
    expect(p.changes.map((c) => `${c.action} ${c.key}`)).toEqual(['create apps/Deployment/other/web']);
  });

  it('cluster-scoped kinds have no namespace even if the file names one', () => {
    const p = plan('apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r, namespace: junk}\nrules: []\n', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\n');
    expect(only(p)).toMatchObject({ action: 'noop', key: 'rbac.authorization.k8s.io/ClusterRole//r' });
  });

  it.each([
    ['gateway.networking.k8s.io/v1', 'GatewayClass'],
    ['cert-manager.io/v1', 'ClusterIssuer'],
    ['storagemigration.k8s.io/v1alpha1', 'StorageVersionMigration'],
    ['policy/v1beta1', 'PodSecurityPolicy'],
  ])('%s %s is cluster-scoped without its CRD or a schema (src/k8s/kinds.ts)', (apiVersion, kind) => {
    const p = plan(`apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: x}\n`, `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: x}\n`);
    expect(only(p)).toMatchObject({ action: 'noop', key: `${apiVersion.split('/')[0]}/${kind}//x` });
  });

  it('T21: the same object under another apiVersion of the same group is the same object (update, not delete+create)', () => {
    const p = plan(dep({ ns: 'shop', image: 'web:2' }), dep({ ns: 'shop', apiVersion: 'apps/v1beta2' }));
    const c = only(p);
    expect(c.action).toBe('update');
    expect(c.reasons).toContain('apiVersion apps/v1beta2 → apps/v1 (same object)');
  });

  it('T21: one live object listed under two groups (same uid) is planned once', () => {
    const live = dep({ ns: 'shop', extraMeta: '  uid: same\n' }) + '---\n' + dep({ ns: 'shop', apiVersion: 'extensions/v1beta1', extraMeta: '  uid: same\n  labels: {app: web}\n' });
    const p = plan(dep({ ns: 'shop' }), live, { pruneSelector: 'app=web' });
    expect(p.changes.map((c) => c.action)).toEqual(['noop']);
  });

  it('T39: a duplicate object in the repo is reported and planned once', () => {
    const p = plan(dep({ ns: 'a' }) + '---\n' + dep({ ns: 'a', image: 'web:9' }), '');
    expect(p.changes).toHaveLength(1);
    expect(p.warnings).toEqual([expect.objectContaining({ rule: 'duplicate-object' })]);
  });
});

describe('actions', () => {
  it('create when live lacks the object; patch is one add of the whole (normalized) object', () => {
    const c = only(plan('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: "1"}\n', ''));
    expect(c.action).toBe('create');
    expect(c.patch).toEqual([{ op: 'add', path: '', value: { kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } } }]);
  });

  it('update with keyed changes; live identity recorded for the stale-plan check', () => {
    const c = only(plan(dep({ ns: 's', image: 'web:2' }), dep({ ns: 's', extraMeta: '  uid: u-1\n  resourceVersion: "77"\n' })));
    expect(c).toMatchObject({ action: 'update', live: { uid: 'u-1', resourceVersion: '77' } });
    expect(paths(c)).toEqual(['replace spec.template.spec.containers[name=web].image']);
  });

  it.each([
    ['T12 Deployment selector', dep({ ns: 's', sel: '{app: web, tier: front}' }), dep({ ns: 's' }), 'spec.selector: field is immutable'],
    ['DaemonSet selector', dep({ ns: 's', sel: '{app: x}' }).replace('Deployment', 'DaemonSet'), dep({ ns: 's' }).replace('Deployment', 'DaemonSet'), 'spec.selector: field is immutable'],
    ['ReplicaSet selector', dep({ ns: 's', sel: '{app: x}' }).replace('Deployment', 'ReplicaSet'), dep({ ns: 's' }).replace('Deployment', 'ReplicaSet'), 'spec.selector: field is immutable'],
  ])('%s → replace', (_name, desired, live, reason) => {
    const c = only(plan(desired, live));
    expect(c.action).toBe('replace');
    expect(c.reasons).toContain(reason);
  });

  const sts = (extra: string) => `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: s}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: "pg:17"}]}}
${extra}`;
  it.each([
    ['serviceName', sts('').replace('serviceName: db', 'serviceName: db2'), 'spec.serviceName'],
    ['podManagementPolicy', sts('  podManagementPolicy: Parallel\n'), 'spec.podManagementPolicy'],
    ['volumeClaimTemplates', sts('  volumeClaimTemplates: [{metadata: {name: d}, spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}]\n'), 'spec.volumeClaimTemplates'],
  ])('StatefulSet %s change → replace', (_n, desired, field) => {
    const c = only(plan(desired, sts('')));
    expect(c.action).toBe('replace');
    expect(c.reasons.some((r) => r.startsWith(`${field}:`))).toBe(true);
  });
  it('StatefulSet replicas/template/updateStrategy changes are updates', () => {
    expect(only(plan(sts('  replicas: 3\n'), sts(''))).action).toBe('update');
  });

  const job = (image: string) => `apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, namespace: s}\nspec:\n  template: {spec: {restartPolicy: Never, containers: [{name: j, image: "${image}"}]}}\n`;
  it('T28: Job template change → replace', () => {
    const c = only(plan(job('m:2'), job('m:1')));
    expect(c.action).toBe('replace');
    expect(c.reasons).toEqual(['spec.template: field is immutable']);
  });

  const svc = (spec: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: d}\nspec: ${spec}\n`;
  it.each([
    ['clusterIP set in the repo and different', svc('{clusterIP: 10.0.0.2, ports: [{port: 80}]}'), svc('{clusterIP: 10.0.0.1, ports: [{port: 80}]}'), 'spec.clusterIP'],
    ['type ClusterIP → ExternalName', svc('{type: ExternalName, externalName: x.example.com}'), svc('{clusterIP: 10.0.0.1, ports: [{port: 80}]}'), 'spec.type'],
    ['type ExternalName → ClusterIP', svc('{ports: [{port: 80}]}'), svc('{type: ExternalName, externalName: x.example.com}'), 'spec.type'],
  ])('Service %s → replace', (_n, desired, live, field) => {
    const c = only(plan(desired, live));
    expect(c.action).toBe('replace');
    expect(c.reasons.some((r) => r.startsWith(`${field}:`))).toBe(true);
  });
  it('Service clusterIP absent in the repo is the cluster\'s: noop', () => {
    expect(only(plan(svc('{ports: [{port: 80}]}'), svc('{clusterIP: 10.0.0.1, ports: [{port: 80}]}'))).action).toBe('noop');
  });

  const pvc = (sc: string, size: string) => `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: p, namespace: d}\nspec: {accessModes: [ReadWriteOnce], ${sc}resources: {requests: {storage: ${size}}}}\n`;
  it.each([
    ['storageClassName change', pvc('storageClassName: fast, ', '1Gi'), pvc('storageClassName: slow, ', '1Gi'), 'spec.storageClassName'],
    ['storage shrink', pvc('', '1Gi'), pvc('', '2Gi'), 'spec.resources.requests.storage'],
  ])('PVC %s → replace', (_n, desired, live, field) => {
    const c = only(plan(desired, live));
    expect(c.action).toBe('replace');
    expect(c.reasons.some((r) => r.startsWith(`${field}:`))).toBe(true);
  });
  it('PVC storage expansion is an update', () => {
    expect(only(plan(pvc('', '2Gi'), pvc('', '1Gi'))).action).toBe('update');
  });

  it('immutable ConfigMap data change → replace; a mutable one → update', () => {
    const cm = (v: string, imm: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: d}\n${imm}data: {a: "${v}"}\n`;
    expect(only(plan(cm('2', 'immutable: true\n'), cm('1', 'immutable: true\n')))).toMatchObject({ action: 'replace', reasons: ['data: the live ConfigMap is immutable (immutable: true)'] });
    expect(only(plan(cm('2', ''), cm('1', ''))).action).toBe('update');
  });

  it('RoleBinding roleRef change → replace', () => {
    const rb = (role: string) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: d}\nroleRef: {kind: Role, name: ${role}}\nsubjects: [{kind: ServiceAccount, name: sa}]\n`;
    expect(only(plan(rb('new'), rb('old')))).toMatchObject({ action: 'replace', reasons: ['roleRef: field is immutable'] });
  });

  it('T23: a live object being deleted is flagged', () => {
    const c = only(plan(dep({ ns: 's' }), dep({ ns: 's', extraMeta: '  deletionTimestamp: "2026-01-01T00:00:00Z"\n' })));
    expect(c.warnings.map((w) => w.rule)).toContain('terminating');
  });
});

describe('prune (delete) and ownership', () => {
  const cm = (name: string, labels = '{app: shop}', extra = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: d, labels: ${labels}${extra}}\ndata: {a: "1"}\n`;
  const repo = cm('keep');
  const live = [cm('keep'), cm('old'), cm('other-team', '{app: other}')].join('---\n');

  it('T19: without --prune-selector or an ApplySet nothing is deleted', () => {
    expect(plan(repo, live).changes.map((c) => c.action)).toEqual(['noop']);
  });

  it('T19: --prune-selector deletes the live objects it selects that the repo lacks; T20: objects of other owners are never touched', () => {
    const p = plan(repo, live, { pruneSelector: 'app=shop' });
    expect(p.changes.map((c) => `${c.action} ${c.object.name}`)).toEqual(['delete old', 'noop keep']);
    expect(only(p, 'old').reasons[0]).toMatch(/selected by --prune-selector app=shop/);
  });

  it('T20: by selector, only what kubeplan applied is pruned: an object whose field managers are all other tools is kept, flagged', () => {
    const managed = (manager: string) => `, managedFields: [{manager: ${manager}, operation: Apply, apiVersion: v1, fieldsType: FieldsV1, fieldsV1: {f:data: {f:a: {}}}}]`;
    const l = [cm('keep'), cm('old', '{app: shop}', managed('kubeplan')), cm('helms', '{app: shop}', managed('helm'))].join('---\n');
    const p = plan(repo, l, { pruneSelector: 'app=shop' });
    expect(p.changes.filter((c) => c.action === 'delete').map((c) => c.object.name)).toEqual(['old']);
    expect(p.warnings).toEqual([{ rule: 'prune-foreign', message: 'ConfigMap d/helms matches --prune-selector but is not kubeplan\'s (never applied by kubeplan; field managers: helm): not pruned' }]);
  });

  it('ApplySet members the repo lacks are deleted; another ApplySet\'s members are not, even when the selector matches', () => {
    const id = computeApplySetId({ name: 'kubeplan-shop', namespace: 'd' });
    const otherId = computeApplySetId({ name: 'kubeplan-other', namespace: 'd' });
    const l = [cm('keep'), cm('mine', `{app: shop, applyset.kubernetes.io/part-of: ${id}}`), cm('theirs', `{app: shop, applyset.kubernetes.io/part-of: ${otherId}}`)].join('---\n');
    const p = plan(repo, l, { applySetId: id });
    expect(p.changes.filter((c) => c.action === 'delete').map((c) => c.object.name)).toEqual(['mine']);
    // With an ApplySet the repo objects get the part-of label: adopting "keep" is an update of metadata only.
    expect(paths(only(p, 'keep'))).toEqual(['add metadata.labels["applyset.kubernetes.io/part-of"]']);
    const bySelector = plan(repo, l, { pruneSelector: 'app=shop' });
    expect(bySelector.changes.filter((c) => c.action === 'delete').map((c) => c.object.name)).toEqual([]);
  });

  it('computeApplySetId follows KEP-3659: applyset-<base64url(sha256(name.namespace.kind.group))>-v1', () => {
    expect(computeApplySetId({ name: 'kubeplan-shop', namespace: 'shop' })).toMatch(/^applyset-[A-Za-z0-9_-]{43}-v1$/);
    expect(computeApplySetId({ name: 'a', namespace: 'b' })).not.toBe(computeApplySetId({ name: 'a', namespace: 'c' }));
  });

  it('T22: controller-made children (ownerReferences), Endpoints and system namespaces are never pruned', () => {
    const l = [
      cm('rs-child', '{app: shop}', ', ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: x, uid: u}]'),
      'apiVersion: v1\nkind: Endpoints\nmetadata: {name: web, namespace: d, labels: {app: shop}}\n',
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: kube-system, labels: {app: shop}}\n',
    ].join('---\n');
    const p = plan(repo, l, { pruneSelector: 'app=shop' });
    expect(p.changes.filter((c) => c.action === 'delete')).toEqual([]);
    expect(p.warnings.map((w) => w.rule)).toEqual(['prune-protected']);
  });

  it('kubeplan.dev/prune: disabled keeps an object, flagged', () => {
    const l = [cm('keep'), cm('old', '{app: shop}', ', annotations: {kubeplan.dev/prune: disabled}')].join('---\n');
    const p = plan(repo, l, { pruneSelector: 'app=shop' });
    expect(p.changes.map((c) => c.action)).toEqual(['noop']);
    expect(p.warnings.map((w) => w.rule)).toEqual(['prune-disabled']);
  });

  it('an empty repo never prunes everything', () => {
    const p = plan('', live, { pruneSelector: 'app=shop' });
    expect(p.changes).toEqual([]);
    expect(p.warnings.map((w) => w.rule)).toEqual(['prune-refused']);
  });

  it('an invalid --prune-selector prunes nothing and says why', () => {
    const p = plan(repo, live, { pruneSelector: 'app in (' });
    expect(p.changes.map((c) => c.action)).toEqual(['noop']);
    expect(p.warnings[0]?.rule).toBe('prune-selector');
  });
});
