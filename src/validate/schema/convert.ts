// Kubernetes OpenAPI (swagger v2 as published in the repo, OpenAPI v3 as served at /openapi/v3/<gv>) → kubeplan's
// normal form (types.ts: SchemaBundle). The same code runs in the generator (committed schemas/) and at runtime
// (a live cluster's /openapi/v3), so what the plan command validates against is converted exactly like the bundles.
//
// Rewrites (validators.md §3.7, the places where openapi2jsonschema goes wrong):
// - IntOrString (v2: `type: string, format: int-or-string`; v3: `oneOf [integer, string]`) → `type: [integer, string]`.
//   A plain type union, not oneOf: nullability can then be added without the oneOf+nullable trap (targetPort: null).
// - Quantity (v2: plain string; v3: `oneOf [string, number]`) → `type: [string, number]`; its grammar is a lint rule.
// - apiextensions JSONSchemaPropsOr{Bool,Array,StringArray} and JSON (empty `{}` in the spec) get real schemas, so a
//   CRD's openAPIV3Schema is validated recursively (unknown keys in it are caught, a nested `type: 42` too).
// - descriptions, defaults and unknown formats are dropped; formats that kubeplan asserts are kept.

import type { GroupVersionKind, JsonSchema, KindEntry, SchemaBundle } from './types.ts';
import { gvkKey } from './types.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObj = { [k: string]: Json };

const isObj = (v: unknown): v is JsonObj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Formats kubeplan checks (formats.ts); any other `format` is an annotation and is dropped. */
export const ASSERTED_FORMATS = new Set(['int32', 'int64', 'byte', 'date-time', 'datetime', 'date', 'duration', 'ipv4', 'ipv6', 'cidr', 'mac', 'uuid', 'uuid3', 'uuid4', 'uuid5', 'hostname', 'bsonobjectid']);

const SCALAR_KEYWORDS = [
  'type',
  'enum',
  'pattern',
  'minimum',
  'maximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'required',
  'nullable',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-patch-merge-key',
  'x-kubernetes-patch-strategy',
] as const;

const APIEXT = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.';
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

/** Definitions whose published schema is wrong or empty for validation purposes, by definition name. */
export const DEFINITION_OVERRIDES: Record<string, JsonSchema> = {
  [INT_OR_STRING]: { type: ['integer', 'string'], 'x-kubernetes-int-or-string': true },
  [QUANTITY]: { type: ['string', 'number'] },
  [`${APIEXT}JSON`]: { 'x-kubernetes-preserve-unknown-fields': true },
  [`${APIEXT}JSONSchemaPropsOrBool`]: { if: { type: 'boolean' }, else: { $ref: `#/definitions/${APIEXT}JSONSchemaProps` } },
  [`${APIEXT}JSONSchemaPropsOrArray`]: {
    if: { type: 'array' },
    then: { items: { $ref: `#/definitions/${APIEXT}JSONSchemaProps` } },
    else: { $ref: `#/definitions/${APIEXT}JSONSchemaProps` },
  },
  [`${APIEXT}JSONSchemaPropsOrStringArray`]: {
    if: { type: 'array' },
    then: { items: { type: 'string' } },
    else: { $ref: `#/definitions/${APIEXT}JSONSchemaProps` },
  },
};

export interface NormalizeOptions {
  /** Rewrites a `$ref` of the source document into kubeplan's "#/definitions/<name>" form. */
  ref?: (ref: string) => string;
}

const defaultRef = (ref: string): string => {
  const m = /^#\/(?:definitions|components\/schemas)\/(.+)$/.exec(ref);
  return m ? `#/definitions/${m[1]}` : ref;
};

function isTypeOnly(s: Json, type: string): boolean {
  return isObj(s) && s.type === type && Object.keys(s).every((k) => k === 'type' || k === 'format' || k === 'description');
}

/** The `oneOf` a v3 document uses for IntOrString and Quantity, recognised wherever it appears. */
function unionOfScalars(s: JsonObj): string[] | undefined {
  const branches = s.oneOf ?? s.anyOf;
  if (!Array.isArray(branches) || branches.length !== 2) return undefined;
  const types = branches.map((b) => (isObj(b) && typeof b.type === 'string' && isTypeOnly(b, b.type) ? b.type : undefined));
  if (types.some((t) => t === undefined)) return undefined;
  const set = new Set(types as string[]);
  if (set.has('integer') && set.has('string')) return ['integer', 'string'];
  if (set.has('number') && set.has('string')) return ['string', 'number'];
  return undefined;
}

const JSON_TYPES = new Set(['array', 'boolean', 'integer', 'number', 'object', 'string', 'null']);
const isCount = (v: Json): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * Whether a keyword's value has the shape JSON Schema requires. A malformed CRD schema (enum: "a", required: name,
 * type: strign) is reported against the CRD manifest; its custom resources are validated without the malformed keyword
 * rather than not at all.
 */
function wellFormed(k: (typeof SCALAR_KEYWORDS)[number], v: Json): boolean {
  switch (k) {
    case 'type':
      return typeof v === 'string' ? JSON_TYPES.has(v) : Array.isArray(v) && v.length > 0 && v.every((t) => typeof t === 'string' && JSON_TYPES.has(t));
    case 'enum':
    case 'required':
      return Array.isArray(v);
    case 'x-kubernetes-list-map-keys':
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'pattern':
    case 'x-kubernetes-list-type':
    case 'x-kubernetes-patch-merge-key':
    case 'x-kubernetes-patch-strategy':
      return typeof v === 'string';
    case 'minimum':
    case 'maximum':
      return typeof v === 'number' && Number.isFinite(v);
    case 'multipleOf':
      return typeof v === 'number' && Number.isFinite(v) && v > 0;
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties':
      return isCount(v);
    default:
      return typeof v === 'boolean';
  }
}

/**
 * Normalise one schema node (from a swagger v2 definition, an OpenAPI v3 component, or a CRD's openAPIV3Schema).
 * Keeps the validation vocabulary and the x-kubernetes extensions kubeplan uses; everything else is dropped.
 */
export function normalizeSchema(input: unknown, opts: NormalizeOptions = {}): JsonSchema {
  const ref = opts.ref ?? defaultRef;
  const norm = (node: unknown): JsonSchema => {
    if (node === true || node === undefined) return {};
    if (!isObj(node)) return {};
    if (typeof node.$ref === 'string') return { $ref: ref(node.$ref) };
    // OpenAPI v3 wraps refs in allOf so that siblings (description, default) are legal.
    if (Array.isArray(node.allOf) && node.allOf.length === 1 && isObj(node.allOf[0]) && typeof node.allOf[0].$ref === 'string' && node.type === undefined && node.properties === undefined) {
      return { $ref: ref(node.allOf[0].$ref) };
    }
    const out: JsonSchema = {};
    const union = node.format === 'int-or-string' ? ['integer', 'string'] : unionOfScalars(node);
    for (const k of SCALAR_KEYWORDS) {
      const v = node[k];
      if (v === undefined || !wellFormed(k, v)) continue;
      if (k === 'required') {
        const names = [...new Set((v as Json[]).filter((x): x is string => typeof x === 'string'))];
        if (names.length > 0) out.required = names;
        continue;
      }
      (out as Record<string, unknown>)[k] = v;
    }
    if (union) {
      out.type = union;
      if (union[0] === 'integer') out['x-kubernetes-int-or-string'] = true;
    }
    if (typeof node.format === 'string' && ASSERTED_FORMATS.has(node.format)) out.format = node.format;
    // OpenAPI 3.0 (and CRDs): exclusiveMinimum/Maximum are booleans that modify minimum/maximum; draft-07 wants numbers.
    for (const [ex, lim] of [
      ['exclusiveMinimum', 'minimum'],
      ['exclusiveMaximum', 'maximum'],
    ] as const) {
      const e = node[ex];
      const l = node[lim];
      if (e === true && typeof l === 'number') {
        out[ex] = l;
        delete out[lim];
      } else if (typeof e === 'number') out[ex] = e;
    }
    if (isObj(node.properties)) {
      const props: Record<string, JsonSchema> = {};
      for (const [name, p] of Object.entries(node.properties)) props[name] = norm(p);
      out.properties = props;
    }
    if (node.items !== undefined && node.items !== null && typeof node.items === 'object') {
      // A tuple (items: [...]) is not allowed in structural schemas; validate the first form only.
      out.items = Array.isArray(node.items) ? norm(node.items[0]) : norm(node.items);
    }
    if (typeof node.additionalProperties === 'boolean') out.additionalProperties = node.additionalProperties;
    else if (isObj(node.additionalProperties)) out.additionalProperties = norm(node.additionalProperties);
    if (!union) {
      for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
        const v = node[k];
        if (Array.isArray(v) && v.length > 0 && v.every(isObj)) out[k] = v.map(norm);
      }
    }
    if (isObj(node.not)) out.not = norm(node.not);
    return out;
  };
  return norm(input);
}

// ---------------------------------------------------------------------------------------------------------------
// Kinds: which definitions are resources, and whether they are namespaced (from the REST paths).

interface PathInfo {
  namespaced: boolean;
}

function gvkOf(v: Json | undefined): GroupVersionKind[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObj).map((g) => ({ group: String(g.group ?? ''), version: String(g.version ?? ''), kind: String(g.kind ?? '') }));
}

/** Resource paths (not subresources, not watch/list-all paths) tell a kind exists and whether it is namespaced. */
function collectPaths(paths: unknown, into: Map<string, PathInfo>): void {
  if (!isObj(paths)) return;
  for (const [path, item] of Object.entries(paths)) {
    if (!isObj(item)) continue;
    if (path.includes('/watch/')) continue;
    // /apis/<group>/<version>/[namespaces/{namespace}/]<plural>[/{name}] — anything longer is a subresource.
    const m = /^\/(?:api|apis\/[^/]+)\/[^/]+\/(namespaces\/\{namespace\}\/)?[^/{}]+(\/\{name\})?$/.exec(path);
    if (!m) continue;
    const namespaced = m[1] !== undefined;
    for (const op of ['post', 'put', 'get', 'patch']) {
      const o = item[op];
      if (!isObj(o)) continue;
      for (const g of gvkOf(o['x-kubernetes-group-version-kind'] ? [o['x-kubernetes-group-version-kind']] : [])) {
        if (g.kind.endsWith('List')) continue;
        const key = gvkKey(g);
        const prev = into.get(key);
        // A kind served at a namespaced path is namespaced (e.g. Pod); cluster-scoped kinds never are.
        into.set(key, { namespaced: (prev?.namespaced ?? false) || namespaced });
      }
    }
  }
}

const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function sortKinds(kinds: KindEntry[]): KindEntry[] {
  return kinds.sort((a, b) => cmpStr(a.group, b.group) || cmpStr(a.version, b.version) || cmpStr(a.kind, b.kind));
}

function buildKinds(definitions: Record<string, JsonSchema>, rawDefs: Record<string, JsonObj>, paths: Map<string, PathInfo>): KindEntry[] {
  const kinds: KindEntry[] = [];
  for (const [name, raw] of Object.entries(rawDefs)) {
    for (const g of gvkOf(raw['x-kubernetes-group-version-kind'])) {
      const p = paths.get(gvkKey(g));
      if (!p) continue;
      kinds.push({ ...g, namespaced: p.namespaced, definition: name, listMapKeys: listMapKeysOf(definitions, name) });
    }
  }
  return sortKinds(kinds);
}

function sortedRecord<T>(r: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(r).sort(cmpStr)) out[k] = r[k] as T;
  return out;
}

function normalizeDefinitions(raw: Record<string, JsonObj>): Record<string, JsonSchema> {
  const defs: Record<string, JsonSchema> = {};
  for (const [name, def] of Object.entries(raw)) defs[name] = DEFINITION_OVERRIDES[name] ?? normalizeSchema(def);
  return sortedRecord(defs);
}

/** Swagger v2 (the repo's api/openapi-spec/swagger.json) → normal form. */
export function convertSwaggerV2(doc: unknown): SchemaBundle {
  if (!isObj(doc) || !isObj(doc.definitions)) throw new Error('not a swagger v2 document: no "definitions"');
  const rawDefs = doc.definitions as Record<string, JsonObj>;
  const definitions = normalizeDefinitions(rawDefs);
  const paths = new Map<string, PathInfo>();
  collectPaths(doc.paths, paths);
  return { definitions, kinds: buildKinds(definitions, rawDefs, paths) };
}

/**
 * OpenAPI v3 documents as served at /openapi/v3/<group-version> (keys like "api/v1", "apis/apps/v1"; values the
 * parsed documents) → one normal-form bundle. Shared definitions (ObjectMeta, …) appear in every document; the first
 * wins, in sorted key order, so the result does not depend on fetch order. Works for CRD group-versions a cluster serves.
 */
export function convertOpenApiV3(docs: Readonly<Record<string, unknown>>): SchemaBundle {
  const rawDefs: Record<string, JsonObj> = {};
  const paths = new Map<string, PathInfo>();
  for (const key of Object.keys(docs).sort(cmpStr)) {
    const doc = docs[key];
    if (!isObj(doc)) throw new Error(`/openapi/v3/${key}: not a JSON object`);
    const schemas = isObj(doc.components) && isObj(doc.components.schemas) ? doc.components.schemas : undefined;
    if (!schemas) continue;
    for (const [name, def] of Object.entries(schemas)) if (isObj(def) && !(name in rawDefs)) rawDefs[name] = def;
    collectPaths(doc.paths, paths);
  }
  const definitions = normalizeDefinitions(rawDefs);
  return { definitions, kinds: buildKinds(definitions, rawDefs, paths) };
}

/**
 * Bundles of single documents (each `convertOpenApiV3({ [path]: doc })`) as one, in the given order: the first
 * definition of a name wins, and the first entry of a kind. For a cluster's documents, each of which holds the
 * definitions and paths of its own kinds, this is what converting them all at once gives (in sorted path order), so
 * each document can be converted once and its conversion cached.
 */
export function mergeBundles(bundles: readonly SchemaBundle[]): SchemaBundle {
  const definitions: Record<string, JsonSchema> = {};
  const kinds = new Map<string, KindEntry>();
  for (const b of bundles) {
    for (const [name, def] of Object.entries(b.definitions)) if (!(name in definitions)) definitions[name] = def;
    for (const k of b.kinds) if (!kinds.has(gvkKey(k))) kinds.set(gvkKey(k), k);
  }
  return { definitions: sortedRecord(definitions), kinds: sortKinds([...kinds.values()]) };
}

/** The conversion code and tables: part of the on-disk cache key of converted cluster documents. */
export const CONVERT_FINGERPRINT = [
  JSON.stringify([SCALAR_KEYWORDS, [...ASSERTED_FORMATS], DEFINITION_OVERRIDES]),
  ...[defaultRef, isTypeOnly, unionOfScalars, wellFormed, normalizeSchema, gvkOf, collectPaths, sortKinds, buildKinds, sortedRecord, normalizeDefinitions, convertOpenApiV3, listMapKeysOf].map((f) => f.toString()),
].join('\n');

// ---------------------------------------------------------------------------------------------------------------
// List-map keys per path (the planner diffs lists by these keys).

const refName = (ref: string): string | undefined => /^#\/definitions\/(.+)$/.exec(ref)?.[1];

/** Keyed lists reachable from a definition (or an inline schema), by JSON path; recursion is cut at the first repeat. */
export function listMapKeysOf(definitions: Readonly<Record<string, JsonSchema>>, root: string | JsonSchema): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const visit = (s: JsonSchema | undefined, path: string, seen: ReadonlySet<string>, depth: number): void => {
    if (!s || depth > 40) return;
    if (s.$ref) {
      const name = refName(s.$ref);
      if (!name || seen.has(name)) return;
      visit(definitions[name], path, new Set([...seen, name]), depth + 1);
      return;
    }
    if (s.if || s.then || s.else) {
      // The JSONSchemaPropsOr* overrides: follow the structural branch.
      visit(s.else, path, seen, depth + 1);
      return;
    }
    for (const [name, p] of Object.entries(s.properties ?? {})) {
      const childPath = path === '' ? name : `${path}.${name}`;
      const keys = p['x-kubernetes-list-map-keys'] ?? (p['x-kubernetes-patch-merge-key'] ? [p['x-kubernetes-patch-merge-key']] : undefined);
      const isList = p.type === 'array' || (Array.isArray(p.type) && p.type.includes('array'));
      if (keys && isList && !(childPath in out)) out[childPath] = [...keys];
      visit(p, childPath, seen, depth + 1);
    }
    if (s.items) visit(s.items, `${path}[]`, seen, depth + 1);
    if (typeof s.additionalProperties === 'object') visit(s.additionalProperties, path === '' ? '*' : `${path}.*`, seen, depth + 1);
  };
  visit(typeof root === 'string' ? { $ref: `#/definitions/${root}` } : root, '', new Set(), 0);
  return sortedRecord(out);
}

/** Definitions reachable from the given ones (the schema closure a kind needs). */
export function reachableDefinitions(definitions: Readonly<Record<string, JsonSchema>>, roots: Iterable<string>): string[] {
  const seen = new Set<string>();
  const stack = [...roots];
  const scan = (s: unknown): void => {
    if (Array.isArray(s)) {
      for (const x of s) scan(x);
    } else if (typeof s === 'object' && s !== null) {
      for (const [k, v] of Object.entries(s)) {
        if (k === '$ref' && typeof v === 'string') {
          const n = refName(v);
          if (n && !seen.has(n)) stack.push(n);
        } else if (typeof v === 'object') scan(v);
      }
    }
  };
  while (stack.length > 0) {
    const n = stack.pop() as string;
    if (seen.has(n)) continue;
    seen.add(n);
    scan(definitions[n]);
  }
  return [...seen].sort(cmpStr);
}

/** "apiVersion Kind" → version, from deprecation notes in the descriptions of kinds' definitions (swagger v2 or v3). */
export function deprecationsInSpec(doc: unknown, parse: (description: string | undefined) => string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!isObj(doc)) return out;
  const defs = isObj(doc.definitions) ? doc.definitions : isObj(doc.components) && isObj(doc.components.schemas) ? doc.components.schemas : {};
  for (const def of Object.values(defs)) {
    if (!isObj(def)) continue;
    const since = parse(typeof def.description === 'string' ? def.description : undefined);
    if (since === undefined) continue;
    for (const g of gvkOf(def['x-kubernetes-group-version-kind'])) out.set(`${g.group === '' ? g.version : `${g.group}/${g.version}`} ${g.kind}`, since);
  }
  return out;
}
