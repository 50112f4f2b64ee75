// Selector and label impact warnings (T14 and friends), attached to the change that causes them.
import { describe, expect, it } from 'vitest';
import { only, plan } from './testing/helpers.ts';

const dep = (name: string, sel: string, labels = sel, extra = '') => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop${extra}}
spec:
  selector: {matchLabels: ${sel}}
  template:
    metadata: {labels: ${labels}}
    spec: {containers: [{name: c, image: "x:1"}]}
`;
const svc = (sel: string, name = 'web') => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: shop}\nspec: {selector: ${sel}, ports: [{port: 80}]}\n`;
const pdb = (sel: string) => `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web, namespace: shop}\nspec: {minAvailable: 1, selector: {matchLabels: ${sel}}}\n`;
const pod = (name: string, labels: string, owner = true) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: shop, labels: ${labels}${owner ? ', ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: rs, uid: u}]' : ''}}\nspec: {containers: [{name: c, image: "x:1"}]}\n`;
const docs = (...d: string[]) => d.join('---\n');
const rules = (c: { warnings: { rule: string }[] }) => c.warnings.map((w) => w.rule);

describe('selector and label impact', () => {
  it('T14: a new Service whose selector matches no pod template and no running pod warns that traffic goes nowhere', () => {
    const p = plan(docs(dep('web', '{app: web}'), svc('{app: wbe}')), '');
    const s = p.changes.find((c) => c.object.kind === 'Service')!;
    expect(rules(s)).toEqual(['selector-no-match']);
    expect(s.warnings[0]?.message).toMatch(/app=wbe matches no pod template .* traffic to this Service would go nowhere/);
  });

  it('a Service matching a pod template in the repo, or a running pod, is fine', () => {
    expect(rules(plan(docs(dep('web', '{app: web}'), svc('{app: web}')), '').changes.find((c) => c.object.kind === 'Service')!)).toEqual([]);
    expect(rules(only(plan(svc('{app: legacy}'), pod('legacy-1', '{app: legacy}', false))))).toEqual([]);
  });

  it('a Service/PDB whose selector changes and stops selecting running pods warns with the pods named', () => {
    const live = docs(dep('web', '{app: web}'), svc('{app: web}'), pod('web-1', '{app: web}'), pod('web-2', '{app: web}'));
    const p = plan(docs(dep('web', '{app: web}'), svc('{app: web, tier: canary}')), live);
    const s = p.changes.find((c) => c.object.kind === 'Service')!;
    expect(rules(s)).toEqual(['selector-no-match', 'selector-drops-pods']);
    expect(s.warnings[1]?.message).toMatch(/stops selecting running pod web-1, pod web-2/);
    const pd = plan(docs(dep('web', '{app: web}'), pdb('{app: api}')), docs(live, pdb('{app: web}')));
    expect(rules(pd.changes.find((c) => c.object.kind === 'PodDisruptionBudget')!)).toEqual(['selector-no-match', 'selector-drops-pods']);
  });

  it('no drop warning when the workload in the same plan relabels its pods to the new selector', () => {
    const live = docs(dep('web', '{app: web}', '{app: web}'), svc('{app: web}'), pod('web-1', '{app: web}'));
    const p = plan(docs(dep('web', '{app: web}', '{app: web, v: "2"}'), svc('{app: web, v: "2"}')), live);
    expect(rules(p.changes.find((c) => c.object.kind === 'Service')!)).toEqual([]);
  });

  it('NetworkPolicy podSelector change that stops selecting running pods warns', () => {
    const np = (sel: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np, namespace: shop}\nspec: {podSelector: {matchLabels: ${sel}}, policyTypes: [Ingress]}\n`;
    const p = plan(np('{app: api}'), docs(np('{app: web}'), pod('web-1', '{app: web}')));
    expect(rules(only(p))).toEqual(['selector-drops-pods']);
  });

  it('a workload whose new pod labels leave the Service that selects them warns on the workload', () => {
    const live = docs(dep('web', '{app: web}', '{app: web, track: stable}'), svc('{app: web, track: stable}'));
    const p = plan(docs(dep('web', '{app: web}', '{app: web, track: canary}'), svc('{app: web, track: stable}')), live);
    const d = p.changes.find((c) => c.object.kind === 'Deployment')!;
    expect(rules(d)).toEqual(['labels-leave-selector']);
    expect(d.warnings[0]?.message).toMatch(/not selected by Service shop\/web/);
  });

  it('T12: a workload selector change (replace) warns that its running pods go with it', () => {
    const live = docs(dep('web', '{app: web}'), pod('web-1', '{app: web}'));
    const c = only(plan(dep('web', '{app: web2}'), live), 'web');
    expect(c.action).toBe('replace');
    expect(rules(c)).toEqual(['selector-orphans-pods']);
    expect(c.warnings[0]?.message).toMatch(/replacing deletes the old Deployment shop\/web and its pod web-1/);
  });

  it('two workloads whose selectors overlap warn on both', () => {
    const p = plan(docs(dep('a', '{app: web}'), dep('b', '{app: web}', '{app: web, role: b}')), '');
    expect(p.changes.map(rules)).toEqual([['selector-overlap'], ['selector-overlap']]);
    const disjoint = plan(docs(dep('a', '{app: web, role: a}'), dep('b', '{app: web, role: b}')), '');
    expect(disjoint.changes.map(rules)).toEqual([[], []]);
  });

  it('an unmanaged live workload overlapping a repo workload warns on the repo one only', () => {
    const p = plan(dep('a', '{app: web}'), dep('legacy', '{app: web}'));
    expect(p.changes.map((c) => `${c.object.name}:${rules(c).join(',')}`)).toEqual(['a:selector-overlap']);
  });
});
