// Field ownership from metadata.managedFields (FieldsV1) or kubectl's last-applied-configuration,
// used to predict what a server-side apply changes: a live field the repo no longer has is removed
// only if our manager owned it and nobody else does (T10 vs T34), and a field another manager owns
// with a different value is a conflict (T45) or, when asked, left alone.
import { isObject } from '../core/objects.ts';
import type { JsonObject, JsonValue } from '../core/types.ts';
import { canonicalJson } from './json.ts';

/** A FieldsV1 tree: `f:name`, `k:{"name":"web"}`, `v:"x"`, `i:0`, and `.` for the node itself. */
export type FieldSet = Map<string, FieldSet>;

export interface ManagerFields {
  manager: string;
  operation: string;
  fields: FieldSet;
}

export function parseFieldsV1(v: JsonValue | undefined): FieldSet {
  const set: FieldSet = new Map();
  if (!isObject(v)) return set;
  for (const [k, c] of Object.entries(v)) set.set(canonicalToken(k), parseFieldsV1(c));
  return set;
}

/** `k:` tokens carry JSON whose key order is the server's; compare them canonically. */
function canonicalToken(token: string): string {
  if (token.startsWith('k:') || token.startsWith('v:')) {
    try {
      return `${token.slice(0, 2)}${canonicalJson(JSON.parse(token.slice(2)) as JsonValue)}`;
    } catch {
      return token;
    }
  }
  return token;
}

export function managedFieldsOf(live: JsonObject): ManagerFields[] {
  const meta = live.metadata;
  if (!isObject(meta) || !Array.isArray(meta.managedFields)) return [];
  const out: ManagerFields[] = [];
  for (const e of meta.managedFields) {
    if (!isObject(e)) continue;
    if (e.subresource === 'status') continue;
    out.push({ manager: String(e.manager ?? ''), operation: String(e.operation ?? ''), fields: parseFieldsV1(e.fieldsV1) });
  }
  return out;
}

/** The field set a JSON document covers (for last-applied-configuration): lists keyed where keys are known. */
export function fieldSetOfDocument(doc: JsonValue, listKeys: (dotted: string) => string[] | undefined, dotted = ''): FieldSet {
  const set: FieldSet = new Map();
  if (isObject(doc)) {
    for (const [k, v] of Object.entries(doc)) {
      const d = dotted === '' ? k : `${dotted}.${k}`;
      set.set(`f:${k}`, fieldSetOfDocument(v, listKeys, d));
    }
  } else if (Array.isArray(doc)) {
    const keys = listKeys(dotted);
    if (keys) {
      for (const item of doc) {
        const t = itemToken(item, keys);
        if (t) {
          const sub = fieldSetOfDocument(item, listKeys, dotted);
          sub.set('.', new Map());
          set.set(t, sub);
        }
      }
    }
  }
  return set;
}

export function itemToken(item: JsonValue, keys: string[]): string | null {
  if (!isObject(item)) return null;
  const picked: JsonObject = {};
  let any = false;
  for (const k of keys) {
    if (item[k] !== undefined) {
      picked[k] = item[k] as JsonValue;
      any = true;
    }
  }
  return any ? `k:${canonicalJson(picked)}` : null;
}

export function lookup(set: FieldSet | undefined, tokens: readonly string[]): FieldSet | undefined {
  let cur = set;
  for (const t of tokens) {
    if (!cur) return undefined;
    cur = cur.get(t);
  }
  return cur;
}

/** Who owns what, for one live object. */
export interface Ownership {
  /** 'managed-fields': exact; 'last-applied': kubectl client-side apply; 'none': unknown (two-way compare). */
  mode: 'managed-fields' | 'last-applied' | 'none';
  ours: FieldSet;
  others: { manager: string; fields: FieldSet }[];
}

export function ownershipOf(live: JsonObject, fieldManager: string, listKeys: (dotted: string) => string[] | undefined): Ownership {
  const entries = managedFieldsOf(live);
  const ours = entries.filter((e) => e.manager === fieldManager && e.operation === 'Apply');
  const lastApplied = lastAppliedOf(live);
  const others = entries
    .filter((e) => !(e.manager === fieldManager && e.operation === 'Apply'))
    // kubectl client-side apply's fields are ours to take over when we adopt a kubectl-applied object.
    .filter((e) => !(lastApplied !== undefined && e.manager === 'kubectl-client-side-apply'))
    .map((e) => ({ manager: e.manager, fields: e.fields }));
  if (ours.length > 0) {
    const merged: FieldSet = new Map();
    for (const e of ours) mergeInto(merged, e.fields);
    if (lastApplied !== undefined) mergeInto(merged, fieldSetOfDocument(lastApplied, listKeys));
    return { mode: 'managed-fields', ours: merged, others };
  }
  if (lastApplied !== undefined) return { mode: 'last-applied', ours: fieldSetOfDocument(lastApplied, listKeys), others };
  if (entries.length > 0) return { mode: 'managed-fields', ours: new Map(), others };
  return { mode: 'none', ours: new Map(), others: [] };
}

function mergeInto(into: FieldSet, from: FieldSet): void {
  for (const [k, v] of from) {
    const existing = into.get(k);
    if (existing) mergeInto(existing, v);
    else into.set(k, v);
  }
}

function lastAppliedOf(live: JsonObject): JsonValue | undefined {
  const meta = live.metadata;
  const ann = isObject(meta) && isObject(meta.annotations) ? meta.annotations['kubectl.kubernetes.io/last-applied-configuration'] : undefined;
  if (typeof ann !== 'string') return undefined;
  try {
    return JSON.parse(ann) as JsonValue;
  } catch {
    return undefined;
  }
}

/** Other managers that own the node at `tokens` (or something below it). */
export function otherOwners(o: Ownership, tokens: readonly string[]): string[] {
  return o.others.filter((e) => lookup(e.fields, tokens) !== undefined).map((e) => e.manager);
}

export function weOwn(o: Ownership, tokens: readonly string[]): boolean {
  return lookup(o.ours, tokens) !== undefined;
}
