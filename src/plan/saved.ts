// The saved plan (`kubeplan plan --out plan.json`): a versioned JSON document that `apply` reads to
// perform exactly the planned changes, and refuses when it is stale — another cluster (T38), a live
// object changed since the plan (resourceVersion/uid, T36), or a repo object changed (desiredHash).
// It holds no Secret value: patches are redacted and objects are identified by salted hashes.
import { getObject, getString } from '../core/objects.ts';
import type { JsonObject, Manifest } from '../core/types.ts';
import { desiredIdentity, liveIdentity, ScopeResolver } from './identity.ts';
import { canonicalJson, sha256 } from './json.ts';
import type { ClusterIdentity, KindInfoFn, LiveObject, Plan, PlanChange, PlanStep, PlanSummary } from './types.ts';

export const SAVED_PLAN_FORMAT_VERSION = 1;

/** A planned change as saved: what apply needs of a PlanChange (not the field-by-field `changes`, source or basis). */
export type SavedChange = Pick<PlanChange, 'action' | 'object' | 'key' | 'step' | 'wave' | 'reasons' | 'warnings' | 'patch' | 'live' | 'desiredHash'>;

export interface SavedPlan {
  formatVersion: 1;
  tool: { name: 'kubeplan' };
  createdAt: string;
  cluster: ClusterIdentity | null;
  live: { kind: string; description: string };
  settings: Plan['settings'];
  hashSalt: string;
  summary: PlanSummary;
  steps: PlanStep[];
  changes: SavedChange[];
}

export function toSavedPlan(plan: Plan): SavedPlan {
  return {
    formatVersion: 1,
    tool: { name: 'kubeplan' },
    createdAt: plan.createdAt,
    cluster: plan.cluster ?? null,
    live: { kind: plan.live.kind, description: plan.live.description },
    settings: plan.settings,
    hashSalt: plan.hashSalt,
    summary: plan.summary,
    steps: plan.steps,
    changes: plan.changes.map((c) => ({
      action: c.action,
      object: c.object,
      key: c.key,
      step: c.step,
      wave: c.wave,
      reasons: c.reasons,
      warnings: c.warnings,
      patch: c.patch,
      ...(c.live ? { live: c.live } : {}),
      ...(c.desiredHash ? { desiredHash: c.desiredHash } : {}),
    })),
  };
}

/** The text of a saved plan (`--out plan.json`). */
export function savePlan(plan: Plan): string {
  return `${JSON.stringify(toSavedPlan(plan), null, 2)}\n`;
}

export class SavedPlanError extends Error {}

export function loadPlan(text: string): SavedPlan {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new SavedPlanError(`not a kubeplan plan file: ${(e as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || (doc as { tool?: { name?: string } }).tool?.name !== 'kubeplan') throw new SavedPlanError('not a kubeplan plan file');
  const v = (doc as { formatVersion?: unknown }).formatVersion;
  if (v !== SAVED_PLAN_FORMAT_VERSION) throw new SavedPlanError(`plan file format version ${String(v)} is not supported (this kubeplan reads version ${SAVED_PLAN_FORMAT_VERSION}); plan again`);
  const p = doc as SavedPlan;
  if (!Array.isArray(p.changes) || typeof p.hashSalt !== 'string') throw new SavedPlanError('plan file is incomplete (changes, hashSalt)');
  return p;
}

/** desiredHash of a desired object, as computePlan writes it. */
export function desiredHash(salt: string, object: JsonObject): string {
  return sha256(`${salt}\n${canonicalJson(object)}`);
}

export interface FreshnessInput {
  cluster?: ClusterIdentity;
  live: LiveObject[];
  desired: Manifest[];
  kindInfo?: KindInfoFn;
}

/**
 * Why a saved plan cannot be applied as is (empty = fresh): cluster identity, live resourceVersion/uid
 * of every planned object, objects that appeared or vanished, and repo objects whose content changed.
 */
export function stalePlanProblems(saved: SavedPlan, input: FreshnessInput): string[] {
  const problems: string[] = [];
  if (saved.cluster && input.cluster) {
    if (saved.cluster.kubeSystemUid && input.cluster.kubeSystemUid && saved.cluster.kubeSystemUid !== input.cluster.kubeSystemUid) {
      problems.push(`the plan was made against another cluster (kube-system uid ${saved.cluster.kubeSystemUid}, now ${input.cluster.kubeSystemUid})`);
    } else if (!saved.cluster.kubeSystemUid && saved.cluster.server !== input.cluster.server) {
      problems.push(`the plan was made against ${saved.cluster.server}, not ${input.cluster.server}`);
    }
  }
  const liveByKey = new Map<string, JsonObject>();
  for (const l of input.live) {
    const id = liveIdentity(l.object);
    if (id) liveByKey.set(id.key, l.object);
  }
  const scopes = new ScopeResolver(input.kindInfo, input.desired.map((m) => m.object));
  const desiredByKey = new Map<string, JsonObject>();
  for (const m of input.desired) {
    const id = desiredIdentity(m.object, scopes, saved.settings.defaultNamespace);
    if (id && !desiredByKey.has(id.key)) desiredByKey.set(id.key, m.object);
  }
  for (const c of saved.changes) {
    const name = `${c.object.kind} ${c.object.namespace ? `${c.object.namespace}/` : ''}${c.object.name}`;
    const live = liveByKey.get(c.key);
    if (c.action === 'create') {
      if (live) problems.push(`${name}: planned as a create but it exists now`);
    } else if (!live) {
      if (c.action !== 'delete') problems.push(`${name}: gone from the cluster since the plan`);
    } else {
      const meta = getObject(live, 'metadata');
      if (c.live?.uid && getString(meta, 'uid') !== c.live.uid) problems.push(`${name}: recreated since the plan (uid changed)`);
      else if (c.live?.resourceVersion && getString(meta, 'resourceVersion') !== c.live.resourceVersion) problems.push(`${name}: changed since the plan (resourceVersion ${c.live.resourceVersion} → ${getString(meta, 'resourceVersion')})`);
    }
    if (c.desiredHash) {
      const d = desiredByKey.get(c.key);
      if (!d) problems.push(`${name}: no longer in the repo`);
      else if (desiredHash(saved.hashSalt, d) !== c.desiredHash) problems.push(`${name}: changed in the repo since the plan`);
    }
  }
  return problems;
}
