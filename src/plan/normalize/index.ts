// Normalization: turn a desired manifest and a live object into comparable documents, so that the
// diff shows what applying would change and nothing the server or its controllers own.
// Pure functions; every rule is listed in gitops.md §9 and tested in normalize.test.ts.
import { isObject, valueAt } from '../../core/objects.ts';
import type { JsonObject, JsonValue } from '../../core/types.ts';
import { canonicalJson, clone, deleteAt, parsePointer, setOwn } from '../json.ts';
import { isSetList, podSpecPaths, WORKLOADS } from '../kinds.ts';
import type { IgnoreRule, KindInfo } from '../types.ts';
import { applyServerDefaults, type DefaultsOptions } from './defaults.ts';
import { canonicalQuantity } from './quantity.ts';

export { applyServerDefaults, defaultPullPolicy } from './defaults.ts';
export { canonicalQuantity, compareQuantity, sameQuantity } from './quantity.ts';

/** metadata fields the server manages: never part of a diff. */
export const SERVER_METADATA = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'namespace',
  'generateName',
] as const;

/** Annotations written by tools and controllers, not by the user. */
export const BOOKKEEPING_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.daemonset.template.generation',
  'kapp.k14s.io/original',
  'kapp.k14s.io/original-diff-md5',
  'pv.kubernetes.io/bind-completed',
  'pv.kubernetes.io/bound-by-controller',
  'pv.kubernetes.io/migrated-to',
  'pv.kubernetes.io/provisioned-by',
  'volume.beta.kubernetes.io/storage-provisioner',
  'volume.kubernetes.io/storage-provisioner',
  'volume.kubernetes.io/selected-node',
  'endpoints.kubernetes.io/last-change-trigger-time',
  'autoscaling.alpha.kubernetes.io/conditions',
  'autoscaling.alpha.kubernetes.io/current-metrics',
]);

/** Labels controllers add (to objects, pod templates or generated selectors). */
export const CONTROLLER_LABELS = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'controller-uid',
  'job-name',
  'batch.kubernetes.io/controller-uid',
  'batch.kubernetes.io/job-name',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
]);

export interface NormalizeOptions extends DefaultsOptions {
  /** "apps/Deployment", "Service", "example.com/Widget". */
  gk: string;
  kindInfo?: KindInfo;
  /** Fill server defaults (built-in kinds); default true. */
  defaults?: boolean;
}

/** A normalized copy of an object: server fields stripped, defaults filled, values canonical, empties dropped. */
export function normalizeObject(input: JsonObject, options: NormalizeOptions): JsonObject {
  const o = clone(withoutServerFields(input));
  const apiVersion = typeof input.apiVersion === 'string' ? input.apiVersion : undefined;
  stripServerFields(o, options.gk);
  normalizeSecret(o, options.gk);
  if (options.defaults !== false) applyServerDefaults(o, options.gk, { ...options, ...(apiVersion ? { apiVersion } : {}) });
  canonicalizeQuantities(o, options.gk, options.kindInfo);
  sortSetLists(o, options.gk, options.kindInfo);
  pruneEmpty(o);
  return o;
}

const SERVER_METADATA_KEYS: ReadonlySet<string> = new Set(SERVER_METADATA);

/**
 * A shallow view of an object without status and server metadata, for copying: a live object's managedFields are
 * often most of its size, and stripServerFields would drop them right after the copy.
 */
function withoutServerFields(input: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(input)) {
    if (k === 'status') continue;
    const v = input[k] as JsonValue;
    if (k === 'metadata' && isObject(v)) {
      const meta: JsonObject = {};
      for (const m of Object.keys(v)) if (!SERVER_METADATA_KEYS.has(m)) setOwn(meta, m, v[m] as JsonValue);
      out.metadata = meta;
    } else setOwn(out, k, v);
  }
  return out;
}

function dropKeys(map: JsonValue | undefined, keys: Set<string>, parent: JsonObject, field: string): void {
  if (!isObject(map)) return;
  for (const k of Object.keys(map)) if (keys.has(k)) delete map[k];
  if (Object.keys(map).length === 0) delete parent[field];
}

/** Remove status, server metadata, bookkeeping annotations and controller labels (mutates). */
export function stripServerFields(o: JsonObject, gk: string): void {
  delete o.status;
  delete o.apiVersion; // the same object under another version is the same object; the server converts
  const meta = o.metadata;
  if (isObject(meta)) {
    for (const f of SERVER_METADATA) delete meta[f];
    dropKeys(meta.annotations, BOOKKEEPING_ANNOTATIONS, meta, 'annotations');
    const controllerLabels = new Set(CONTROLLER_LABELS);
    if (gk === 'Namespace') controllerLabels.add('kubernetes.io/metadata.name');
    dropKeys(meta.labels, controllerLabels, meta, 'labels');
  }
  // Pod templates: creationTimestamp: null, controller labels, kubectl's restartedAt stays (intentional).
  const w = WORKLOADS[gk];
  const templates: (JsonValue | undefined)[] = [];
  if (w) templates.push(valueAt(o, w.template));
  if (gk === 'batch/CronJob') templates.push(valueAt(o, ['spec', 'jobTemplate']));
  for (const t of templates) {
    if (!isObject(t) || !isObject(t.metadata)) continue;
    delete t.metadata.creationTimestamp;
    dropKeys(t.metadata.labels, CONTROLLER_LABELS, t.metadata, 'labels');
  }
  if (gk === 'batch/Job') {
    const sel = valueAt(o, ['spec', 'selector', 'matchLabels']);
    const spec = o.spec;
    if (isObject(sel) && isObject(spec) && isObject(spec.selector)) dropKeys(sel, CONTROLLER_LABELS, spec.selector, 'matchLabels');
  }
  if (gk === 'apps/StatefulSet') {
    const vcts = valueAt(o, ['spec', 'volumeClaimTemplates']);
    if (Array.isArray(vcts)) for (const t of vcts) if (isObject(t)) {
      delete t.status;
      if (isObject(t.metadata)) delete t.metadata.creationTimestamp;
    }
  }
}

/** Secret: `stringData` folded into base64 `data` (the server does this on write); base64 canonical. */
export function normalizeSecret(o: JsonObject, gk: string): void {
  if (gk !== 'Secret') return;
  const data: JsonObject = isObject(o.data) ? o.data : {};
  for (const [k, v] of Object.entries(data)) {
    data[k] = typeof v === 'string' ? Buffer.from(v, 'base64').toString('base64') : v === null ? '' : v;
  }
  if (isObject(o.stringData)) {
    for (const [k, v] of Object.entries(o.stringData)) data[k] = Buffer.from(v === null ? '' : String(v), 'utf8').toString('base64');
    delete o.stringData;
  }
  if (Object.keys(data).length > 0) o.data = data;
}

// Quantity-valued places in built-in kinds and in anything that embeds ResourceRequirements (T3).
const QUANTITY_MAP_PARENTS = new Set(['limits', 'requests', 'hard', 'capacity', 'overhead', 'allocatable', 'max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']);

/** Canonical Quantity text where the value is a Quantity: '0.5' → '500m', '1024Mi' → '1Gi' (T2, T3). */
export function canonicalizeQuantities(o: JsonObject, gk: string, kindInfo?: KindInfo): void {
  const schema = kindInfo?.quantityPaths?.length ? pathTrie(kindInfo.quantityPaths) : undefined;
  const builtinMaps = gk === 'ResourceQuota' || gk === 'LimitRange' || gk === 'PersistentVolume' || gk === 'Node';
  // One path stack for the whole walk, and the schema patterns as a trie walked alongside: every value of every
  // object of a plan passes through here, so no per-node arrays, joins or pattern splits.
  const path: string[] = [];
  const walk = (v: JsonValue, at: readonly PathTrie[]): JsonValue => {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = walk(v[i] as JsonValue, at);
      return v;
    }
    if (!isObject(v)) {
      if ((typeof v === 'string' || typeof v === 'number') && (isBuiltinQuantityPath(path, builtinMaps) || at.some((t) => t.end))) return canonicalQuantity(v) ?? v;
      return v;
    }
    for (const k of Object.keys(v)) {
      path.push(k);
      v[k] = walk(v[k] as JsonValue, at.length === 0 ? at : stepTrie(at, k));
      path.pop();
    }
    return v;
  };
  walk(o, schema ? [schema] : []);
}

function isBuiltinQuantityPath(path: readonly string[], builtinMaps: boolean): boolean {
  const n = path.length;
  if (n >= 3 && path[n - 3] === 'resources' && (path[n - 2] === 'limits' || path[n - 2] === 'requests')) return true;
  if (path[n - 1] === 'sizeLimit') return true;
  if (n >= 2 && path[n - 2] === 'overhead') return true;
  if (builtinMaps && n >= 2 && QUANTITY_MAP_PARENTS.has(path[n - 2] as string)) return true;
  return false;
}

/** Dotted path patterns ("spec.containers.resources.limits.*") as a trie; "*" matches any one key. */
interface PathTrie {
  children: Map<string, PathTrie>;
  star?: PathTrie;
  end: boolean;
}

const trieMemo = new WeakMap<readonly string[], PathTrie>();
function pathTrie(patterns: readonly string[]): PathTrie {
  const memo = trieMemo.get(patterns);
  if (memo) return memo;
  const root: PathTrie = { children: new Map(), end: false };
  for (const pattern of patterns) {
    let node = root;
    for (const part of normalizeDotted(pattern).split('.')) {
      if (part === '*') node = node.star ??= { children: new Map(), end: false };
      else {
        let next = node.children.get(part);
        if (!next) node.children.set(part, (next = { children: new Map(), end: false }));
        node = next;
      }
    }
    node.end = true;
  }
  trieMemo.set(patterns, root);
  return root;
}

const NO_NODES: readonly PathTrie[] = [];
function stepTrie(at: readonly PathTrie[], key: string): readonly PathTrie[] {
  let out: PathTrie[] | undefined;
  for (const t of at) {
    const exact = t.children.get(key);
    if (exact) (out ??= []).push(exact);
    if (t.star) (out ??= []).push(t.star);
  }
  return out ?? NO_NODES;
}

/** "/spec/template/spec/containers" or "spec.containers[]" or "spec.containers[*]" → "spec.template.spec.containers". */
export function normalizeDotted(path: string): string {
  return path
    .replace(/^[./]+/, '')
    .replace(/\[\*?\]/g, '')
    .replace(/\//g, '.')
    .replace(/\.\*\./g, '.*.')
    .replace(/\.{2,}/g, '.');
}

/** Lists whose order means nothing (HPA metrics, finalizers, schema `set` lists): sorted canonically (T32). */
export function sortSetLists(o: JsonObject, gk: string, kindInfo?: KindInfo): void {
  const schemaSets = kindInfo?.setPaths?.length ? new Set(kindInfo.setPaths.map(normalizeDotted)) : undefined;
  // One path stack for the whole walk; the dotted path is built only at lists (few, next to the mappings).
  const path: string[] = [];
  const walk = (v: JsonValue): void => {
    if (Array.isArray(v)) {
      const dotted = path.join('.');
      if (isSetList(gk, dotted) || schemaSets?.has(dotted)) sortCanonically(v);
      for (const x of v) walk(x);
      return;
    }
    if (!isObject(v)) return;
    for (const k of Object.keys(v)) {
      path.push(k);
      walk(v[k] as JsonValue);
      path.pop();
    }
  };
  walk(o);
}

function sortCanonically(list: JsonValue[]): void {
  const keyed = list.map((value) => ({ value, text: canonicalJson(value) }));
  keyed.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  for (let i = 0; i < list.length; i++) list[i] = (keyed[i] as { value: JsonValue }).value;
}

/** Keys whose empty object is a value, not an absence (`emptyDir: {}` selects the volume type). */
const EMPTY_IS_VALUE = new Set(['emptyDir']);

/** `null`, `{}` and `[]` are the same as absent (T30): removed recursively from mappings (not from lists). */
export function pruneEmpty(v: JsonValue): void {
  if (Array.isArray(v)) {
    for (const x of v) pruneEmpty(x);
    return;
  }
  if (!isObject(v)) return;
  for (const k of Object.keys(v)) {
    const c = v[k] as JsonValue;
    if (typeof c !== 'object') continue;
    pruneEmpty(c);
    if (EMPTY_IS_VALUE.has(k)) continue;
    if (c === null || (Array.isArray(c) ? c.length === 0 : isEmptyObject(c))) delete v[k];
  }
}

function isEmptyObject(o: JsonObject): boolean {
  for (const _ in o) return false;
  return true;
}

/** Remove ignored fields (user rules: RFC 6901 pointers; `*` matches any list item or key) from a normalized object. */
export function applyIgnorePointers(o: JsonObject, pointers: readonly string[]): void {
  for (const pointer of pointers) {
    const segs = parsePointer(pointer);
    removeMatching(o, segs);
  }
  pruneEmpty(o);
}

function removeMatching(v: JsonValue, segs: string[]): void {
  if (segs.length === 0) return;
  const [head, ...rest] = segs as [string, ...string[]];
  const children: (string | number)[] = head === '*' ? (Array.isArray(v) ? v.map((_, i) => i) : isObject(v) ? Object.keys(v) : []) : [head];
  if (rest.length === 0) {
    if (head === '*') {
      if (Array.isArray(v)) v.length = 0;
      else if (isObject(v)) for (const k of Object.keys(v)) delete v[k];
    } else deleteAt(v, [head]);
    return;
  }
  for (const c of children) {
    const next = Array.isArray(v) ? v[Number(c)] : isObject(v) ? v[String(c)] : undefined;
    if (next !== undefined) removeMatching(next, rest);
  }
}

export function matchesIgnoreRule(rule: IgnoreRule, ref: { group: string; kind: string; namespace?: string; name: string }): boolean {
  if (rule.group !== undefined && rule.group !== ref.group) return false;
  if (rule.kind !== undefined && rule.kind !== ref.kind) return false;
  if (rule.name !== undefined && rule.name !== ref.name) return false;
  if (rule.namespace !== undefined && rule.namespace !== (ref.namespace ?? '')) return false;
  return true;
}

/** Paths of every PodSpec in a kind (re-exported for the rebase step). */
export { podSpecPaths };
