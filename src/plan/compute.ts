// computePlan: desired manifests + live objects → an ordered plan of create/update/replace/delete/noop.
// Pure: no I/O, no clock unless given; the live state (and server dry-run results) come in the input.
import { randomBytes } from 'node:crypto';
import { getObject, getString, groupOf, isObject } from '../core/objects.ts';
import type { JsonObject } from '../core/types.ts';
import { parseSelectorText, type Selector } from '../selectors/index.ts';
import { rewrittenFields, withoutAdmissionMutations } from './admission.ts';
import { APPLYSET_PART_OF, PRUNE_ANNOTATION } from './applyset.ts';
import { keyedDiff } from './diff/index.ts';
import { annotationsOfObject, desiredIdentity, type Identity, labelsOfObject, liveIdentity, objectKey, safeKindInfo, ScopeResolver } from './identity.ts';
import { analyzeImpact, type ImpactEntry, type LiveEntry, podSources } from './impact.ts';
import { immutableChanges, isImmutableError } from './immutable.ts';
import { canonicalJson, clone, preview, sha256 } from './json.ts';
import { builtinListKeys, groupKind, PROTECTED_NAMESPACES } from './kinds.ts';
import { applyIgnorePointers, matchesIgnoreRule, normalizeDotted, normalizeObject } from './normalize/index.ts';
import { dropReplicas, rebaseClusterAssigned } from './normalize/rebase.ts';
import { type OrderItem, orderChanges, parseWave, WAVE_ANNOTATION } from './order.ts';
import { managedFieldsOf, otherOwners, type Ownership, ownershipOf, weOwn } from './ownership.ts';
import { predictApply } from './predict.ts';
import { redactSecretChanges, redactSecretOps } from './redact.ts';
import { resolveReferences } from './references.ts';
import type { PlanReuse } from './reuse.ts';
import type { AdmissionRecord, DryRunResult, FieldChange, KindInfo, LiveObject, LiveSource, Plan, PlanAction, PlanChange, PlanInput, PlanSummary, PlanWarning } from './types.ts';

export const DEFAULT_FIELD_MANAGER = 'kubeplan';

/** Kinds never pruned: controller-made records, not configuration. */
const NEVER_PRUNE = new Set(['Endpoints', 'discovery.k8s.io/EndpointSlice', 'Event', 'events.k8s.io/Event', 'coordination.k8s.io/Lease', 'apps/ControllerRevision']);

/** A change of this object with nothing planned yet: no step, no reasons, no patch; its wave from the annotation. */
function newChange(action: PlanAction, id: Identity, object: JsonObject): PlanChange {
  return {
    action,
    object: { apiVersion: id.apiVersion, kind: id.kind, ...(id.namespace !== undefined ? { namespace: id.namespace } : {}), name: id.name },
    key: id.key,
    step: 0,
    wave: parseWave(annotationsOfObject(object)[WAVE_ANNOTATION]),
    reasons: [],
    warnings: [],
    patch: [],
    changes: [],
  };
}

/** What apply checks the live object against (resourceVersion, uid), where the live object has them. */
function liveRevision(meta: JsonObject | undefined): NonNullable<PlanChange['live']> {
  const resourceVersion = getString(meta, 'resourceVersion');
  const uid = getString(meta, 'uid');
  return { ...(resourceVersion !== undefined ? { resourceVersion } : {}), ...(uid !== undefined ? { uid } : {}) };
}

/** List-map keys for a kind: the schema's (kindInfo) first, the built-in table second. */
export function listKeysFor(gk: string, info: KindInfo | undefined): (dotted: string) => string[] | undefined {
  const fromSchema = new Map<string, string[]>();
  for (const [p, keys] of Object.entries(info?.listMapKeys ?? {})) fromSchema.set(normalizeDotted(p), keys);
  return (dotted) => fromSchema.get(dotted) ?? builtinListKeys(gk, dotted);
}

interface DesiredEntry {
  id: Identity;
  object: JsonObject;
  /** The manifest's own object (`object` may be a copy with the ApplySet label): what PlanReuse keys by. */
  manifest: JsonObject;
  file: string;
  line: number;
}

interface LiveEntryInternal {
  id: Identity;
  object: JsonObject;
}

function asSource(live: LiveObject[] | LiveSource): LiveSource {
  return Array.isArray(live) ? { kind: 'objects', description: 'live objects', objects: live } : live;
}

export function computePlan(input: PlanInput): Plan {
  const steps = planChanges(input);
  for (let r = steps.next(); ; r = steps.next()) if (r.done) return r.value;
}

/** Yielded by planChanges once every desired object is planned, before the whole-plan passes (prunes, impact, order). */
export const OBJECTS_PLANNED: unique symbol = Symbol('objects planned');

/**
 * computePlan one object at a time: yields each desired object's change as soon as its action is decided (whole-plan
 * passes add warnings and steps afterwards), then OBJECTS_PLANNED, and returns the plan. planFromCluster starts the
 * server's dry-run of a changed object while the rest are still being planned, and needs no more than the actions.
 */
export function* planChanges(input: PlanInput): Generator<PlanChange | typeof OBJECTS_PLANNED, Plan, void> {
  const settings = input.settings;
  const fieldManager = settings.fieldManager ?? DEFAULT_FIELD_MANAGER;
  const source = asSource(input.live);
  const planWarnings: PlanWarning[] = [];
  const notes = [...(source.notes ?? [])];
  const reuse = input.reuse;
  reuse?.bind({ desired: input.desired, live: source.objects, settings, kindInfo: input.kindInfo });
  const hashSalt = reuse?.hashSalt ?? randomBytes(16).toString('hex');

  const liveObjects = source.objects.map((o) => o.object).filter(isObject);
  const scopes = new ScopeResolver(input.kindInfo, [...input.desired.map((m) => m.object), ...liveObjects]);

  // Live index (T21: one object listed under two groups has one UID; keep the first).
  const live = new Map<string, LiveEntryInternal>();
  const seenUid = new Set<string>();
  for (const o of liveObjects) {
    const id = liveIdentity(o);
    if (!id) continue;
    const uid = getString(getObject(o, 'metadata'), 'uid');
    if (uid !== undefined) {
      if (seenUid.has(uid)) continue;
      seenUid.add(uid);
    }
    if (!live.has(id.key)) live.set(id.key, { id, object: o });
  }

  // Desired index; duplicates are reported (T39) and the first wins.
  const desired = new Map<string, DesiredEntry>();
  for (const m of input.desired) {
    const id = desiredIdentity(m.object, scopes, settings.defaultNamespace);
    if (!id) {
      planWarnings.push({ rule: 'invalid-object', message: `${m.file}:${m.position.line}: object without apiVersion, kind or metadata.name is left out of the plan` });
      continue;
    }
    if (desired.has(id.key)) {
      const first = desired.get(id.key) as DesiredEntry;
      planWarnings.push({ rule: 'duplicate-object', message: `${m.file}:${m.position.line}: ${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name} is also defined at ${first.file}:${first.line}; the first definition is planned` });
      continue;
    }
    let object = m.object;
    if (settings.applySetId) {
      object = clone(object);
      const meta = isObject(object.metadata) ? object.metadata : (object.metadata = {});
      const labels = isObject(meta.labels) ? meta.labels : (meta.labels = {});
      labels[APPLYSET_PART_OF] = settings.applySetId;
    }
    desired.set(id.key, { id, object, manifest: m.object, file: m.file, line: m.position.line });
  }

  // Workloads an HPA in the repo scales: their replicas belong to the HPA (T8).
  const hpaTargets = new Set<string>();
  for (const d of desired.values()) {
    if (d.id.gk !== 'autoscaling/HorizontalPodAutoscaler') continue;
    const target = getObject(getObject(d.object, 'spec'), 'scaleTargetRef');
    const kind = getString(target, 'kind');
    const name = getString(target, 'name');
    if (kind && name) hpaTargets.add(objectKey(groupOf(getString(target, 'apiVersion') ?? ''), kind, d.id.namespace, name));
  }
  const hpaScaled = (id: Identity): boolean => hpaTargets.has(id.key) || (id.group === 'apps' && hpaTargets.has(objectKey('extensions', id.kind, id.namespace, id.name)));
  // Any HPA scaling a workload, in the repo or only in the live state: named when spec.replicas is reset under it (T9).
  const scalers = new Map<string, string>();
  for (const o of [...[...desired.values()].map((d) => d.object), ...liveObjects]) {
    if (o.kind !== 'HorizontalPodAutoscaler' || groupOf(getString(o, 'apiVersion') ?? '') !== 'autoscaling') continue;
    const meta = getObject(o, 'metadata');
    const target = getObject(getObject(o, 'spec'), 'scaleTargetRef');
    const namespace = getString(meta, 'namespace') ?? settings.defaultNamespace;
    const kind = getString(target, 'kind');
    const name = getString(target, 'name');
    if (!kind || !name) continue;
    const group = groupOf(getString(target, 'apiVersion') ?? '');
    const key = objectKey(group === 'extensions' ? 'apps' : group, kind, namespace, name);
    if (!scalers.has(key)) scalers.set(key, `HorizontalPodAutoscaler ${namespace}/${getString(meta, 'name') ?? ''}`);
  }

  let withoutOwnership = 0;
  const changes: PlanChange[] = [];
  const impact: ImpactEntry[] = [];
  const order: OrderItem[] = [];
  const crdDefines = (o: JsonObject): string | undefined => {
    const spec = getObject(o, 'spec');
    const g = getString(spec, 'group');
    const k = getString(getObject(spec, 'names'), 'kind');
    return g && k ? groupKind(g, k) : undefined;
  };
  const desiredCrds = new Set([...desired.values()].filter((d) => d.id.gk === 'apiextensions.k8s.io/CustomResourceDefinition').map((d) => crdDefines(d.object)));

  const pairedLive = new Set<string>();
  for (const d of desired.values()) {
    let l = live.get(d.id.key);
    // Unknown scope (a custom resource without schema or CRD): a cluster-scoped live twin pairs too.
    if (!l && scopes.namespaced(d.id.apiVersion, d.id.kind) === undefined) {
      l = live.get(objectKey(d.id.group, d.id.kind, undefined, d.id.name));
    }
    if (l) pairedLive.add(l.id.key);
    const dry = source.dryRun?.[d.id.key];
    let change: PlanChange;
    const earlier = reuse?.get(d.manifest, l?.object, dry);
    if (earlier) {
      change = earlier.change;
      if (earlier.withoutOwnership) withoutOwnership++;
    } else {
      const info = safeKindInfo(input.kindInfo, d.id.apiVersion, d.id.kind);
      const before = withoutOwnership;
      change = planOne(d, l, dry, info, listKeysFor(d.id.gk, info));
      reuse?.set(d.manifest, l?.object, dry, change, withoutOwnership > before);
    }
    changes.push(change);
    impact.push({ change, gk: d.id.gk, namespace: d.id.namespace, name: d.id.name, desired: d.object, live: l?.object });
    order.push({
      change,
      gk: d.id.gk,
      namespace: d.id.namespace,
      name: d.id.name,
      crdOf: desiredCrds.has(d.id.gk) ? d.id.gk : undefined,
      defines: d.id.gk === 'apiextensions.k8s.io/CustomResourceDefinition' ? crdDefines(d.object) : undefined,
    });
    yield change;
  }
  yield OBJECTS_PLANNED;

  function planOne(d: DesiredEntry, l: LiveEntryInternal | undefined, dry: DryRunResult | undefined, info: KindInfo | undefined, listKeys: (dotted: string) => string[] | undefined): PlanChange {
    const gk = d.id.gk;
    const change: PlanChange = {
      ...newChange('noop', d.id, d.object),
      desiredHash: sha256(`${hashSalt}\n${canonicalJson(d.object)}`),
      source: { file: d.file, line: d.line },
      basis: 'offline',
    };
    const ignore = (settings.ignore ?? []).filter((r) => matchesIgnoreRule(r, { group: d.id.group, kind: d.id.kind, namespace: d.id.namespace, name: d.id.name }));
    const ignorePointers = ignore.flatMap((r) => r.jsonPointers);
    const hpa = hpaScaled(d.id);
    if (hpa && isObject(d.object.spec) && d.object.spec.replicas !== undefined) {
      change.warnings.push({
        rule: 'hpa-replicas',
        message: `spec.replicas is set in the repo but a HorizontalPodAutoscaler scales this ${d.id.kind}: the live value is kept; remove spec.replicas from the repo, after handing it to the HPA if ${fieldManager} owns it (apply spec.replicas alone with --field-manager=handover-to-hpa), or that apply scales it down to 1 (T9)`,
      });
    }
    if (dry && !dry.ok) {
      if (isImmutableError(dry.message)) change.reasons.push(`server dry-run: ${dry.message}`);
      else change.warnings.push({ rule: 'dry-run-failed', message: `server dry-run failed (${dry.status} ${dry.reason}): ${dry.message}; planned offline` });
    }
    const norm = (o: JsonObject): JsonObject => normalizeObject(o, { gk, kindInfo: info });
    // What the diff leaves out on both sides: replicas an HPA owns (unless this apply resets them, T9), the user's
    // ignore rules.
    const adjust = (o: JsonObject, keepReplicas = false): void => {
      if (hpa && !keepReplicas) dropReplicas(o);
      if (ignorePointers.length > 0) applyIgnorePointers(o, ignorePointers);
    };
    // The server's dry-run answer, with or without what admission changed in fields no field manager owns (T29,
    // src/plan/admission.ts); the other one is only compared with it, to say what admission did.
    const fromDryRun = (answer: JsonObject, live: { raw: JsonObject; L: JsonObject } | undefined): JsonObject => {
      change.basis = 'dry-run';
      const included = norm(answer);
      if (live) rebaseClusterAssigned(included, live.L, gk);
      const stripped = withoutAdmissionMutations(answer, live?.raw, { fieldManager, listKeys });
      let excluded: JsonObject | undefined;
      if (stripped) {
        excluded = norm(stripped);
        // A create has no live object to take cluster-assigned values from: the answer has them (clusterIP, …).
        rebaseClusterAssigned(excluded, live ? live.L : included, gk);
      }
      let mutated: string[] = [];
      if (excluded) {
        const [a, b] = [clone(excluded), clone(included)];
        adjust(a);
        adjust(b);
        mutated = keyedDiff(a, b, { listKeys }).changes.map((c) => c.path);
      }
      const rewritten = gk === 'Secret' ? [] : rewrittenFields(d.object, norm(d.object), included, listKeys);
      const include = settings.includeWebhookMutations === true || excluded === undefined;
      if (mutated.length > 0 || rewritten.length > 0) change.admission = { included: include, mutated, rewritten };
      return include ? included : (excluded as JsonObject);
    };
    if (!l) {
      change.action = 'create';
      let after = dry?.ok ? fromDryRun(dry.object, undefined) : norm(d.object);
      if (ignorePointers.length > 0) {
        after = clone(after);
        applyIgnorePointers(after, ignorePointers);
      }
      const diff = keyedDiff(undefined, after, { listKeys });
      change.patch = gk === 'Secret' ? redactSecretOps(diff.ops) : diff.ops;
      change.changes = [];
      return change;
    }
    const meta = getObject(l.object, 'metadata');
    change.live = liveRevision(meta);
    if (getString(meta, 'deletionTimestamp') !== undefined) {
      change.warnings.push({ rule: 'terminating', message: 'the live object is being deleted (deletionTimestamp set); apply waits until it is gone and creates it again' });
    }
    const L = norm(l.object);
    // T9: spec.replicas the repo does not set (any more) while the live object has it. Server-side apply removes the
    // field only if we own it alone, and the API server then defaults it to 1; owned by anyone else, it is kept.
    const liveReplicas = REPLICATED.has(gk) && !hasReplicas(d.object) ? replicasOf(L) : undefined;
    let reset: ScaleDown | undefined;
    let P: JsonObject;
    if (dry?.ok) {
      P = fromDryRun(dry.object, { raw: l.object, L });
      const to = replicasOf(P);
      if (liveReplicas !== undefined && to !== undefined && to < liveReplicas) reset = { from: liveReplicas, to };
    } else {
      const D = norm(d.object);
      rebaseClusterAssigned(D, L, gk);
      const ownership = ownershipOf(l.object, fieldManager, listKeys);
      // Without any ownership information an HPA's workload keeps its replicas (T8): the HPA is taken to own them.
      if (liveReplicas !== undefined && !(hpa && ownership.mode === 'none')) {
        if (releases(ownership, ['f:spec', 'f:replicas'])) {
          const to = replicasOf(D) ?? 1;
          if (to < liveReplicas) reset = { from: liveReplicas, to, assumed: ownership.mode === 'none' };
        } else if (isObject(D.spec)) D.spec.replicas = liveReplicas;
      }
      if (hpa && !reset) {
        dropReplicas(D);
        dropReplicas(L);
      }
      if (ownership.mode === 'none') withoutOwnership++;
      const prediction = predictApply(D, L, { listKeys, ownership, ignoreOtherManagers: settings.ignoreOtherManagers });
      P = prediction.predicted;
      for (const c of prediction.conflicts) {
        change.warnings.push({ rule: 'field-conflict', message: `${c.path} is owned by ${c.managers.join(', ')}: server-side apply reports a conflict unless forced (--force-conflicts)` });
      }
    }
    if (reset) change.warnings.push({ rule: 'replicas-scale-down', message: scaleDownMessage(reset, fieldManager, scalers.get(d.id.group === 'extensions' ? objectKey('apps', d.id.kind, d.id.namespace, d.id.name) : d.id.key)) });
    adjust(P, reset !== undefined);
    adjust(L, reset !== undefined);
    const diff = keyedDiff(L, P, { listKeys });
    if (change.admission) annotateAdmission(diff.changes, change.admission);
    change.patch = gk === 'Secret' ? redactSecretOps(diff.ops) : diff.ops;
    change.changes = gk === 'Secret' ? redactSecretChanges(diff.changes) : diff.changes;
    const immutable = immutableChanges(gk, L, P);
    change.reasons.push(...immutable.filter((r) => !change.reasons.includes(r)));
    if (change.reasons.length > 0) change.action = 'replace';
    else change.action = diff.changes.length > 0 ? 'update' : 'noop';
    const liveVersion = getString(l.object, 'apiVersion');
    if (liveVersion && liveVersion !== d.id.apiVersion && change.action !== 'noop') change.reasons.push(`apiVersion ${liveVersion} → ${d.id.apiVersion} (same object)`);
    return change;
  }

  // Prune: live objects the repo lacks, selected by --prune-selector or carrying our ApplySet label.
  let pruneSelector: Selector | undefined;
  if (settings.pruneSelector !== undefined && settings.pruneSelector.trim() !== '') {
    const parsed = parseSelectorText(settings.pruneSelector);
    if (parsed.ok) pruneSelector = parsed.selector;
    else planWarnings.push({ rule: 'prune-selector', message: `--prune-selector ${JSON.stringify(settings.pruneSelector)}: ${parsed.errors.map((e) => e.message).join('; ')}; nothing is pruned` });
  }
  const pruning = pruneSelector !== undefined || settings.applySetId !== undefined;
  const liveEntries: LiveEntry[] = [...live.values()].map((l) => ({ gk: l.id.gk, namespace: l.id.namespace, name: l.id.name, object: l.object }));
  if (pruning) {
    const candidates: LiveEntryInternal[] = [];
    for (const l of live.values()) {
      if (pairedLive.has(l.id.key) || desired.has(l.id.key)) continue;
      if (NEVER_PRUNE.has(l.id.gk)) continue;
      const meta = getObject(l.object, 'metadata');
      if (Array.isArray(meta?.ownerReferences) && meta.ownerReferences.length > 0) continue; // controller-made (T22)
      const labels = labelsOfObject(l.object);
      const partOf = labels[APPLYSET_PART_OF];
      const inApplySet = settings.applySetId !== undefined && partOf === settings.applySetId;
      const bySelector = pruneSelector !== undefined && pruneSelector.matches(labels);
      if (!inApplySet && !bySelector) continue;
      if (partOf !== undefined && settings.applySetId !== undefined && partOf !== settings.applySetId) continue; // another owner's (T20)
      if (partOf !== undefined && settings.applySetId === undefined && bySelector) continue; // belongs to some ApplySet: not ours to prune by label alone
      // A label selector can match what another tool deployed (T20): kubeplan prunes by selector only what it applied.
      const foreign = inApplySet ? undefined : foreignOwner(l.object, fieldManager);
      if (foreign !== undefined) {
        planWarnings.push({ rule: 'prune-foreign', message: `${l.id.kind} ${l.id.namespace ? `${l.id.namespace}/` : ''}${l.id.name} matches --prune-selector but is not kubeplan's (${foreign}): not pruned` });
        continue;
      }
      candidates.push(l);
    }
    if (desired.size === 0 && candidates.length > 0) {
      planWarnings.push({ rule: 'prune-refused', message: `the repo produced no objects: refusing to prune ${candidates.length} live object(s); check the source paths` });
    } else {
      for (const l of candidates) {
        const change: PlanChange = { ...newChange('delete', l.id, l.object), basis: 'offline', live: liveRevision(getObject(l.object, 'metadata')) };
        change.reasons.push(settings.applySetId !== undefined && labelsOfObject(l.object)[APPLYSET_PART_OF] === settings.applySetId ? `member of ApplySet ${settings.applySetId} and removed from the repo` : `selected by --prune-selector ${pruneSelector?.toString()} and removed from the repo`);
        if (l.id.gk === 'Namespace' && PROTECTED_NAMESPACES.has(l.id.name)) {
          planWarnings.push({ rule: 'prune-protected', message: `Namespace ${l.id.name} is selected for pruning but system namespaces are never deleted` });
          continue;
        }
        if (annotationsOfObject(l.object)[PRUNE_ANNOTATION]?.toLowerCase() === 'disabled') {
          planWarnings.push({ rule: 'prune-disabled', message: `${l.id.kind} ${l.id.namespace ? `${l.id.namespace}/` : ''}${l.id.name} is gone from the repo but annotated ${PRUNE_ANNOTATION}: disabled; kept` });
          continue;
        }
        changes.push(change);
        impact.push({ change, gk: l.id.gk, namespace: l.id.namespace, name: l.id.name, live: l.object });
        order.push({ change, gk: l.id.gk, namespace: l.id.namespace, name: l.id.name, defines: l.id.gk === 'apiextensions.k8s.io/CustomResourceDefinition' ? crdDefines(l.object) : undefined, crdOf: undefined });
      }
    }
  }
  const admitted = changes.filter((c) => c.admission && c.admission.mutated.length > 0);
  if (admitted.length > 0) {
    const included = settings.includeWebhookMutations === true;
    notes.push(
      included
        ? `admission: the server's dry-run changed fields no field manager owns (mutating admission webhooks) in ${admitted.length} object(s); the plan includes those changes (includeWebhookMutations)`
        : `admission: the server's dry-run changed fields no field manager owns (mutating admission webhooks) in ${admitted.length} object(s); left out of the plan (--include-webhook-mutations or plan.includeWebhookMutations: true shows them)`,
    );
  }
  if (withoutOwnership > 0) {
    notes.push(
      `${withoutOwnership} live object(s) carry neither managedFields nor kubectl's last-applied-configuration: every field they have that the repo lacks is planned for removal (snapshot with \`kubectl get -o yaml --show-managed-fields\` for exact ownership)`,
    );
  }

  // T18: a dry-run that failed only because an object this plan creates is missing (a ServiceAccount,
  // a ConfigMap …) is expected; the object is planned offline without a warning.
  const createdNames = new Set(changes.filter((c) => c.action === 'create').map((c) => c.object.name));
  for (const c of changes) {
    c.warnings = c.warnings.filter((w) => {
      if (w.rule !== 'dry-run-failed') return true;
      const missing = [...w.message.matchAll(/"([^"]+)" not found/g)].map((m) => m[1] ?? '');
      return !missing.some((name) => createdNames.has(name));
    });
  }

  const pods = podSources(impact, liveEntries);
  analyzeImpact(impact, liveEntries, pods);
  const refs = resolveReferences({ references: input.references ?? [], source, entries: impact, live: liveEntries, pods, planWarnings });
  notes.push(...refs.notes);
  const steps = orderChanges(order);
  changes.sort((a, b) => {
    const sa = a.step === 0 ? Number.MAX_SAFE_INTEGER : a.step;
    const sb = b.step === 0 ? Number.MAX_SAFE_INTEGER : b.step;
    if (sa !== sb) return sa - sb;
    const ka = `${a.object.kind}\u0000${a.object.namespace ?? ''}\u0000${a.object.name}\u0000${a.key}`;
    const kb = `${b.object.kind}\u0000${b.object.namespace ?? ''}\u0000${b.object.name}\u0000${b.key}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });

  const summary: PlanSummary = { create: 0, update: 0, replace: 0, delete: 0, noop: 0, warnings: 0 };
  for (const c of changes) {
    summary[c.action]++;
    summary.warnings += c.warnings.length;
  }
  summary.warnings += planWarnings.length;
  const plan: Plan = {
    changes,
    steps,
    summary,
    warnings: planWarnings,
    live: { kind: source.kind, description: source.description, notes },
    createdAt: (input.now ?? (() => new Date()))().toISOString(),
    hashSalt,
    settings: {
      defaultNamespace: settings.defaultNamespace,
      ...(settings.pruneSelector !== undefined ? { pruneSelector: settings.pruneSelector } : {}),
      ...(settings.applySetId !== undefined ? { applySetId: settings.applySetId } : {}),
      fieldManager,
    },
  };
  if (source.cluster) plan.cluster = source.cluster;
  if (input.references !== undefined) plan.references = refs.results;
  return plan;
}

/** Is `a` the same field as `b`, or one above or below it? */
function overlaps(a: string, b: string): boolean {
  return a === b || b.startsWith(`${a}.`) || b.startsWith(`${a}[`) || a.startsWith(`${b}.`) || a.startsWith(`${b}[`);
}

/** Field changes that come from admission say so (FieldChange.note). */
function annotateAdmission(changes: FieldChange[], admission: AdmissionRecord): void {
  for (const f of changes) {
    if (f.op === 'reorder') continue;
    const rw = admission.rewritten.find((r) => overlaps(r.path, f.path));
    if (rw) f.note = `admission changed the repo's value ${preview(rw.repo, 60)}`;
    else if (admission.included && admission.mutated.some((p) => overlaps(p, f.path))) f.note = 'admission mutation: no field manager owns this field';
  }
}

/**
 * Why a live object is another tool's, or undefined when nothing says so: it has field managers and none is ours,
 * so kubeplan never applied it (Helm, kubectl, a controller did). Without managedFields (a snapshot taken without
 * them) there is nothing to go by. Labels are no evidence: teams label their own objects `managed-by: <pipeline>`.
 */
function foreignOwner(o: JsonObject, fieldManager: string): string | undefined {
  const managers = managedFieldsOf(o).map((m) => m.manager);
  if (managers.length > 0 && !managers.includes(fieldManager)) return `never applied by ${fieldManager}; field managers: ${[...new Set(managers)].join(', ')}`;
  return undefined;
}

/** Kinds whose spec.replicas the API server defaults to 1. */
const REPLICATED = new Set(['apps/Deployment', 'apps/ReplicaSet', 'apps/StatefulSet', 'ReplicationController', 'extensions/Deployment', 'extensions/ReplicaSet']);

function hasReplicas(o: JsonObject): boolean {
  return isObject(o.spec) && o.spec.replicas !== undefined && o.spec.replicas !== null;
}

function replicasOf(o: JsonObject): number | undefined {
  const r = isObject(o.spec) ? o.spec.replicas : undefined;
  return typeof r === 'number' ? r : undefined;
}

/** Whether a server-side apply that leaves this field out removes it: we own it alone (or ownership is unknown). */
function releases(o: Ownership, tokens: string[]): boolean {
  return o.mode === 'none' || (weOwn(o, tokens) && otherOwners(o, tokens).length === 0);
}

interface ScaleDown {
  from: number;
  to: number;
  /** The live object shows no field ownership: that we own spec.replicas is assumed (two-way compare). */
  assumed?: boolean;
}

/** T9 (Argo CD #5472): removing spec.replicas from the repo resets it to 1 before any HPA scales it up again. */
function scaleDownMessage(reset: ScaleDown, fieldManager: string, hpa: string | undefined): string {
  const owner = reset.assumed ? `the live object shows no field owners, so ${fieldManager} is taken to own it` : `${fieldManager} owns it in the cluster`;
  const what = `spec.replicas is no longer in the repo and ${owner}: applying removes it and the API server resets it to ${reset.to} — scales down from ${reset.from} to ${reset.to} pod(s)`;
  const handover = (manager: string): string => `apply spec.replicas alone under another field manager first (kubectl apply --server-side --field-manager=${manager}), then remove it from the repo`;
  if (hpa !== undefined) return `${what}, until ${hpa} scales it up again. To hand replicas to the HPA without a scale-down, ${handover('handover-to-hpa')}`;
  return `${what}. Set spec.replicas in the repo to keep the current scale, or ${handover('handover')}`;
}
