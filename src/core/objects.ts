import type { JsonObject, JsonPath, JsonValue, Manifest, ObjectRef } from './types.ts';

export function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function getString(obj: JsonObject | undefined, key: string): string | undefined {
  const v = obj?.[key];
  return typeof v === 'string' ? v : undefined;
}

export function getObject(obj: JsonObject | undefined, key: string): JsonObject | undefined {
  const v = obj?.[key];
  return isObject(v) ? v : undefined;
}

export function getArray(obj: JsonObject | undefined, key: string): JsonValue[] | undefined {
  const v = obj?.[key];
  return Array.isArray(v) ? v : undefined;
}

/** The value at a path of keys (into objects) and indexes (into arrays), or undefined when the path leads nowhere. */
export function valueAt(root: JsonValue | undefined, path: JsonPath): JsonValue | undefined {
  let cur: JsonValue | undefined = root;
  for (const seg of path) {
    if (cur === undefined) return undefined;
    if (typeof seg === 'number') cur = Array.isArray(cur) ? cur[seg] : undefined;
    else cur = isObject(cur) ? cur[seg] : undefined;
  }
  return cur;
}

/** "apps/v1" → "apps"; "v1" → "" (the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

export function versionOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? apiVersion : apiVersion.slice(slash + 1);
}

/** The identity kubeplan uses for an object, or null when apiVersion/kind/name are missing. */
export function objectRefOf(object: JsonObject): ObjectRef | null {
  const apiVersion = getString(object, 'apiVersion');
  const kind = getString(object, 'kind');
  const metadata = getObject(object, 'metadata');
  const name = getString(metadata, 'name') ?? getString(metadata, 'generateName');
  if (apiVersion === undefined || kind === undefined) return null;
  const namespace = getString(metadata, 'namespace');
  return namespace === undefined ? { apiVersion, kind, name: name ?? '' } : { apiVersion, kind, namespace, name: name ?? '' };
}

export function manifestRef(manifest: Manifest): ObjectRef | null {
  return objectRefOf(manifest.object);
}

/** "Deployment shop/web" — how messages name an object. */
export function describeRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}
