// The repo's references that validate could not settle (a ConfigMap, Secret, ServiceAccount, PVC or Service the repo
// does not define; a selector that matches no pod template of the repo), resolved against the live state:
//   - found there (and not deleted by this plan): settled, listed in the plan's references and notes;
//   - absent although the live state lists that kind in that namespace: a warning on the referencing object's change;
//   - found, but this plan deletes it (prune): a warning too;
//   - --live-ref: found at the revision but gone from the repo since: a warning (the branch removes what is used);
//   - otherwise still unknown, and the notes say why.
// What a live state can prove depends on its kind: a cluster's LISTs prove presence and absence for what they listed;
// a snapshot proves that an object existed when it was taken, and absence only for kinds and namespaces it holds
// objects of (taken to be listings of them); a git ref is the repo at another revision, not the cluster.
// Pure: the live objects (and the cluster's metadata-only context LISTs) come in the input.
import type { Reference } from '../graph/references.ts';
import { keyOf, type ImpactEntry, type LiveEntry, type PodSources } from './impact.ts';
import { liveIdentity, objectKey } from './identity.ts';
import { groupKind } from './kinds.ts';
import type { LiveObject, LiveSource, PlanChange, PlanWarning, ReferenceResult } from './types.ts';

export interface ReferenceInput {
  references: readonly Reference[];
  source: LiveSource;
  /** The plan's changes with their desired and live objects (prune deletions included). */
  entries: readonly ImpactEntry[];
  /** The live objects the plan paired and pruned from. */
  live: readonly LiveEntry[];
  pods: PodSources;
  /** Where warnings go whose referencing object has no change (its identity differs in the plan). */
  planWarnings: PlanWarning[];
}

export interface ReferenceOutput {
  results: ReferenceResult[];
  notes: string[];
}

/** Resolve references against the live state; warnings are added to the changes (and `planWarnings`). */
export function resolveReferences(input: ReferenceInput): ReferenceOutput {
  const { references, source } = input;
  if (references.length === 0) return { results: [], notes: [] };
  const where = liveName(source);

  // Live objects by gk/namespace/name: the plan's, then the context objects (metadata only).
  const present = new Map<string, LiveEntry>();
  for (const l of input.live) present.set(keyOf(l), l);
  const contextEntries = (source.context ?? []).flatMap((o) => entryOf(o));
  for (const c of contextEntries) if (!present.has(keyOf(c))) present.set(keyOf(c), c);
  const deleted = new Set(input.entries.filter((e) => e.change.action === 'delete').map(keyOf));
  const inRepo = new Set(input.entries.filter((e) => e.desired).map(keyOf));
  const rev = source.description.replace(/^git ref /, '');
  const changes = new Map<string, PlanChange>();
  for (const e of input.entries) if (e.desired) changes.set(e.change.key, e.change);
  const covers = coverage(source, [...input.live, ...contextEntries]);

  const results: ReferenceResult[] = [];
  for (const ref of references) {
    const from = `${ref.from.kind} ${ref.from.namespace}/${ref.from.name}`;
    const warn = (rule: string, message: string): void => {
      const change = changes.get(objectKey(ref.from.group, ref.from.kind, ref.from.namespace, ref.from.name));
      if (!change) {
        input.planWarnings.push({ rule, message: `${from}: ${message}` });
        return;
      }
      if (rule === 'selector-no-match' && change.warnings.some((w) => w.rule === rule)) return; // impact.ts said it already
      if (!change.warnings.some((w) => w.rule === rule && w.message === message)) change.warnings.push({ rule, message });
    };
    const result = (outcome: ReferenceResult['outcome'], target: string, detail: string): void => {
      results.push({ rule: ref.rule, from, target, outcome, repo: ref.outcome, detail });
    };

    const t = ref.target;
    if (t.type === 'object') {
      const gk = groupKind(t.group, t.kind);
      const key = keyOf({ gk, namespace: t.namespace, name: t.name });
      const target = `${t.kind} ${t.namespace}/${t.name}`;
      if (present.has(key)) {
        if (deleted.has(key)) {
          warn(ref.rule, `${ref.what} is deleted by this plan (prune) but still referenced — ${ref.consequence}`);
          result('deleted', target, `in ${where}, deleted by this plan`);
        } else if (source.kind === 'git-ref') {
          if (ref.outcome === 'unknown') warn(ref.rule, `${ref.what} was in the repo at ${rev} and is not any more, but is still referenced — once it is deleted from the cluster, ${ref.consequence}`);
          result('removed', target, `in the repo at ${rev}, not any more`);
        } else {
          result('found', target, `found in ${where}`);
        }
        continue;
      }
      const gap = covers(gk, t.namespace);
      if (gap === undefined) {
        if (ref.outcome === 'unknown') warn(ref.rule, `${ref.what} is in neither the repo nor ${where} — ${ref.consequence}`);
        result('missing', target, `not in ${where}`);
      } else {
        result('unknown', target, gap);
      }
      continue;
    }

    // Selectors: the pods running now and the pods after the plan, in the namespace.
    const target = `pods ${t.selector.toString()} in ${t.namespace}`;
    const running = input.pods.running.get(t.namespace) ?? [];
    const future = input.pods.future.get(t.namespace) ?? [];
    const kept = [...future, ...running.filter((p) => p.owner === undefined || !deleted.has(p.owner))].filter((p) => t.selector.matches(p.labels));
    if (source.kind === 'git-ref' && kept.length > 0 && !kept.some((p) => p.owner !== undefined && inRepo.has(p.owner))) {
      // Only workloads of the repo at that revision match, and the repo has dropped them since.
      const owners = [...new Set(kept.map((p) => p.owner ?? p.label))].map((o) => describeKey(o)).join(', ');
      if (ref.outcome === 'unknown') warn('selector-no-match', `${ref.what} selects only pods of ${owners}, which ${rev} has and the repo does not any more — once it is deleted from the cluster, ${ref.consequence}`);
      result('removed', target, `selects only pods of ${owners}, in the repo at ${rev}, not any more`);
      continue;
    }
    if (kept.length > 0) {
      const pods = kept.filter((p) => p.pod).length;
      result('found', target, pods > 0 ? `selects ${pods} pod(s) in ${where}` : `selects ${kept[0]?.label ?? 'pods'} in ${where}`);
      continue;
    }
    const doomed = running.filter((p) => t.selector.matches(p.labels));
    if (doomed.length > 0) {
      const owners = [...new Set(doomed.map((p) => p.owner ?? p.label))].map((o) => describeKey(o)).join(', ');
      warn('selector-no-match', `${ref.what} selects only pods of ${owners}, which this plan deletes — ${ref.consequence}`);
      result('deleted', target, `selects only pods of ${owners}, deleted by this plan`);
      continue;
    }
    const gap = covers('Pod', t.namespace);
    if (gap === undefined) {
      if (ref.outcome === 'unknown') warn('selector-no-match', `${ref.what} matches no pod template in the repo and no pod in ${where} (namespace ${t.namespace}) — ${ref.consequence}`);
      result('missing', target, `no pod in ${where} matches`);
    } else {
      result('unknown', target, gap);
    }
  }
  return { results, notes: notesOf(results, source) };
}

function liveName(source: LiveSource): string {
  switch (source.kind) {
    case 'cluster':
      return 'the cluster';
    case 'snapshot':
      return 'the snapshot';
    case 'git-ref':
      return source.description;
    default:
      return 'the live state';
  }
}

/**
 * For a kind in a namespace: undefined when the live state would hold every such object (absence is proof), else why
 * it cannot tell.
 */
function coverage(source: LiveSource, entries: readonly LiveEntry[]): (gk: string, namespace: string) => string | undefined {
  if (source.kind === 'git-ref') return () => `${source.description} is the repo at another revision, not the cluster`;
  if (source.listed !== undefined) {
    const listed = new Set(source.listed.map((l) => `${l.gk}/${l.namespace ?? ''}`));
    return (gk, ns) => (listed.has(`${gk}/${ns}`) ? undefined : `the cluster's ${plural(gk)} in namespace ${ns} were not listed`);
  }
  // A snapshot (or hand-made live objects): a kind it holds in a namespace is taken to be a listing of it there.
  const held = new Set(entries.map((e) => `${e.gk}/${e.namespace ?? ''}`));
  const what = source.kind === 'snapshot' ? 'the snapshot' : 'the live state';
  return (gk, ns) => (held.has(`${gk}/${ns}`) ? undefined : `${what} holds no ${plural(gk)} in namespace ${ns}, so it cannot show that one is missing`);
}

function notesOf(results: readonly ReferenceResult[], source: LiveSource): string[] {
  const notes: string[] = [];
  const where = liveName(source);
  const list = (rs: readonly ReferenceResult[]): string => {
    const names = [...new Set(rs.map((r) => r.target))];
    return names.slice(0, 5).join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '');
  };
  const found = results.filter((r) => r.outcome === 'found');
  if (found.length > 0) {
    const proof = source.kind === 'snapshot' ? ' (as of the snapshot; it may have changed since)' : '';
    notes.push(`${found.length} reference(s) the repo cannot satisfy were found in ${where}${proof}: ${list(found)}`);
  }
  const unknown = results.filter((r) => r.outcome === 'unknown');
  if (unknown.length > 0) {
    const why = [...new Set(unknown.map((r) => r.detail))];
    notes.push(`${unknown.length} reference(s) the repo cannot satisfy were not checked (${list(unknown)}): ${why.slice(0, 3).join('; ')}${why.length > 3 ? '; …' : ''}`);
  }
  return notes;
}

function entryOf(o: LiveObject): LiveEntry[] {
  const id = liveIdentity(o.object);
  return id ? [{ gk: id.gk, namespace: id.namespace, name: id.name, object: o.object }] : [];
}

function kindOf(gk: string): string {
  const i = gk.indexOf('/');
  return i < 0 ? gk : gk.slice(i + 1);
}

function plural(gk: string): string {
  const kind = kindOf(gk);
  return kind.endsWith('s') ? `${kind}es` : `${kind}s`;
}

/** "apps/Deployment/shop/web" (impact's keyOf) → "Deployment shop/web"; labels pass through. */
function describeKey(key: string): string {
  const parts = key.split('/');
  if (parts.length === 4) return `${parts[1]} ${parts[2] ? `${parts[2]}/` : ''}${parts[3]}`;
  if (parts.length === 3) return `${parts[0]} ${parts[1] ? `${parts[1]}/` : ''}${parts[2]}`;
  return key;
}
