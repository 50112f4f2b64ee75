// A plan against a cluster, with a server-side dry-run policy (`kubeplan plan --server-dry-run`):
//   changed (default) — plan offline from the LISTs, and dry-run only the objects that plan creates, updates or
//                       replaces (where the server's exact result matters: it confirms the change, applies admission
//                       and defaulting, and refuses immutable fields), each as soon as it is planned; then plan again
//                       with those results (only those objects are planned anew: PlanReuse). Objects
//                       the offline plan finds unchanged are not sent: their offline normalization is what
//                       test/cluster/plan-defaults.test.ts checks against a real API server.
//   all               — dry-run every desired object (one PATCH each), the plan's basis everywhere it can be.
//   none              — LISTs only; every object planned offline.
// computePlan stays pure: this module does the I/O and calls it once (all, none) or twice (changed: the first time
// object by object, planChanges).
import { getObject, getString } from '../core/objects.ts';
import type { Manifest } from '../core/types.ts';
import { computePlan, OBJECTS_PLANNED, planChanges } from '../plan/compute.ts';
import { PlanReuse } from '../plan/reuse.ts';
import type { KindInfoFn, Plan, PlanAction, PlanInput, PlanSettings } from '../plan/types.ts';
import type { ClusterClient } from './client.ts';
import type { Reference } from '../graph/references.ts';
import { contextLists, fetchReferenceContext } from './context.ts';
import { type ClusterLive, type ClusterLiveOptions, dryRunQueue, loadClusterLive } from './live.ts';

export const SERVER_DRY_RUN_POLICIES = ['changed', 'all', 'none'] as const;
export type ServerDryRunPolicy = (typeof SERVER_DRY_RUN_POLICIES)[number];

/** Planning time between two turns of the event loop while dry-runs are in flight. */
const PLAN_SLICE_MS = 4;

/** Offline actions whose objects `changed` sends to the server. */
const CHECKED_ACTIONS: ReadonlySet<PlanAction> = new Set(['create', 'update', 'replace']);

export interface ClusterPlanOptions extends Pick<ClusterLiveOptions, 'concurrency' | 'dryRunConcurrency' | 'openapi'> {
  client: ClusterClient;
  desired: Manifest[];
  /** The plan's settings; pruneSelector, applySetId and fieldManager also decide what is listed and how dry-runs apply. */
  settings: PlanSettings;
  /** kindInfo for what the cluster's OpenAPI does not describe (e.g. the bundled schemas); the cluster's comes first. */
  kindInfo?: KindInfoFn;
  /** Default "changed". */
  serverDryRun?: ServerDryRunPolicy;
  /** Clock for the plan's createdAt (tests). */
  now?: () => Date;
  /** The repo's unsettled references (PlanInput.references); the kinds they name that the plan does not list are listed as metadata. */
  references?: readonly Reference[];
  /** The live state startClusterLive began reading with these same options (`kubeplan plan` does, while it validates). */
  live?: Promise<ClusterLive>;
}

/**
 * Discovery and the LISTs of a plan (and, policy all, every dry-run): the first half of planFromCluster, which a
 * caller can start early and hand over as `live`. Nothing here needs the repo validated, only parsed.
 */
export function startClusterLive(options: ClusterPlanOptions): Promise<ClusterLive> {
  const { client, desired, settings } = options;
  return loadClusterLive({
    client,
    desired,
    defaultNamespace: settings.defaultNamespace,
    dryRun: (options.serverDryRun ?? 'changed') === 'all',
    ...(settings.pruneSelector !== undefined ? { pruneSelector: settings.pruneSelector } : {}),
    ...(settings.applySetId !== undefined ? { applySetId: settings.applySetId } : {}),
    ...(settings.fieldManager !== undefined ? { fieldManager: settings.fieldManager } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.dryRunConcurrency !== undefined ? { dryRunConcurrency: options.dryRunConcurrency } : {}),
    ...(options.openapi !== undefined ? { openapi: options.openapi } : {}),
  });
}

export interface ClusterPlan {
  plan: Plan;
  live: ClusterLive;
  /** The kindInfo the plan used (cluster OpenAPI, then the given fallback). */
  kindInfo: KindInfoFn;
  serverDryRun: {
    policy: ServerDryRunPolicy;
    /** Objects the server dry-ran (requests made). */
    checked: number;
    /** Desired objects not sent to the server: planned offline. */
    unchecked: number;
    /** changed only: objects the offline plan saw as create/update/replace. */
    offlineChanged?: number;
  };
}

export async function planFromCluster(options: ClusterPlanOptions): Promise<ClusterPlan> {
  const { client, desired, settings } = options;
  const policy = options.serverDryRun ?? 'changed';
  const live = await (options.live ?? startClusterLive(options));
  const fromCluster = live.kindInfo;
  const fallback = options.kindInfo;
  const kindInfo: KindInfoFn = fallback ? (apiVersion, kind) => fromCluster(apiVersion, kind) ?? fallback(apiVersion, kind) : fromCluster;
  // What the references name and the LISTs above did not cover: listed (metadata only) while the dry-runs run.
  const references = options.references ?? [];
  const context = fetchReferenceContext(client, live.discovery, contextLists(references, live.source.listed ?? []), options.concurrency);
  context.catch(() => undefined); // awaited below; a dry-run that throws first must not leave it unhandled
  // The second plan (policy changed) plans again only the objects the server dry-ran.
  const reuse = new PlanReuse();
  const planInput = (): PlanInput => ({ desired, live: live.source, settings, kindInfo, reuse, ...(options.references ? { references } : {}), ...(options.now ? { now: options.now } : {}) });
  const plan = (): Plan => computePlan(planInput());

  let offlineChanged: number | undefined;
  let unchanged = 0;
  if (policy === 'changed') {
    // Each object the offline plan creates, updates or replaces is sent to the server as soon as it is planned; the
    // thread is given up every few milliseconds so that requests go out and answers come in while the rest is planned.
    const namespaces = live.source.objects.filter((o) => o.object.kind === 'Namespace').map((o) => getString(getObject(o.object, 'metadata'), 'name') ?? '');
    const dryRuns = dryRunQueue(client, desired, {
      discovery: live.discovery,
      defaultNamespace: settings.defaultNamespace,
      ...(settings.fieldManager !== undefined ? { fieldManager: settings.fieldManager } : {}),
      concurrency: options.dryRunConcurrency ?? options.concurrency ?? 8,
      scopeObjects: desired.map((m) => m.object),
      namespaces,
      requests: live.requests,
    });
    // Only the actions matter here: the whole-plan passes (prunes, impact, order) run in the plan below.
    let since = performance.now();
    let changed = 0;
    for (const step of planChanges(planInput())) {
      if (step === OBJECTS_PLANNED) break;
      if (step.action === 'noop') unchanged++;
      else if (CHECKED_ACTIONS.has(step.action)) {
        changed++;
        dryRuns.add(step.key);
      }
      if (performance.now() - since > PLAN_SLICE_MS) {
        await new Promise((resolvePause) => setImmediate(resolvePause));
        since = performance.now();
      }
    }
    offlineChanged = changed;
    live.source.dryRun = { ...live.source.dryRun, ...(await dryRuns.done()) };
  }

  const ctx = await context;
  live.source.context = ctx.objects;
  live.source.listed = [...(live.source.listed ?? []), ...ctx.listed];
  live.source.notes = [...(live.source.notes ?? []), ...ctx.notes];
  live.requests.list += ctx.lists;

  // What the plan's basis is, in one line of its notes (the text output prints them under the changes).
  const result = plan();
  const checked = live.requests.dryRun;
  const planned = result.changes.filter((c) => c.action !== 'delete').length;
  const unchecked = planned - checked;
  let note: string;
  if (policy === 'none') note = `server dry-run: none: all ${planned} object(s) planned offline from the LISTs`;
  else if (policy === 'all') note = `server dry-run: all: ${checked} of ${planned} object(s) checked by the server${unchecked > 0 ? `, ${unchecked} planned offline (kind or namespace not there yet)` : ''}`;
  else {
    const notSent = (offlineChanged ?? 0) - checked;
    const noChange = result.changes.filter((c) => c.basis === 'dry-run' && c.action === 'noop').length;
    note =
      `server dry-run: changed: ${checked} changed object(s) checked by the server, ${unchanged} unchanged planned offline` +
      (notSent > 0 ? `, ${notSent} changed planned offline (kind or namespace not there yet)` : '') +
      (noChange > 0 ? `; the server found no change in ${noChange} of them` : '');
  }
  result.live.notes.push(note);
  return { plan: result, live, kindInfo, serverDryRun: { policy, checked, unchecked, ...(offlineChanged !== undefined ? { offlineChanged } : {}) } };
}
