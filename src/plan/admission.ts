// Admission mutations in a server-side dry-run (T29). The dry-run answer of `kubeplan plan` is what an apply would
// store, including what mutating admission webhooks (Istio, Kyverno, a registry mirror, …) and built-in admission
// plugins change. A webhook whose mutation differs from request to request (a timestamp, a counter, a rotated
// sidecar version) makes that answer differ from live on every plan: a permanent diff nobody can apply away. By
// default kubeplan leaves such mutations out; `plan.includeWebhookMutations` / `--include-webhook-mutations` keeps
// them.
//
// What a real kube-apiserver (v1.35, test/cluster/plan-webhook.test.ts) shows, and this rests on:
//   1. managedFields are computed before admission. What a webhook adds (an annotation, a label, a sidecar container,
//      an env var) is owned by NO field manager: not by the request's manager, neither in the dry-run answer nor in the
//      stored object, on create and on update. A later update by another manager does not take it over either (the
//      field is unchanged by that update).
//   2. A webhook that rewrites a field the request sets (an image → a mirror registry) leaves that field owned by the
//      request's manager, with the webhook's value. Ownership cannot tell this rewrite from the repo's own value.
//   3. Webhooks are called for dry-run requests (AdmissionRequest.dryRun: true; they must declare sideEffects None or
//      NoneOnDryRun), for the UPDATE of an existing object as for a CREATE.
//
// The algorithm (Argo CD's server-side diff does the same in spirit: gitops-engine removeWebhookMutation keeps only
// the fields the applying manager owns in the predicted object and takes the rest from live):
//   - a field the dry-run answer adds or changes relative to live is kept only if OUR manager owns it in the answer
//     (our Apply entry there is exactly the repo's object), or owned it in live (the repo dropped it, the apply
//     releases it and the server's defaulting sets it again: spec.replicas → 1, T9); otherwise it is admission's (or
//     another manager's, which our non-forced apply cannot change) and is taken back from live;
//   - a field live has and the answer lacks stays removed only if OUR manager owned it in live (the apply drops what
//     we applied before and no longer do); otherwise admission removed it and live's value is kept. (Argo merges the
//     reduced prediction over live and so never shows removals; this does.)
//   - for a create there is no live: fields our manager does not own are dropped; the planner refills the server
//     defaults and cluster-assigned values it models, so what remains different is what admission added.
//   - a field the repo sets whose value the server's answer replaced (fact 2) is kept either way — it is what apply
//     stores — and reported as `rewritten`, so the plan can say the value came from admission.
// Only status, apiVersion/kind and server-managed metadata are not looked at (metadata labels, annotations,
// finalizers and ownerReferences are). Pure functions; no I/O.
import { isObject } from '../core/objects.ts';
import type { JsonObject, JsonValue } from '../core/types.ts';
import { itemSegment, keySegment } from './diff/index.ts';
import { canonicalJson, deepEqual } from './json.ts';
import { type FieldSet, itemToken, lookup, parseFieldsV1 } from './ownership.ts';

/** Metadata fields where admission mutations are looked for (the rest is the server's own bookkeeping). */
const METADATA_FIELDS = ['labels', 'annotations', 'finalizers', 'ownerReferences'] as const;
/** Top-level fields never looked at. */
const SKIPPED = new Set(['apiVersion', 'kind', 'metadata', 'status']);

export interface SeparateOptions {
  /** Our field manager (the dry-run's fieldManager). */
  fieldManager: string;
  /** Map keys of the list at a dotted path (array levels not counted), as computePlan's listKeysFor. */
  listKeys: (dotted: string) => string[] | undefined;
}

/**
 * The dry-run answer without admission's mutations: what the apply would store were no field changed that our
 * manager does not own. `undefined` when the answer cannot be separated: it carries no Apply entry of our manager
 * (not a server-side apply answer), or it is in another apiVersion than live (field paths would not line up).
 */
export function withoutAdmissionMutations(answer: JsonObject, live: JsonObject | undefined, options: SeparateOptions): JsonObject | undefined {
  const ours = appliedFields(answer, options.fieldManager);
  if (!ours) return undefined;
  addDerivedFields(ours);
  if (live !== undefined && live.apiVersion !== answer.apiVersion) return undefined;
  const oursLive = appliedFields(live, options.fieldManager) ?? new Map();
  addDerivedFields(oursLive);
  const ctx: Ctx = { ours, oursLive, listKeys: options.listKeys };
  const result: JsonObject = {};
  for (const [k, v] of Object.entries(answer)) if (SKIPPED.has(k)) result[k] = structuredClone(v);
  const keys = new Set([...Object.keys(answer), ...Object.keys(live ?? {})].filter((k) => !SKIPPED.has(k)));
  for (const k of keys) {
    const v = merge(answer[k], live?.[k], [`f:${k}`], k, ctx);
    if (v !== undefined) result[k] = v;
  }
  const am = isObject(answer.metadata) ? answer.metadata : {};
  const lm = live !== undefined && isObject(live.metadata) ? live.metadata : undefined;
  const meta: JsonObject = structuredClone(am);
  for (const k of METADATA_FIELDS) {
    const v = merge(am[k], lm?.[k], ['f:metadata', `f:${k}`], `metadata.${k}`, ctx);
    if (v === undefined) delete meta[k];
    else meta[k] = v;
  }
  result.metadata = meta;
  return result;
}

export interface Rewrite {
  /** Human keyed path, as FieldChange.path: `spec.template.spec.containers[name=web].image`. */
  path: string;
  /** The repo's value (normalized). */
  repo: JsonValue;
  /** The value in the server's answer (normalized); absent when the answer dropped the field. */
  server?: JsonValue;
}

function rewrite(path: string, repo: JsonValue, server: JsonValue | undefined): Rewrite {
  return server === undefined ? { path, repo } : { path, repo, server };
}

/**
 * Fields the repo sets (leaves of `sentRaw`, the manifest as written) whose value in the server's answer differs:
 * admission rewrote them. Compared on normalized forms (`sent`, `answer`) so that Quantity spellings and other
 * canonical forms are not rewrites; a field normalization drops is skipped. Metadata other than labels and
 * annotations is not looked at.
 */
export function rewrittenFields(sentRaw: JsonObject, sent: JsonObject, answer: JsonObject, listKeys: (dotted: string) => string[] | undefined): Rewrite[] {
  const out: Rewrite[] = [];
  const walk = (raw: JsonValue, d: JsonValue | undefined, a: JsonValue | undefined, dotted: string, human: string): void => {
    if (d === undefined) return;
    if (isObject(raw) && isObject(d)) {
      if (!isObject(a)) {
        if (!deepEqual(d, a)) out.push(rewrite(human, d, a));
        return;
      }
      for (const k of Object.keys(raw)) walk(raw[k] as JsonValue, d[k], a[k], dotted === '' ? k : `${dotted}.${k}`, `${human}${keySegment(k, human === '')}`);
      return;
    }
    if (Array.isArray(raw) && Array.isArray(d) && Array.isArray(a)) {
      const keys = listKeys(dotted);
      // Normalization keeps a keyed list's items in place: the repo's i-th item is the normalized i-th, whose keys
      // (defaults included, e.g. a port's protocol) find the answer's item and name it as the keyed diff does.
      if (keys && raw.length === d.length) {
        const aBy = new Map<string, JsonValue>();
        for (const x of a) {
          const t = itemToken(x, keys);
          if (t) aBy.set(t, x);
        }
        raw.forEach((item, i) => {
          const dItem = d[i];
          const t = dItem === undefined ? null : itemToken(dItem, keys);
          if (t && isObject(dItem)) walk(item, dItem, aBy.get(t), dotted, `${human}${itemSegment(keys, dItem)}`);
        });
        return;
      }
    }
    if (!deepEqual(d, a)) out.push(rewrite(human, d, a));
  };
  for (const k of Object.keys(sentRaw)) {
    if (SKIPPED.has(k)) continue;
    walk(sentRaw[k] as JsonValue, sent[k], answer[k], k, keySegment(k, true));
  }
  const rm = isObject(sentRaw.metadata) ? sentRaw.metadata : {};
  const dm = isObject(sent.metadata) ? sent.metadata : {};
  const am = isObject(answer.metadata) ? answer.metadata : {};
  for (const k of ['labels', 'annotations']) {
    const raw = rm[k];
    const d = dm[k];
    if (!isObject(raw) || !isObject(d)) continue;
    const a = am[k];
    for (const key of Object.keys(raw)) {
      const av = isObject(a) ? a[key] : undefined;
      const dv = d[key];
      if (dv !== undefined && !deepEqual(dv, av)) out.push(rewrite(`metadata.${k}${keySegment(key, false)}`, dv, av));
    }
  }
  return out;
}

// --- internals --------------------------------------------------------------------------------

interface Ctx {
  /** Our manager's fields in the answer (what the apply will own). */
  ours: FieldSet;
  /** Our manager's fields in live (what we applied before). */
  oursLive: FieldSet;
  listKeys: (dotted: string) => string[] | undefined;
}

/** Union of the Apply entries of `manager` (main resource only), or undefined when it has none. */
function appliedFields(o: JsonObject | undefined, manager: string): FieldSet | undefined {
  const meta = o?.metadata;
  if (!isObject(meta) || !Array.isArray(meta.managedFields)) return undefined;
  let found = false;
  const set: FieldSet = new Map();
  for (const e of meta.managedFields) {
    if (!isObject(e) || e.manager !== manager || e.operation !== 'Apply' || (typeof e.subresource === 'string' && e.subresource !== '')) continue;
    found = true;
    union(set, parseFieldsV1(e.fieldsV1));
  }
  return found ? set : undefined;
}

/**
 * Fields the server derives from fields the request sets, on every write, so that a change to them comes from our
 * apply although our manager does not own them: a Secret's `stringData` is written into `data` (and dropped), and a
 * pod spec's `serviceAccountName` is mirrored into the deprecated `serviceAccount`. They count as ours (mutates `set`).
 */
function addDerivedFields(set: FieldSet): void {
  const stringData = set.get('f:stringData');
  if (stringData) {
    const data = set.get('f:data') ?? new Map<string, FieldSet>();
    for (const [k, v] of stringData) if (k !== '.') data.set(k, new Map(v));
    set.set('f:data', data);
  }
  const walk = (node: FieldSet): void => {
    if (node.has('f:serviceAccountName') && !node.has('f:serviceAccount')) node.set('f:serviceAccount', new Map());
    for (const child of node.values()) walk(child);
  };
  walk(set);
}

function union(into: FieldSet, from: FieldSet): void {
  for (const [k, v] of from) {
    const existing = into.get(k);
    if (existing) union(existing, v);
    else into.set(k, new Map(v));
  }
}

/** 'whole': the node and everything below it is owned (a leaf, an atomic list or struct); 'partial': some of it. */
function owned(set: FieldSet, tokens: readonly string[]): 'none' | 'whole' | 'partial' {
  const node = lookup(set, tokens);
  if (node === undefined) return 'none';
  if (node.size === 0) return 'whole';
  // A list item or map node owned as such ('.') with nothing else listed is owned whole.
  if (node.size === 1 && node.has('.')) return 'whole';
  return 'partial';
}

function merge(a: JsonValue | undefined, l: JsonValue | undefined, tokens: string[], dotted: string, ctx: Ctx): JsonValue | undefined {
  if (a !== undefined && l !== undefined && deepEqual(a, l)) return a;
  if (a === undefined) {
    // Live has it, the answer does not.
    const st = owned(ctx.oursLive, tokens);
    if (st === 'none') return l; // we never owned it: admission removed it
    if (st === 'whole' || lookup(ctx.oursLive, [...tokens, '.']) !== undefined) return undefined; // our apply drops it
    if (isObject(l)) return mergeObject({}, l, tokens, dotted, ctx, true);
    return undefined;
  }
  const st = owned(ctx.ours, tokens);
  if (st === 'none') {
    // Ours in live and no longer in the repo: the apply releases it and the server's defaulting sets it again
    // (spec.replicas → 1, T9; a removed strategy → RollingUpdate). That is the apply's doing, not admission's.
    if (l !== undefined && owned(ctx.oursLive, tokens) !== 'none') {
      if (isObject(a) && isObject(l)) return mergeObject(a, l, tokens, dotted, ctx, false);
      return a;
    }
    return l; // not ours: admission added or changed it (l undefined: it was added)
  }
  if (st === 'whole') return a;
  if (isObject(a) && (l === undefined || isObject(l))) return mergeObject(a, l, tokens, dotted, ctx, false);
  if (Array.isArray(a) && (l === undefined || Array.isArray(l))) {
    const keys = ctx.listKeys(dotted);
    const merged = keys ? mergeKeyedList(a, l ?? [], keys, tokens, dotted, ctx) : mergeSetList(a, l ?? [], tokens, ctx);
    if (merged) return merged;
  }
  return a;
}

function mergeObject(a: JsonObject, l: JsonObject | undefined, tokens: string[], dotted: string, ctx: Ctx, emptyIsAbsent: boolean): JsonObject | undefined {
  const result: JsonObject = {};
  for (const k of new Set([...Object.keys(a), ...Object.keys(l ?? {})])) {
    const v = merge(a[k], l?.[k], [...tokens, `f:${k}`], dotted === '' ? k : `${dotted}.${k}`, ctx);
    if (v !== undefined) result[k] = v;
  }
  return emptyIsAbsent && Object.keys(result).length === 0 ? undefined : result;
}

function mergeKeyedList(a: JsonValue[], l: JsonValue[], keys: string[], tokens: string[], dotted: string, ctx: Ctx): JsonValue[] | null {
  const ta = a.map((x) => itemToken(x, keys));
  const tl = l.map((x) => itemToken(x, keys));
  if (ta.some((t) => t === null) || tl.some((t) => t === null)) return null;
  if (new Set(ta).size !== ta.length || new Set(tl).size !== tl.length) return null;
  const lBy = new Map(l.map((x, i) => [tl[i] as string, x]));
  const result: { token: string; value: JsonValue }[] = [];
  for (let i = 0; i < a.length; i++) {
    const t = ta[i] as string;
    const v = merge(a[i], lBy.get(t), [...tokens, t], dotted, ctx);
    if (v !== undefined) result.push({ token: t, value: v });
  }
  // Live items the answer lacks and admission removed: back where they were (after their live predecessor).
  const inAnswer = new Set(ta as string[]);
  for (let i = 0; i < l.length; i++) {
    const t = tl[i] as string;
    if (inAnswer.has(t)) continue;
    const v = merge(undefined, l[i], [...tokens, t], dotted, ctx);
    if (v === undefined) continue;
    const before = (tl as string[]).slice(0, i).reverse().find((p) => result.some((r) => r.token === p));
    const at = before === undefined ? 0 : result.findIndex((r) => r.token === before) + 1;
    result.splice(at, 0, { token: t, value: v });
  }
  return result.map((r) => r.value);
}

/** A list of scalars owned element by element (`v:` tokens, e.g. finalizers): elements nobody applied are admission's. */
function mergeSetList(a: JsonValue[], l: JsonValue[], tokens: string[], ctx: Ctx): JsonValue[] | null {
  if (![...a, ...l].every((x) => x === null || typeof x !== 'object')) return null;
  const token = (x: JsonValue): string => `v:${canonicalJson(x)}`;
  const inLive = new Set(l.map(token));
  const inAnswer = new Set(a.map(token));
  const kept = a.filter((x) => inLive.has(token(x)) || lookup(ctx.ours, [...tokens, token(x)]) !== undefined);
  const restored = l.filter((x) => !inAnswer.has(token(x)) && lookup(ctx.oursLive, [...tokens, token(x)]) === undefined);
  return [...kept, ...restored];
}
