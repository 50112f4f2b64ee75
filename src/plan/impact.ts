// Selector and label impact: warnings attached to the change that causes them.
//  - selector-no-match:     a Service/PDB whose (new) selector matches no pod template and no running pod
//  - selector-drops-pods:   a Service/PDB/NetworkPolicy update that stops selecting running pods
//  - labels-leave-selector: a workload whose new pod labels leave a Service/PDB that selected them
//  - selector-orphans-pods: a workload selector change that leaves its running pods behind
//  - selector-overlap:      two workloads whose selectors can select the same pods
import { getObject, isObject, valueAt } from '../core/objects.ts';
import type { JsonObject, JsonValue } from '../core/types.ts';
import { WORKLOADS } from './kinds.ts';
import { parseLabelSelector, type Selector, selectorFromMap } from '../selectors/index.ts';
import { labelsOf } from './identity.ts';
import type { PlanChange } from './types.ts';

export interface ImpactEntry {
  change: PlanChange;
  gk: string;
  namespace?: string;
  name: string;
  desired?: JsonObject;
  live?: JsonObject;
}

export interface LiveEntry {
  gk: string;
  namespace?: string;
  name: string;
  object: JsonObject;
}

/** The selector of a Service / PDB / NetworkPolicy / workload; null when it has none (or selects nothing on purpose). */
export function selectorOf(gk: string, o: JsonObject | undefined): Selector | null {
  if (!o) return null;
  if (gk === 'Service') {
    const sel = valueAt(o, ['spec', 'selector']);
    if (!isObject(sel) || Object.keys(sel).length === 0) return null;
    return selectorFromMap(labelsOf(sel));
  }
  if (gk === 'ReplicationController') {
    const sel = valueAt(o, ['spec', 'selector']);
    const map = isObject(sel) && Object.keys(sel).length > 0 ? sel : valueAt(o, ['spec', 'template', 'metadata', 'labels']);
    return isObject(map) ? selectorFromMap(labelsOf(map)) : null;
  }
  const path = gk === 'policy/PodDisruptionBudget' ? ['spec', 'selector'] : gk === 'networking.k8s.io/NetworkPolicy' ? ['spec', 'podSelector'] : WORKLOADS[gk]?.selector;
  if (!path) return null;
  const parsed = parseLabelSelector(valueAt(o, path));
  return parsed.ok ? parsed.selector : null;
}

function templateLabels(gk: string, o: JsonObject | undefined): Record<string, string> | null {
  const w = WORKLOADS[gk];
  if (!w || !o) return null;
  return labelsOf(valueAt(o, [...w.template, 'metadata', 'labels']));
}

function ref(e: { gk: string; namespace?: string; name: string }): string {
  const kind = e.gk.includes('/') ? e.gk.slice(e.gk.indexOf('/') + 1) : e.gk;
  return `${kind} ${e.namespace ? `${e.namespace}/` : ''}${e.name}`;
}

export function keyOf(e: { gk: string; namespace?: string; name: string }): string {
  return `${e.gk}/${e.namespace ?? ''}/${e.name}`;
}

function names(pods: PodSource[], max = 5): string {
  const shown = pods.slice(0, max).map((p) => p.label);
  return pods.length > max ? `${shown.join(', ')} and ${pods.length - max} more` : shown.join(', ');
}

const SELECTING_KINDS = new Set(['Service', 'policy/PodDisruptionBudget', 'networking.k8s.io/NetworkPolicy']);

/** The pods of each namespace the plan touches: now (running) and after the plan (future). */
export interface PodSources {
  /** Running pods (live Pod objects), or, where the live state has none in a namespace, the live pod templates as proxies. */
  running: Map<string, PodSource[]>;
  /** Pods after the plan: desired templates, live workloads the plan leaves alone, bare live pods it does not delete. */
  future: Map<string, PodSource[]>;
  /** Live workloads (any namespace). */
  liveWorkloads: LiveEntry[];
}

export interface PodSource {
  /** "pod web-1", "pods of Deployment shop/web". */
  label: string;
  labels: Record<string, string>;
  /** Key (gk/namespace/name) of the workload the pods belong to (for "the rollout relabels them"). */
  owner?: string;
  /** A live Pod object (not a template standing in for pods). */
  pod?: boolean;
}

export function podSources(entries: readonly ImpactEntry[], live: readonly LiveEntry[]): PodSources {
  const desiredKeys = new Set(entries.filter((e) => e.desired).map(keyOf));
  const deleted = new Set(entries.filter((e) => e.change.action === 'delete').map(keyOf));
  const namespaces = new Set(entries.map((e) => e.namespace ?? ''));

  const running = new Map<string, PodSource[]>();
  const liveWorkloads = live.filter((l) => WORKLOADS[l.gk]);
  for (const ns of namespaces) {
    const pods = live.filter((l) => l.gk === 'Pod' && (l.namespace ?? '') === ns);
    if (pods.length > 0) {
      running.set(
        ns,
        pods.map((p) => {
          const labels = labelsOf(getObject(getObject(p.object, 'metadata'), 'labels'));
          const owner = liveWorkloads.find((w) => (w.namespace ?? '') === ns && selectorOf(w.gk, w.object)?.matches(labels));
          return { label: `pod ${p.name}`, labels, owner: owner ? keyOf(owner) : undefined, pod: true };
        }),
      );
    } else {
      running.set(
        ns,
        liveWorkloads
          .filter((w) => (w.namespace ?? '') === ns)
          .map((w) => ({ label: `pods of ${ref(w)}`, labels: templateLabels(w.gk, w.object) ?? {}, owner: keyOf(w) })),
      );
    }
  }
  const future = new Map<string, PodSource[]>();
  for (const ns of namespaces) {
    const list: PodSource[] = [];
    for (const e of entries) {
      if ((e.namespace ?? '') !== ns || !e.desired || e.change.action === 'delete') continue;
      const labels = templateLabels(e.gk, e.desired);
      if (labels) list.push({ label: `pods of ${ref(e)}`, labels, owner: keyOf(e) });
      if (e.gk === 'Pod') list.push({ label: `pod ${e.name}`, labels: labelsOf(valueAt(e.desired, ['metadata', 'labels'])), owner: keyOf(e) });
    }
    for (const w of liveWorkloads) {
      if ((w.namespace ?? '') !== ns || desiredKeys.has(keyOf(w)) || deleted.has(keyOf(w))) continue;
      list.push({ label: `pods of ${ref(w)}`, labels: templateLabels(w.gk, w.object) ?? {}, owner: keyOf(w) });
    }
    for (const p of live) {
      if (p.gk !== 'Pod' || (p.namespace ?? '') !== ns || desiredKeys.has(keyOf(p)) || deleted.has(keyOf(p))) continue;
      if (Array.isArray(valueAt(p.object, ['metadata', 'ownerReferences']))) continue;
      list.push({ label: `pod ${p.name}`, labels: labelsOf(valueAt(p.object, ['metadata', 'labels'])), pod: true });
    }
    future.set(ns, list);
  }
  return { running, future, liveWorkloads };
}

export function analyzeImpact(entries: ImpactEntry[], live: LiveEntry[], pods: PodSources = podSources(entries, live)): void {
  const desiredKeys = new Set(entries.filter((e) => e.desired).map(keyOf));
  const deleted = new Set(entries.filter((e) => e.change.action === 'delete').map(keyOf));
  const { running, future, liveWorkloads } = pods;
  const desiredByKey = new Map(entries.filter((e) => e.desired).map((e) => [keyOf(e), e]));

  for (const e of entries) {
    const ns = e.namespace ?? '';
    const action = e.change.action;
    const warn = (rule: string, message: string): void => {
      if (!e.change.warnings.some((w) => w.rule === rule && w.message === message)) e.change.warnings.push({ rule, message });
    };
    if (SELECTING_KINDS.has(e.gk) && e.desired && action !== 'delete') {
      const next = selectorOf(e.gk, e.desired);
      const prev = selectorOf(e.gk, e.live);
      const selectorChanged = action === 'create' || (prev?.toString() ?? '') !== (next?.toString() ?? '');
      if (next && !next.empty && !next.nothing && selectorChanged && e.gk !== 'networking.k8s.io/NetworkPolicy') {
        const candidates = [...(future.get(ns) ?? []), ...(running.get(ns) ?? [])];
        if (!candidates.some((p) => next.matches(p.labels))) {
          warn('selector-no-match', `${e.gk === 'Service' ? 'selector' : 'spec.selector'} ${next.toString()} matches no pod template in the repo and no running pod in namespace ${ns || '(cluster)'}${e.gk === 'Service' ? ': traffic to this Service would go nowhere' : ''}`);
        }
      }
      if (prev && next && e.live && action !== 'create' && selectorChanged) {
        const dropped = (running.get(ns) ?? []).filter((p) => {
          if (!prev.matches(p.labels) || next.matches(p.labels)) return false;
          // Pods whose workload rolls out to labels the new selector matches are not lost.
          const owner = p.owner ? desiredByKey.get(p.owner) : undefined;
          const newLabels = owner ? templateLabels(owner.gk, owner.desired) : null;
          return !(newLabels && next.matches(newLabels));
        });
        if (dropped.length > 0) warn('selector-drops-pods', `the new selector ${next.toString()} stops selecting running ${names(dropped)} (selected by ${prev.toString()} now)`);
      }
    }
    const w = WORKLOADS[e.gk];
    if (w && e.desired && e.live && (action === 'update' || action === 'replace')) {
      const prevSel = selectorOf(e.gk, e.live);
      const nextSel = selectorOf(e.gk, e.desired);
      if (w.selector && prevSel && nextSel && prevSel.toString() !== nextSel.toString()) {
        const mine = (running.get(ns) ?? []).filter((p) => prevSel.matches(p.labels) && !nextSel.matches(p.labels));
        if (mine.length > 0) {
          warn(
            'selector-orphans-pods',
            action === 'replace'
              ? `the selector changes from ${prevSel.toString()} to ${nextSel.toString()}: replacing deletes the old ${ref(e)} and its ${names(mine)}; expect downtime until the new pods are ready`
              : `the selector changes from ${prevSel.toString()} to ${nextSel.toString()}: ${names(mine)} would be orphaned (no longer managed)`,
          );
        }
      }
      const oldLabels = templateLabels(e.gk, e.live);
      const newLabels = templateLabels(e.gk, e.desired);
      if (oldLabels && newLabels) {
        for (const s of entries) {
          if (!SELECTING_KINDS.has(s.gk) || s.gk === 'networking.k8s.io/NetworkPolicy' || (s.namespace ?? '') !== ns || !s.desired || s.change.action === 'delete') continue;
          const before = selectorOf(s.gk, s.live ?? s.desired);
          const after = selectorOf(s.gk, s.desired);
          if (before && after && !before.empty && !before.nothing && before.matches(oldLabels) && !after.matches(newLabels)) {
            warn('labels-leave-selector', `the new pod labels of ${ref(e)} are not selected by ${ref(s)} (${after.toString()}), which selects its pods now`);
          }
        }
      }
    }
  }

  // Two workloads in one namespace fight over pods when one's selector matches the pods the other creates.
  // (Two selectors that *could* both match some label set, e.g. on different keys, do not fight.)
  const podLabelsOf = (o: JsonValue | undefined): Record<string, string> => labelsOf(valueAt(o, ['spec', 'template', 'metadata', 'labels']));
  const workloads: { entry?: ImpactEntry; gk: string; namespace?: string; name: string; selector: Selector; labels: Record<string, string> }[] = [];
  for (const e of entries) {
    if (!WORKLOADS[e.gk]?.selector || !e.desired || e.change.action === 'delete') continue;
    const s = selectorOf(e.gk, e.desired);
    if (s && !s.empty && !s.nothing) workloads.push({ entry: e, gk: e.gk, namespace: e.namespace, name: e.name, selector: s, labels: podLabelsOf(e.desired) });
  }
  for (const l of liveWorkloads) {
    if (!WORKLOADS[l.gk]?.selector || desiredKeys.has(keyOf(l)) || deleted.has(keyOf(l))) continue;
    if (Array.isArray(valueAt(l.object, ['metadata', 'ownerReferences']))) continue; // ReplicaSets of a Deployment
    const s = selectorOf(l.gk, l.object);
    if (s && !s.empty && !s.nothing) workloads.push({ gk: l.gk, namespace: l.namespace, name: l.name, selector: s, labels: podLabelsOf(l.object) });
  }
  for (let i = 0; i < workloads.length; i++) {
    for (let j = i + 1; j < workloads.length; j++) {
      const a = workloads[i]!;
      const b = workloads[j]!;
      if ((a.namespace ?? '') !== (b.namespace ?? '') || !(a.selector.matches(b.labels) || b.selector.matches(a.labels))) continue;
      for (const [x, y] of [
        [a, b],
        [b, a],
      ] as const) {
        if (!x.entry) continue;
        x.entry.change.warnings.push({
          rule: 'selector-overlap',
          message: `selector ${x.selector.toString()} and ${ref(y)}'s selector (${y.selector.toString()}) select the same pods: both controllers would claim them`,
        });
      }
    }
  }
}
