// Fields the API server refuses to change in place: a change to any of them makes the action a
// `replace` (delete, then create), with the field named in the reasons (Terraform's "forces
// replacement"). Compared on normalized live (l) and predicted (p) objects.
import { isObject, valueAt } from '../core/objects.ts';
import type { JsonObject, JsonValue } from '../core/types.ts';
import { deepEqual } from './json.ts';
import { compareQuantity } from './normalize/quantity.ts';

const at = (o: JsonValue | undefined, ...path: string[]): JsonValue | undefined => valueAt(o, path);

function changed(l: JsonObject, p: JsonObject, ...path: string[]): boolean {
  return !deepEqual(at(l, ...path), at(p, ...path));
}

const STS_MUTABLE_SPEC = new Set(['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds', 'revisionHistoryLimit']);
const POD_MUTABLE_SPEC = new Set(['containers', 'initContainers', 'activeDeadlineSeconds', 'tolerations', 'terminationGracePeriodSeconds', 'schedulingGates']);
const PVC_MUTABLE_SPEC = new Set(['resources', 'volumeAttributesClassName']);

/** Reasons (one per immutable field that changes); empty when an in-place update works. */
export function immutableChanges(gk: string, l: JsonObject, p: JsonObject): string[] {
  const reasons: string[] = [];
  const immutable = (path: string, why = 'field is immutable'): void => {
    reasons.push(`${path}: ${why}`);
  };
  switch (gk) {
    case 'apps/Deployment':
    case 'apps/ReplicaSet':
    case 'apps/DaemonSet':
      if (changed(l, p, 'spec', 'selector')) immutable('spec.selector');
      break;
    case 'apps/StatefulSet': {
      if (changed(l, p, 'spec', 'selector')) immutable('spec.selector');
      const keys = new Set([...Object.keys((at(l, 'spec') as JsonObject) ?? {}), ...Object.keys((at(p, 'spec') as JsonObject) ?? {})]);
      for (const k of [...keys].sort()) {
        if (k === 'selector' || STS_MUTABLE_SPEC.has(k)) continue;
        if (changed(l, p, 'spec', k)) immutable(`spec.${k}`, 'StatefulSet spec fields other than replicas, template, updateStrategy, persistentVolumeClaimRetentionPolicy, minReadySeconds and ordinals are immutable');
      }
      break;
    }
    case 'batch/Job':
      for (const f of ['template', 'selector', 'completionMode']) if (changed(l, p, 'spec', f)) immutable(`spec.${f}`);
      if (changed(l, p, 'spec', 'completions') && at(l, 'spec', 'completionMode') !== 'Indexed') immutable('spec.completions');
      break;
    case 'Service': {
      const lt = at(l, 'spec', 'type') ?? 'ClusterIP';
      const pt = at(p, 'spec', 'type') ?? 'ClusterIP';
      if (lt !== pt && (lt === 'ExternalName' || pt === 'ExternalName')) immutable('spec.type', `changing type between ${String(lt)} and ${String(pt)} reallocates the service`);
      const lip = at(l, 'spec', 'clusterIP');
      const pip = at(p, 'spec', 'clusterIP');
      if (pt !== 'ExternalName' && lt !== 'ExternalName' && typeof lip === 'string' && lip !== '' && typeof pip === 'string' && pip !== '' && lip !== pip) immutable('spec.clusterIP');
      break;
    }
    case 'PersistentVolumeClaim': {
      const keys = new Set([...Object.keys((at(l, 'spec') as JsonObject) ?? {}), ...Object.keys((at(p, 'spec') as JsonObject) ?? {})]);
      for (const k of [...keys].sort()) if (!PVC_MUTABLE_SPEC.has(k) && changed(l, p, 'spec', k)) immutable(`spec.${k}`);
      const ls = at(l, 'spec', 'resources', 'requests', 'storage');
      const ps = at(p, 'spec', 'resources', 'requests', 'storage');
      if ((typeof ls === 'string' || typeof ls === 'number') && (typeof ps === 'string' || typeof ps === 'number') && (compareQuantity(ps, ls) ?? 0) < 0) {
        immutable('spec.resources.requests.storage', `storage cannot shrink (${String(ls)} → ${String(ps)})`);
      }
      break;
    }
    case 'ConfigMap':
    case 'Secret': {
      if (at(l, 'immutable') === true) {
        for (const f of ['data', 'binaryData', 'immutable']) if (changed(l, p, f)) immutable(f, `the live ${gk} is immutable (immutable: true)`);
      }
      if (gk === 'Secret' && changed(l, p, 'type')) immutable('type');
      break;
    }
    case 'rbac.authorization.k8s.io/RoleBinding':
    case 'rbac.authorization.k8s.io/ClusterRoleBinding':
      if (changed(l, p, 'roleRef')) immutable('roleRef');
      break;
    case 'Pod': {
      const keys = new Set([...Object.keys((at(l, 'spec') as JsonObject) ?? {}), ...Object.keys((at(p, 'spec') as JsonObject) ?? {})]);
      for (const k of [...keys].sort()) if (!POD_MUTABLE_SPEC.has(k) && changed(l, p, 'spec', k)) immutable(`spec.${k}`, 'pod updates may only change container images, activeDeadlineSeconds, tolerations (additions) and terminationGracePeriodSeconds');
      for (const list of ['containers', 'initContainers']) {
        const lc = at(l, 'spec', list);
        const pc = at(p, 'spec', list);
        if (Array.isArray(lc) && Array.isArray(pc)) {
          const strip = (cs: JsonValue[]): JsonValue[] => cs.map((c) => (isObject(c) ? { ...c, image: null } : c));
          if (!deepEqual(strip(lc), strip(pc))) immutable(`spec.${list}`, 'only the image of a container of a running pod can change');
        }
      }
      break;
    }
    case 'storage.k8s.io/StorageClass':
      for (const f of ['provisioner', 'parameters', 'reclaimPolicy', 'volumeBindingMode']) if (changed(l, p, f)) immutable(f);
      break;
    case 'batch/CronJob':
    case 'Namespace':
      break;
  }
  return reasons;
}

/** An API server message that says a dry-run failed on an immutable field. */
export function isImmutableError(message: string): boolean {
  return /field is immutable|is immutable|may not change|Forbidden: updates to .* are forbidden|cannot be changed/i.test(message);
}
