// Small JSON helpers the planner shares: deep equality, cloning, canonical text, pointers.
import { createHash } from 'node:crypto';
import { isObject } from '../core/objects.ts';
import type { JsonObject, JsonValue } from '../core/types.ts';

/**
 * A deep copy of a JSON value. Hand-written rather than structuredClone: every object of a plan is copied a few times
 * (normalization, admission, diffs) and plain recursion is ~4× faster on parsed JSON. A `__proto__` key stays an own
 * key, as JSON.parse makes it; anything that is not plain JSON (a Date, a Map) goes through structuredClone.
 */
export function clone<T extends JsonValue>(v: T): T {
  return copy(v) as T;
}

function copy(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const out: unknown[] = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = copy(v[i]);
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return structuredClone(v);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) setOwn(out, k, copy((v as Record<string, unknown>)[k]));
  return out;
}

/** o[k] = v, with a `__proto__` key kept as an own key (as JSON.parse makes it), never a prototype. */
export function setOwn<T>(o: Record<string, T>, k: string, v: T): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  else o[k] = v;
}

export function deepEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!(k in b) || !deepEqual(a[k], b[k])) return false;
  return true;
}

/** JSON with object keys sorted: equal values give equal text. */
export function canonicalJson(v: JsonValue | undefined): string {
  if (v === undefined) return 'undefined';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  return `{${Object.keys(v)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`)
    .join(',')}}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function escapePointer(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointerOf(path: readonly (string | number)[]): string {
  return path.map((s) => `/${escapePointer(s)}`).join('');
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  const body = pointer.startsWith('/') ? pointer.slice(1) : pointer;
  return body.split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function getAt(root: JsonValue | undefined, path: readonly (string | number)[]): JsonValue | undefined {
  let cur: JsonValue | undefined = root;
  for (const seg of path) {
    if (Array.isArray(cur)) {
      const i = typeof seg === 'number' ? seg : /^\d+$/.test(seg) ? Number(seg) : NaN;
      cur = Number.isNaN(i) ? undefined : cur[i];
    } else if (isObject(cur)) cur = cur[String(seg)];
    else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Delete the value at path (object key or array item); missing intermediate nodes are fine. */
export function deleteAt(root: JsonValue, path: readonly (string | number)[]): void {
  if (path.length === 0) return;
  const parent = getAt(root, path.slice(0, -1));
  const last = path[path.length - 1] as string | number;
  if (Array.isArray(parent)) {
    const i = typeof last === 'number' ? last : Number(last);
    if (Number.isInteger(i) && i >= 0 && i < parent.length) parent.splice(i, 1);
  } else if (isObject(parent)) delete parent[String(last)];
}

/** Set a value at path inside objects, creating intermediate objects. */
export function setAt(root: JsonObject, path: readonly string[], value: JsonValue): void {
  let cur: JsonObject = root;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i] as string;
    const next = cur[seg];
    if (isObject(next)) cur = next;
    else {
      const made: JsonObject = {};
      cur[seg] = made;
      cur = made;
    }
  }
  cur[path[path.length - 1] as string] = value;
}

/** Short one-line rendering of a value for diffs: strings quoted, objects abbreviated. */
export function preview(v: JsonValue | undefined, max = 80): string {
  if (v === undefined) return '(absent)';
  const text = JSON.stringify(v);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
