// Types of the planner: what computePlan reads (desired manifests, live objects, settings) and
// what it produces (a Plan of ordered changes). Everything here is plain data, JSON-serialisable.
import type { Operation } from 'fast-json-patch';
import type { JsonObject, JsonValue, Manifest } from '../core/types.ts';
import type { Reference } from '../graph/references.ts';
import type { PlanReuse } from './reuse.ts';

export type { Operation };

/** What the schema layer knows about a kind (src/validate/schema kindInfo(), or the cluster's OpenAPI). */
export interface KindInfo {
  group: string;
  version: string;
  kind: string;
  namespaced: boolean;
  /**
   * Keys of list-map lists (`x-kubernetes-list-map-keys`, or patch merge keys), by the dotted path of the
   * list inside the object, array levels not counted: `spec.template.spec.containers` → ['name'].
   * Paths written as JSON pointers or with `[]`/`[*]` markers are accepted too.
   */
  listMapKeys: Record<string, string[]>;
  /** Dotted paths (same convention) whose values are resource.Quantity; `*` matches any map key. */
  quantityPaths?: string[];
  /** Dotted paths of lists the schema declares `x-kubernetes-list-type: set` (compared order-insensitively). */
  setPaths?: string[];
}

export type KindInfoFn = (apiVersion: string, kind: string) => KindInfo | undefined;

/** One object as it exists in the cluster (or in a snapshot of it). */
export interface LiveObject {
  object: JsonObject;
  /** Where it came from: a snapshot file path, "git:REV:path", or "cluster". */
  source?: string;
}

/** The result of a server-side dry-run apply of one desired object. */
export type DryRunResult =
  | { ok: true; object: JsonObject }
  | { ok: false; status: number; reason: string; message: string };

/** A loaded live state: the objects plus what was looked at, so "absent" can be told from "not listed". */
export interface LiveSource {
  kind: 'snapshot' | 'git-ref' | 'cluster' | 'objects';
  /** Human description: "snapshot fixtures/example-app/live", "git ref HEAD~1", "cluster https://…". */
  description: string;
  objects: LiveObject[];
  /** Cluster identity when the live state came from a cluster (saved in the plan to refuse applying elsewhere). */
  cluster?: ClusterIdentity;
  /** Server-side dry-run results by object key (see objectKey); preferred over offline normalization. */
  dryRun?: Record<string, DryRunResult>;
  /** Non-fatal problems met while loading (unparseable files, kinds the cluster does not serve …). */
  notes?: string[];
  /**
   * Kinds and namespaces listed completely (a cluster LIST that succeeded): an object of that kind and namespace
   * that is not in `objects` or `context` does not exist. Undefined: not known (snapshots, git refs).
   */
  listed?: ListedKind[];
  /**
   * Objects read only to resolve the repo's references (metadata only: name, namespace, labels): never planned,
   * diffed or pruned. A cluster LISTs them for the referenced kinds it did not list for the plan.
   */
  context?: LiveObject[];
}

/** One kind in one namespace (none for cluster-scoped kinds); `gk` as "ConfigMap", "apps/Deployment". */
export interface ListedKind {
  gk: string;
  namespace?: string;
}

export interface ClusterIdentity {
  server: string;
  context?: string;
  /** UID of the kube-system namespace: survives a changed URL, differs between clusters. */
  kubeSystemUid?: string;
  /** gitVersion from /version. */
  version?: string;
}

/** `{kind?, name?, namespace?, group?, jsonPointers}`: ignore these fields of matching objects on both sides. */
export interface IgnoreRule {
  group?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  jsonPointers: string[];
}

export interface PlanSettings {
  /** Namespace of namespaced objects that name none (like `kubectl apply` without -n). */
  defaultNamespace: string;
  /** Label selector (`app=web,tier in (a,b)`): live objects it selects and the repo lacks are deleted. */
  pruneSelector?: string;
  /** ApplySet id (see computeApplySetId): written on every applied object; members the repo lacks are deleted. */
  applySetId?: string;
  ignore?: IgnoreRule[];
  /**
   * Leave alone the fields that other field managers own (managedFields) when they differ from the repo:
   * `true` for every other manager, or a list of manager names (e.g. ['kube-controller-manager', 'vpa-recommender']).
   * Without it such a difference is planned (and flagged as a conflict: SSA apply needs --force-conflicts).
   */
  ignoreOtherManagers?: boolean | string[];
  /** Our field manager name; default "kubeplan". */
  fieldManager?: string;
  /**
   * Plan on the server's dry-run answer as it is, with what admission (mutating webhooks, admission plugins) changed
   * in fields no field manager owns (T29). Default false: such changes are taken back from live (src/plan/admission.ts)
   * and only listed in PlanChange.admission.
   */
  includeWebhookMutations?: boolean;
}

export interface PlanInput {
  desired: Manifest[];
  live: LiveObject[] | LiveSource;
  settings: PlanSettings;
  kindInfo?: KindInfoFn;
  /** Clock for createdAt (tests). */
  now?: () => Date;
  /**
   * The repo's references validate could not settle (src/validate referencesToResolve): resolved against the live
   * state; what is still missing becomes a warning on the referencing object's change.
   */
  references?: readonly Reference[];
  /**
   * Results of an earlier call on the same desired objects, live objects, settings and kindInfo (planFromCluster's
   * second pass): objects whose live object and dry-run answer are unchanged are not planned again.
   */
  reuse?: PlanReuse;
}

export type PlanAction = 'create' | 'update' | 'replace' | 'delete' | 'noop';

export interface PlanObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** One field-level difference, keyed the way Kubernetes merges lists. */
export interface FieldChange {
  /** Human keyed path: `spec.template.spec.containers[name=web].image`. */
  path: string;
  /** RFC 6901 pointer into the (normalized) live object; for a reorder, the list. */
  pointer: string;
  op: 'add' | 'remove' | 'replace' | 'reorder';
  before?: JsonValue;
  after?: JsonValue;
  /** Values are withheld (Secret data): before/after hold a marker, never the value. */
  sensitive?: boolean;
  /** E.g. "server default", "order only", "owned by kube-controller-manager". */
  note?: string;
}

export interface PlanWarning {
  /**
   * Stable id: `selector-no-match`, `selector-drops-pods`, `selector-orphans-pods`, `selector-overlap`, `hpa-replicas`,
   * `replicas-scale-down`, `field-conflict`, …, or the id of the cross-object rule whose reference the live state
   * could not resolve (`configmap-ref-missing`, `secret-ref-missing`, …; see src/plan/references.ts).
   */
  rule: string;
  message: string;
}

export interface PlanChange {
  action: PlanAction;
  object: PlanObjectRef;
  /** group/kind/namespace/name, the identity used to pair desired and live. */
  key: string;
  /** 1-based apply step; 0 for noop. */
  step: number;
  wave: number;
  reasons: string[];
  warnings: PlanWarning[];
  /** RFC 6902 ops from the normalized live object to the planned one (Secret values redacted). */
  patch: Operation[];
  changes: FieldChange[];
  /** Live identity at plan time (update/replace/delete/noop): apply refuses when it changed. */
  live?: { resourceVersion?: string; uid?: string };
  /** Salted SHA-256 of the desired object (create/update/replace/noop). */
  desiredHash?: string;
  /** Where the desired object was written. */
  source?: { file: string; line: number };
  /** How the prediction was made: the server's dry-run or offline normalization. */
  basis?: 'dry-run' | 'offline';
  /** What admission did in the server's dry-run, when it did something the plan can see (dry-run basis only). */
  admission?: AdmissionRecord;
}

/** Admission mutations in one object's dry-run answer (src/plan/admission.ts). */
export interface AdmissionRecord {
  /** true: the plan includes `mutated` (includeWebhookMutations); false: they were left out. */
  included: boolean;
  /**
   * Keyed paths of fields no field manager owns that admission added, changed or removed: relative to live for an
   * update (only where the answer differs from live), relative to the repo's object (server defaults and
   * cluster-assigned values the planner models aside) for a create.
   */
  mutated: string[];
  /** Fields the repo sets whose value the server's answer replaced (kept either way: it is what apply stores). Never for Secrets. */
  rewritten: { path: string; repo: JsonValue; server?: JsonValue }[];
}

export interface PlanStep {
  step: number;
  /** Keys of the changes applied in this step; they do not depend on each other. */
  keys: string[];
  phase: 'apply' | 'prune';
}

export interface PlanSummary {
  create: number;
  update: number;
  replace: number;
  delete: number;
  noop: number;
  warnings: number;
}

export interface Plan {
  changes: PlanChange[];
  steps: PlanStep[];
  summary: PlanSummary;
  /** Warnings that belong to no single change (e.g. prune refused because the repo is empty). */
  warnings: PlanWarning[];
  /** The repo's unsettled references (PlanInput.references) and what the live state says about each. */
  references?: ReferenceResult[];
  live: { kind: LiveSource['kind']; description: string; notes: string[] };
  cluster?: ClusterIdentity;
  createdAt: string;
  /** Salt of desiredHash values. */
  hashSalt: string;
  settings: { defaultNamespace: string; pruneSelector?: string; applySetId?: string; fieldManager: string };
}

/**
 * A reference of the repo that validate could not settle, checked against the live state:
 *   found    — the live state has the target (for selectors: pods or pod templates it selects);
 *   missing  — the live state lists that kind in that namespace and the target is not there;
 *   deleted  — the live state has the target but this plan deletes it (prune);
 *   removed  — (--live-ref) the target was in the repo at that revision and is not any more;
 *   unknown  — the live state cannot tell (it does not cover that kind in that namespace).
 */
export interface ReferenceResult {
  /** The cross-object rule of the relation. */
  rule: string;
  /** "Deployment shop/web". */
  from: string;
  /** "ConfigMap shop/app-config", or "pods app=web in shop". */
  target: string;
  outcome: 'found' | 'missing' | 'deleted' | 'removed' | 'unknown';
  /** What the repo alone said: unknown, or missing (already a validate finding). */
  repo: 'unknown' | 'missing';
  /** One line: where it was found, or why it could not be checked. */
  detail: string;
}
