// T9 (gitops.md §10; Argo CD #5472, #1603): spec.replicas removed from the repo. Server-side apply removes a field the
// applier owned alone, and the API server then defaults it to 1: a scale-down from whatever runs now, even when an HPA
// scales the workload back up a moment later. Owned by anyone else (the HPA's controller, `kubectl scale`), it stays.
import { describe, expect, it } from 'vitest';
import { computePlan } from './compute.ts';
import { renderPlan } from './render/index.ts';
import { manifests, objects, only, paths, plan } from './testing/helpers.ts';

const deployment = (replicas: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
${replicas}  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "web:1"}]}
`;
const hpa = `---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web-hpa, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}}]
`;
const SPEC = '"f:selector": {}, "f:template": {"f:metadata": {"f:labels": {"f:app": {}}}, "f:spec": {"f:containers": {"k:{\\"name\\":\\"web\\"}": {".": {}, "f:image": {}, "f:name": {}}}}}';
/** The live Deployment with `replicas` and these managedFields entries (JSON lines). */
const live = (replicas: number, managed: string[]) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  resourceVersion: "42"
  managedFields:
${managed.map((m) => `  - ${m}`).join('\n')}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "web:1"}]}
`;
const ours = (withReplicas: boolean) => `{manager: kubeplan, operation: Apply, apiVersion: apps/v1, fieldsV1: {"f:spec": {${withReplicas ? '"f:replicas": {}, ' : ''}${SPEC}}}}`;
const hpaController = '{manager: kube-controller-manager, operation: Update, subresource: scale, apiVersion: apps/v1, fieldsV1: {"f:spec": {"f:replicas": {}}}}';
const kubectlScale = '{manager: kubectl, operation: Update, subresource: scale, apiVersion: apps/v1, fieldsV1: {"f:spec": {"f:replicas": {}}}}';

const deploymentOf = (p: ReturnType<typeof plan>) => p.changes.find((c) => c.object.kind === 'Deployment')!;
const rules = (c: { warnings: { rule: string }[] }) => c.warnings.map((w) => w.rule);

describe('T9: spec.replicas removed from the repo', () => {
  it('owned by kubeplan alone, no HPA: an update 5 → 1 with a scale-down warning', () => {
    const c = only(plan(deployment(''), live(5, [ours(true)])));
    expect(c.action).toBe('update');
    expect(c.changes.map((f) => `${f.path}: ${String(f.before)} → ${String(f.after)}`)).toEqual(['spec.replicas: 5 → 1']);
    expect(rules(c)).toEqual(['replicas-scale-down']);
    expect(c.warnings[0]?.message).toMatch(/^spec\.replicas is no longer in the repo and kubeplan owns it in the cluster: applying removes it and the API server resets it to 1 — scales down from 5 to 1 pod\(s\)\. Set spec\.replicas in the repo/);
  });

  it('owned by kubeplan alone while an HPA in the repo scales it: not hidden as T8 hides replicas; the HPA is named', () => {
    const p = plan(deployment('') + hpa, live(7, [ours(true)]));
    const c = deploymentOf(p);
    expect(c.action).toBe('update');
    expect(paths(c)).toEqual(['replace spec.replicas']);
    expect(rules(c)).toEqual(['replicas-scale-down']);
    expect(c.warnings[0]?.message).toContain('scales down from 7 to 1 pod(s), until HorizontalPodAutoscaler shop/web-hpa scales it up again');
    expect(c.warnings[0]?.message).toContain('--field-manager=handover-to-hpa');
  });

  it('an HPA that only the live state has (deployed from elsewhere) is named too', () => {
    const liveHpa = hpa.replace('---\n', '---\n').replace('name: web-hpa', 'name: autoscaler');
    const c = deploymentOf(plan(deployment(''), live(4, [ours(true)]) + liveHpa));
    expect(rules(c)).toEqual(['replicas-scale-down']);
    expect(c.warnings[0]?.message).toContain('until HorizontalPodAutoscaler shop/autoscaler scales it up again');
  });

  it('owned by the HPA controller (it scaled the workload since): the live value is kept, no change, no warning', () => {
    expect(deploymentOf(plan(deployment('') + hpa, live(7, [ours(false), hpaController])))).toMatchObject({ action: 'noop', warnings: [] });
    // Also without an HPA in the repo: replicas someone else set are not ours to reset (no conflict either).
    expect(only(plan(deployment(''), live(3, [ours(false), kubectlScale])))).toMatchObject({ action: 'noop', warnings: [] });
  });

  it('owned by kubeplan and another manager: applying without it leaves the other owner, so the value stays', () => {
    expect(only(plan(deployment(''), live(3, [ours(true), kubectlScale])))).toMatchObject({ action: 'noop', warnings: [] });
  });

  it('live already at 1, or the repo sets replicas: no scale-down warning', () => {
    expect(rules(only(plan(deployment(''), live(1, [ours(true)]))))).toEqual([]);
    const c = only(plan(deployment('  replicas: 2\n'), live(5, [ours(true)])));
    expect(c.changes.map((f) => `${f.path}: ${String(f.before)} → ${String(f.after)}`)).toEqual(['spec.replicas: 5 → 2']);
    expect(rules(c)).toEqual([]);
  });

  it('a live object without ownership information: assumed ours without an HPA (said so); with an HPA the HPA keeps them (T8)', () => {
    const bare = live(5, []).replace('  managedFields:\n\n', '');
    expect(bare).not.toContain('managedFields');
    const c = only(plan(deployment(''), bare));
    expect(rules(c)).toEqual(['replicas-scale-down']);
    expect(c.warnings[0]?.message).toContain('the live object shows no field owners, so kubeplan is taken to own it');
    expect(deploymentOf(plan(deployment('') + hpa, bare))).toMatchObject({ action: 'noop', warnings: [] });
  });

  it('the server dry-run says so (replicas 1 in its answer): the same warning on the dry-run basis', () => {
    const dryObject = objects(live(1, [ours(false)]))[0]!;
    const p = computePlan({
      desired: manifests(deployment('') + hpa),
      live: { kind: 'cluster', description: 'cluster', objects: objects(live(6, [ours(true)])).map((object) => ({ object })), dryRun: { 'apps/Deployment/shop/web': { ok: true, object: dryObject } } },
      settings: { defaultNamespace: 'default' },
    });
    const c = deploymentOf(p);
    expect(c).toMatchObject({ action: 'update', basis: 'dry-run' });
    expect(c.changes.map((f) => `${f.path}: ${String(f.before)} → ${String(f.after)}`)).toEqual(['spec.replicas: 6 → 1']);
    expect(c.warnings[0]?.message).toContain('scales down from 6 to 1 pod(s), until HorizontalPodAutoscaler shop/web-hpa');
  });

  it('text and Markdown renders put the scale-down at the top, not only under the change', () => {
    const p = plan(deployment('') + hpa, live(7, [ours(true)]));
    const text = renderPlan(p, 'text');
    const lines = text.split('\n');
    expect(lines[2]).toMatch(/^!! replicas-scale-down: Deployment shop\/web \(step \d+\): spec\.replicas is no longer in the repo .* scales down from 7 to 1 pod\(s\)/);
    expect(text).toMatch(/\n {6}!! replicas-scale-down: spec\.replicas is no longer/);
    const md = renderPlan(p, 'markdown');
    expect(md.split('\n').slice(0, 6).join('\n')).toMatch(/> \[!CAUTION\]\n> 🛑 \*\*Deployment shop\/web\*\* \(`replicas-scale-down`\): .*scales down from 7 to 1 pod\(s\)/);
    expect(md).toContain('| 🛑 **spec.replicas is no longer in the repo');
    // Without a dangerous change there is no banner.
    expect(renderPlan(plan(deployment('  replicas: 7\n'), live(7, [ours(true)])), 'text').split('\n')[2]).not.toMatch(/^!!/);
  });
});
