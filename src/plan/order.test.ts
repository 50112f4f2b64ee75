// Ordering: steps from the kind dependency graph, waves, prunes last in reverse.
import { describe, expect, it } from 'vitest';
import { plan } from './testing/helpers.ts';
import type { Plan } from './types.ts';

const o = (apiVersion: string, kind: string, name: string, ns?: string, extra = '') =>
  `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: ${name}${ns ? `, namespace: ${ns}` : ''}${extra}}\n`;
const stepsOf = (p: Plan) => p.steps.map((s) => `${s.phase}${s.step}: ${s.keys.map((k) => k.split('/').slice(1, 2).concat(k.split('/').slice(-1)).join(' ')).join(', ')}`);

describe('ordering', () => {
  const all = [
    o('apps/v1', 'Deployment', 'web', 'shop'),
    o('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'hook'),
    o('v1', 'Service', 'web', 'shop'),
    o('networking.k8s.io/v1', 'Ingress', 'web', 'shop'),
    o('autoscaling/v2', 'HorizontalPodAutoscaler', 'web', 'shop'),
    o('policy/v1', 'PodDisruptionBudget', 'web', 'shop'),
    o('v1', 'ConfigMap', 'cfg', 'shop'),
    o('v1', 'Secret', 'sec', 'shop'),
    o('v1', 'ServiceAccount', 'web', 'shop'),
    o('rbac.authorization.k8s.io/v1', 'Role', 'r', 'shop'),
    o('rbac.authorization.k8s.io/v1', 'RoleBinding', 'rb', 'shop'),
    o('v1', 'PersistentVolumeClaim', 'data', 'shop'),
    o('v1', 'Namespace', 'shop'),
    o('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com', undefined, '}\nspec: {group: example.com, scope: Namespaced, names: {kind: Widget, plural: widgets}'),
    o('example.com/v1', 'Widget', 'w', 'shop'),
  ].join('---\n');

  it('T16/T17: Namespaces and CRDs first, a CR after its CRD, SA/RBAC/config/storage before workloads, then Services, Ingress, HPA/PDB, webhooks last', () => {
    expect(stepsOf(plan(all, ''))).toEqual([
      'apply1: CustomResourceDefinition widgets.example.com, Namespace shop',
      'apply2: ConfigMap cfg, PersistentVolumeClaim data, Role r, Secret sec, ServiceAccount web',
      'apply3: RoleBinding rb',
      'apply4: Deployment web, Widget w',
      'apply5: HorizontalPodAutoscaler web, PodDisruptionBudget web, Service web',
      'apply6: Ingress web',
      'apply7: ValidatingWebhookConfiguration hook',
    ]);
  });

  it('objects in one step do not depend on each other; every dependency is in an earlier step', () => {
    const p = plan(all, '');
    const stepOf = new Map(p.changes.map((c) => [c.object.kind, c.step]));
    const before = (a: string, b: string) => expect((stepOf.get(a) ?? 0) < (stepOf.get(b) ?? 0), `${a} before ${b}`).toBe(true);
    before('Namespace', 'ConfigMap');
    before('CustomResourceDefinition', 'Widget');
    before('ServiceAccount', 'Deployment');
    before('Role', 'RoleBinding');
    before('Deployment', 'Service');
    before('Service', 'Ingress');
    before('Deployment', 'HorizontalPodAutoscaler');
    before('Ingress', 'ValidatingWebhookConfiguration');
  });

  it('kinds are matched by group and kind (a custom "Service" of another group is not a core Service)', () => {
    const p = plan([o('v1', 'Namespace', 'shop'), o('serving.knative.dev/v1', 'Service', 'fn', 'shop')].join('---\n'), '');
    expect(stepsOf(p)).toEqual(['apply1: Namespace shop', 'apply2: Service fn']);
    expect(p.changes[1]?.key).toBe('serving.knative.dev/Service/shop/fn');
  });

  it('waves (kubeplan.dev/wave) come before kinds: a lower wave is applied first, whatever its kind', () => {
    const p = plan(
      [
        o('v1', 'ConfigMap', 'late', 'shop', ', annotations: {kubeplan.dev/wave: "1"}'),
        o('apps/v1', 'Deployment', 'early', 'shop', ', annotations: {kubeplan.dev/wave: "-1"}'),
        o('v1', 'Secret', 'mid', 'shop'),
      ].join('---\n'),
      o('v1', 'Namespace', 'shop'),
    );
    expect(stepsOf(p)).toEqual(['apply1: Deployment early', 'apply2: Secret mid', 'apply3: ConfigMap late']);
    expect(p.changes.map((c) => c.wave)).toEqual([-1, 0, 1]);
  });

  it('noops take no step; prunes come after every apply step, in reverse dependency order (CRs before their CRD, Namespace last)', () => {
    const live = [
      o('v1', 'Namespace', 'old', undefined, ', labels: {app: shop}'),
      o('v1', 'ConfigMap', 'cfg', 'old', ', labels: {app: shop}'),
      o('apps/v1', 'Deployment', 'gone', 'old', ', labels: {app: shop}'),
      o('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com', undefined, ', labels: {app: shop}}\nspec: {group: example.com, scope: Namespaced, names: {kind: Widget, plural: widgets}'),
      o('example.com/v1', 'Widget', 'w', 'old', ', labels: {app: shop}'),
      o('v1', 'ConfigMap', 'same', 'shop', ', labels: {app: shop}'),
    ].join('---\n');
    const repo = [o('v1', 'ConfigMap', 'same', 'shop', ', labels: {app: shop}'), o('v1', 'ConfigMap', 'new', 'shop', ', labels: {app: shop}')].join('---\n');
    const p = plan(repo, live, { pruneSelector: 'app=shop' });
    expect(stepsOf(p)).toEqual([
      'apply1: ConfigMap new',
      'prune2: Deployment gone, Widget w',
      'prune3: ConfigMap cfg, CustomResourceDefinition widgets.example.com',
      'prune4: Namespace old',
    ]);
    expect(p.changes.find((c) => c.object.name === 'same')?.step).toBe(0);
  });

  it('prunes take higher waves first', () => {
    const live = [o('v1', 'ConfigMap', 'w0', 'd', ', labels: {app: x}'), o('v1', 'ConfigMap', 'w5', 'd', ', labels: {app: x}, annotations: {kubeplan.dev/wave: "5"}')].join('---\n');
    const p = plan(o('v1', 'ConfigMap', 'keep', 'd'), live, { pruneSelector: 'app=x' });
    expect(stepsOf(p)).toEqual(['apply1: ConfigMap keep', 'prune2: ConfigMap w5', 'prune3: ConfigMap w0']);
  });
});
