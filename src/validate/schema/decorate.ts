// Validation decorations, applied to normal-form schemas just before they are compiled.
//
// - Null: the API server decodes an explicit `null` on an optional field as "unset" (native types) or prunes it
//   (CRDs; `nullable: true` keeps it). So null is accepted wherever a field is optional or nullable, and rejected on
//   required fields and list items. It is added *outside* unions (`type: [integer, string, null]`), never inside
//   oneOf branches — the trap that makes kubeconform reject `targetPort: null` (validators.md §9 D3).
//   Definitions accept null themselves, so an optional `$ref` costs nothing; a required `$ref` slot or a list item
//   gets a sibling `type` (the definition's own type, without null) that rejects it.
// - Unknown fields: every object with `properties` is closed (`additionalProperties: false`) unless it has
//   `x-kubernetes-preserve-unknown-fields`. For CRDs (structural schemas) an object without properties prunes all its
//   fields, so it is closed too; native objects without properties (RawExtension, FieldsV1) stay open.
//   Non-strict validation uses the same schema and downgrades the unknown-field errors, so one compiled validator
//   serves both modes.
// - `x-kubernetes-embedded-resource`: apiVersion, kind and metadata are allowed even when not listed.
// - `x-kubernetes-int-or-string` without a type: `type: [integer, string]`.
// Value validations (allOf/anyOf/oneOf/not) are left alone: in a structural schema they only add constraints.

import type { JsonSchema } from './types.ts';

export type SchemaOrigin = 'native' | 'crd';

/** Keywords that can reject null (besides `type`): a schema with none of them and no `type` already accepts it. */
const NULL_REJECTING = ['enum', 'const', 'not', 'allOf', 'anyOf', 'oneOf', 'if', '$ref'] as const;

export function acceptsNull(s: JsonSchema): boolean {
  const t = s.type;
  if (t !== undefined && !(t === 'null' || (Array.isArray(t) && t.includes('null')))) return false;
  return NULL_REJECTING.every((k) => (s as Record<string, unknown>)[k] === undefined);
}

function withNull(s: JsonSchema): JsonSchema {
  if (acceptsNull(s)) return s;
  const t = s.type;
  const onlyType = NULL_REJECTING.every((k) => (s as Record<string, unknown>)[k] === undefined);
  if (onlyType && typeof t === 'string') return { ...s, type: [t, 'null'] };
  if (onlyType && Array.isArray(t)) return { ...s, type: [...t, 'null'] };
  return { if: { type: 'null' }, else: s };
}

/** Resolves "#/definitions/<name>" to the normal-form definition (to learn its type). */
export type DefinitionLookup = (ref: string) => JsonSchema | undefined;

function refSlot(ref: string, allowNull: boolean, lookup: DefinitionLookup | undefined): JsonSchema {
  if (allowNull) return { $ref: ref };
  const target = lookup?.(ref);
  const t = target?.type;
  if (typeof t === 'string' || Array.isArray(t)) return { $ref: ref, type: t };
  // A definition without a type (an open JSON value) accepts anything, null included, like the server does.
  if (target && acceptsNull(target) && target.if === undefined) return { $ref: ref };
  return { $ref: ref, not: { type: 'null' } };
}

/** Decorate one schema tree. `allowNull` says whether the slot it sits in accepts an explicit null. */
export function decorate(schema: JsonSchema, origin: SchemaOrigin, allowNull = false, lookup?: DefinitionLookup): JsonSchema {
  if (schema.$ref !== undefined) return refSlot(schema.$ref, allowNull, lookup);
  const s: JsonSchema = { ...schema };
  let nullOk = allowNull;
  if (s.nullable === true) nullOk = true;
  delete s.nullable;
  if (s['x-kubernetes-int-or-string'] === true && s.type === undefined) s.type = ['integer', 'string'];
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;

  if (s['x-kubernetes-embedded-resource'] === true) {
    s.properties = {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      ...s.properties,
    };
  }
  if (s.properties) {
    const required = new Set(s.required ?? []);
    const props: Record<string, JsonSchema> = {};
    for (const [name, p] of Object.entries(s.properties)) props[name] = decorate(p, origin, !required.has(name), lookup);
    s.properties = props;
  }
  // Built-in kinds decode a null scalar element of a list or map as its zero value ("" / 0 / false) and the
  // server accepts it (`command: [sleep, ~]`, `data: {k: ~}`; seen in the fidelity test against 1.35).
  // A null object element, and any null element in a custom resource, is still rejected.
  const zeroOnNull = (e: JsonSchema): boolean => origin === 'native' && (e.type === 'string' || e.type === 'integer' || e.type === 'number' || e.type === 'boolean');
  if (s.items) s.items = decorate(s.items, origin, zeroOnNull(s.items), lookup);
  if (typeof s.additionalProperties === 'object') s.additionalProperties = decorate(s.additionalProperties, origin, zeroOnNull(s.additionalProperties), lookup);
  // The JSONSchemaPropsOr* overrides (convert.ts) are structural if/then/else.
  if (s.if && (s.then || s.else)) {
    if (s.then) s.then = decorate(s.then, origin, false, lookup);
    if (s.else) s.else = decorate(s.else, origin, false, lookup);
  }
  if (!preserve && s.additionalProperties === undefined) {
    const isObjectType = s.type === 'object' || (Array.isArray(s.type) && s.type.includes('object'));
    if (s.properties !== undefined || (origin === 'crd' && isObjectType)) s.additionalProperties = false;
  }
  return nullOk ? withNull(s) : s;
}

/** Decorate every definition of a bundle. Definitions accept null; slots that must not be null guard it themselves. */
export function decorateDefinitions(definitions: Readonly<Record<string, JsonSchema>>, origin: SchemaOrigin = 'native'): Record<string, JsonSchema> {
  const lookup: DefinitionLookup = (ref) => {
    const m = /^#\/definitions\/(.+)$/.exec(ref);
    return m ? definitions[m[1] as string] : undefined;
  };
  const out: Record<string, JsonSchema> = {};
  for (const [name, def] of Object.entries(definitions)) out[name] = decorate(def, origin, true, lookup);
  return out;
}

/** Fingerprint of the decoration code: part of the on-disk cache key of compiled validators. */
export const DECORATION_FINGERPRINT = [acceptsNull, withNull, refSlot, decorate, decorateDefinitions].map((f) => f.toString()).join('\n');
