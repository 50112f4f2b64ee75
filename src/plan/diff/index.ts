// Keyed diff: compare two JSON documents the way Kubernetes merges them — lists with map keys are
// matched by key (containers by name, ports by port+protocol, …), never by index; a pure reorder is
// reported as a reorder. Produces RFC 6902 ops (valid against `before`, verified by tests with
// fast-json-patch) and human keyed paths such as `spec.template.spec.containers[name=web].image`.
import { isObject } from '../../core/objects.ts';
import type { JsonObject, JsonValue } from '../../core/types.ts';
import { canonicalJson, deepEqual, escapePointer } from '../json.ts';
import type { FieldChange, Operation } from '../types.ts';

export interface DiffOptions {
  /** Map keys of the list at a dotted path (array levels not counted), or undefined for an atomic list. */
  listKeys?: (dotted: string) => string[] | undefined;
}

export interface DiffResult {
  ops: Operation[];
  changes: FieldChange[];
}

interface Ctx {
  ops: Operation[];
  changes: FieldChange[];
  listKeys: (dotted: string) => string[] | undefined;
}

/** Human path segment for a mapping key. */
export function keySegment(key: string, first: boolean): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key)) return first ? key : `.${key}`;
  return `[${JSON.stringify(key)}]`;
}

export function itemSegment(keys: string[], item: JsonObject): string {
  return `[${keys
    .filter((k) => item[k] !== undefined)
    .map((k) => `${k}=${typeof item[k] === 'string' ? item[k] : JSON.stringify(item[k])}`)
    .join(',')}]`;
}

export function keyedDiff(before: JsonValue | undefined, after: JsonValue | undefined, options: DiffOptions = {}): DiffResult {
  const ctx: Ctx = { ops: [], changes: [], listKeys: options.listKeys ?? (() => undefined) };
  if (before === undefined && after === undefined) return { ops: [], changes: [] };
  if (before === undefined) {
    ctx.ops.push({ op: 'add', path: '', value: after as JsonValue });
    ctx.changes.push({ path: '', pointer: '', op: 'add', after });
  } else if (after === undefined) {
    ctx.changes.push({ path: '', pointer: '', op: 'remove', before });
  } else walk(ctx, before, after, '', '', '');
  return { ops: ctx.ops, changes: ctx.changes };
}

function walk(ctx: Ctx, a: JsonValue, b: JsonValue, pointer: string, human: string, dotted: string): void {
  if (deepEqual(a, b)) return;
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const p = `${pointer}/${escapePointer(k)}`;
      const h = `${human}${keySegment(k, human === '')}`;
      const d = dotted === '' ? k : `${dotted}.${k}`;
      const av = a[k];
      const bv = b[k];
      if (bv === undefined) {
        ctx.ops.push({ op: 'remove', path: p });
        ctx.changes.push({ path: h, pointer: p, op: 'remove', before: av });
      } else if (av === undefined) {
        ctx.ops.push({ op: 'add', path: p, value: bv });
        ctx.changes.push({ path: h, pointer: p, op: 'add', after: bv });
      } else walk(ctx, av, bv, p, h, d);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const keys = ctx.listKeys(dotted);
    if (keys && keys.length > 0 && keyedDiffList(ctx, a, b, keys, pointer, human, dotted)) return;
  }
  ctx.ops.push({ op: 'replace', path: pointer, value: b });
  ctx.changes.push({ path: human, pointer, op: 'replace', before: a, after: b });
}

function itemKey(item: JsonValue, keys: string[]): string | null {
  if (!isObject(item)) return null;
  const picked: JsonObject = {};
  let any = false;
  for (const k of keys) {
    const v = item[k];
    if (v !== undefined) {
      picked[k] = v;
      any = true;
    }
  }
  return any ? canonicalJson(picked) : null;
}

/** Returns false when the lists cannot be keyed (an item without keys, duplicate keys): then compared atomically. */
function keyedDiffList(ctx: Ctx, a: JsonValue[], b: JsonValue[], keys: string[], pointer: string, human: string, dotted: string): boolean {
  const ka = a.map((x) => itemKey(x, keys));
  const kb = b.map((x) => itemKey(x, keys));
  if (ka.some((k) => k === null) || kb.some((k) => k === null)) return false;
  if (new Set(ka).size !== ka.length || new Set(kb).size !== kb.length) return false;
  const inB = new Set(kb as string[]);
  const inA = new Set(ka as string[]);
  const byKeyA = new Map(a.map((x, i) => [ka[i] as string, x]));
  const seg = (item: JsonValue): string => `${human}${itemSegment(keys, item as JsonObject)}`;

  // 1. removals, highest index first so indexes stay valid.
  for (let i = a.length - 1; i >= 0; i--) {
    if (inB.has(ka[i] as string)) continue;
    ctx.ops.push({ op: 'remove', path: `${pointer}/${i}` });
  }
  for (let i = 0; i < a.length; i++) {
    if (!inB.has(ka[i] as string)) ctx.changes.push({ path: seg(a[i] as JsonValue), pointer: `${pointer}/${i}`, op: 'remove', before: a[i] });
  }
  const work = (ka as string[]).filter((k) => inB.has(k));
  // 2. reorder the common items into b's relative order.
  const target = (kb as string[]).filter((k) => inA.has(k));
  if (work.join('\u0000') !== target.join('\u0000')) {
    for (let i = 0; i < target.length; i++) {
      const j = work.indexOf(target[i] as string);
      if (j !== i) {
        ctx.ops.push({ op: 'move', from: `${pointer}/${j}`, path: `${pointer}/${i}` });
        const [moved] = work.splice(j, 1);
        work.splice(i, 0, moved as string);
      }
    }
    const label = (k: string): string => itemSegment(keys, byKeyA.get(k) as JsonObject);
    ctx.changes.push({
      path: human,
      pointer,
      op: 'reorder',
      before: (ka as string[]).filter((k) => inB.has(k)).map(label),
      after: target.map(label),
      note: 'order only',
    });
  }
  // 3. insert new items at their final index, left to right.
  for (let i = 0; i < b.length; i++) {
    const k = kb[i] as string;
    if (inA.has(k)) continue;
    ctx.ops.push({ op: 'add', path: `${pointer}/${i}`, value: b[i] as JsonValue });
    ctx.changes.push({ path: seg(b[i] as JsonValue), pointer: `${pointer}/${i}`, op: 'add', after: b[i] });
    work.splice(i, 0, k);
  }
  // 4. recurse into common items at their final index.
  for (let i = 0; i < b.length; i++) {
    const k = kb[i] as string;
    if (!inA.has(k)) continue;
    walk(ctx, byKeyA.get(k) as JsonValue, b[i] as JsonValue, `${pointer}/${i}`, seg(b[i] as JsonValue), dotted);
  }
  return true;
}
