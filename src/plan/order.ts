// Apply order: a dependency graph between kinds (Namespaces and CRDs first, a custom resource after
// its CRD, ServiceAccounts, RBAC, ConfigMaps, Secrets and storage before workloads, then Services,
// Ingress, HPA/PDB, admission webhooks last), within waves (`kubeplan.dev/wave: "<int>"`, default 0).
// Steps are the layers of that graph: objects in one step do not depend on each other. Prunes come
// after every apply step, in reverse dependency order, higher waves first.
import type { PlanChange, PlanStep } from './types.ts';

export const WAVE_ANNOTATION = 'kubeplan.dev/wave';

export type KindClass =
  | 'namespace'
  | 'crd'
  | 'class'
  | 'serviceaccount'
  | 'role'
  | 'rolebinding'
  | 'config'
  | 'policy'
  | 'pv'
  | 'pvc'
  | 'workload'
  | 'service'
  | 'ingress'
  | 'autoscale'
  | 'webhook';

export function kindClass(gk: string): KindClass {
  switch (gk) {
    case 'Namespace':
      return 'namespace';
    case 'apiextensions.k8s.io/CustomResourceDefinition':
      return 'crd';
    case 'ServiceAccount':
      return 'serviceaccount';
    case 'rbac.authorization.k8s.io/ClusterRole':
    case 'rbac.authorization.k8s.io/Role':
      return 'role';
    case 'rbac.authorization.k8s.io/ClusterRoleBinding':
    case 'rbac.authorization.k8s.io/RoleBinding':
      return 'rolebinding';
    case 'ConfigMap':
    case 'Secret':
      return 'config';
    case 'ResourceQuota':
    case 'LimitRange':
    case 'networking.k8s.io/NetworkPolicy':
      return 'policy';
    case 'PersistentVolume':
      return 'pv';
    case 'PersistentVolumeClaim':
      return 'pvc';
    case 'Service':
      return 'service';
    case 'networking.k8s.io/Ingress':
    case 'gateway.networking.k8s.io/HTTPRoute':
      return 'ingress';
    case 'autoscaling/HorizontalPodAutoscaler':
    case 'policy/PodDisruptionBudget':
      return 'autoscale';
    case 'admissionregistration.k8s.io/MutatingWebhookConfiguration':
    case 'admissionregistration.k8s.io/ValidatingWebhookConfiguration':
    case 'admissionregistration.k8s.io/ValidatingAdmissionPolicy':
    case 'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding':
    case 'apiregistration.k8s.io/APIService':
      return 'webhook';
  }
  const kind = gk.slice(gk.indexOf('/') + 1);
  if (kind.endsWith('Class') || gk === 'scheduling.k8s.io/PriorityClass') return 'class';
  return 'workload';
}

/** Which classes a class waits for (when objects of them are in the same wave of the plan). */
const DEPENDS_ON: Record<KindClass, KindClass[]> = {
  namespace: [],
  crd: [],
  class: [],
  serviceaccount: [],
  role: [],
  config: [],
  policy: [],
  pv: ['class'],
  rolebinding: ['role', 'serviceaccount'],
  pvc: ['pv', 'class'],
  workload: ['serviceaccount', 'role', 'rolebinding', 'config', 'policy', 'pv', 'pvc', 'class', 'crd'],
  service: ['workload'],
  ingress: ['service', 'class'],
  autoscale: ['workload'],
  webhook: ['namespace', 'crd', 'class', 'serviceaccount', 'role', 'rolebinding', 'config', 'policy', 'pv', 'pvc', 'workload', 'service', 'ingress', 'autoscale'],
};

export interface OrderItem {
  change: PlanChange;
  gk: string;
  namespace?: string;
  name: string;
  /** For a custom resource: the CRD it needs (by "group/Kind"). */
  crdOf?: string;
  /** For a CRD: the "group/Kind" it defines. */
  defines?: string;
}

export function parseWave(value: string | undefined): number {
  if (value === undefined) return 0;
  const n = Number(value.trim());
  return Number.isInteger(n) ? n : 0;
}

function depends(a: OrderItem, b: OrderItem): boolean {
  // does a depend on b?
  if (a === b) return false;
  if (b.change.object.kind === 'Namespace' && b.gk === 'Namespace' && a.namespace !== undefined && a.namespace === b.name) return true;
  if (a.crdOf !== undefined && b.defines === a.crdOf) return true;
  return DEPENDS_ON[kindClass(a.gk)].includes(kindClass(b.gk));
}

/** Assign `step` on every change and return the steps (noops get step 0 and no step). */
export function orderChanges(items: OrderItem[]): PlanStep[] {
  const apply = items.filter((i) => i.change.action === 'create' || i.change.action === 'update' || i.change.action === 'replace');
  const prune = items.filter((i) => i.change.action === 'delete');
  for (const i of items) if (i.change.action === 'noop') i.change.step = 0;

  const layer = (list: OrderItem[], before: (a: OrderItem, b: OrderItem) => boolean): Map<OrderItem, number> => {
    // Longest-path layering; `before(a, b)` = a must come before b. The graph is acyclic by construction
    // (classes are ranked, waves are ordered); a cycle through user waves is cut by visiting order.
    const level = new Map<OrderItem, number>();
    const visiting = new Set<OrderItem>();
    const visit = (x: OrderItem): number => {
      const known = level.get(x);
      if (known !== undefined) return known;
      if (visiting.has(x)) return 1;
      visiting.add(x);
      let l = 1;
      for (const y of list) if (y !== x && before(y, x)) l = Math.max(l, visit(y) + 1);
      visiting.delete(x);
      level.set(x, l);
      return l;
    };
    for (const x of list) visit(x);
    return level;
  };

  const applyBefore = (a: OrderItem, b: OrderItem): boolean => (a.change.wave !== b.change.wave ? a.change.wave < b.change.wave : depends(b, a));
  const applyLevels = layer(apply, applyBefore);
  // Prune: the reverse — an object goes after everything that depends on it; higher waves first.
  const pruneBefore = (a: OrderItem, b: OrderItem): boolean => (a.change.wave !== b.change.wave ? a.change.wave > b.change.wave : depends(a, b));
  const pruneLevels = layer(prune, pruneBefore);

  const steps: PlanStep[] = [];
  const emit = (levels: Map<OrderItem, number>, phase: 'apply' | 'prune', offset: number): number => {
    const max = Math.max(0, ...levels.values());
    for (let l = 1; l <= max; l++) {
      const members = [...levels].filter(([, v]) => v === l).map(([k]) => k);
      if (members.length === 0) continue;
      const step = offset + steps.filter((s) => s.phase === phase).length + 1;
      members.sort((a, b) => compareItems(a, b));
      for (const m of members) m.change.step = step;
      steps.push({ step, phase, keys: members.map((m) => m.change.key) });
    }
    return steps.length;
  };
  const applied = emit(applyLevels, 'apply', 0);
  emit(pruneLevels, 'prune', applied);
  return steps;
}

export function compareItems(a: OrderItem, b: OrderItem): number {
  const ka = `${a.change.object.kind}\u0000${a.namespace ?? ''}\u0000${a.name}\u0000${a.gk}`;
  const kb = `${b.change.object.kind}\u0000${b.namespace ?? ''}\u0000${b.name}\u0000${b.gk}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
