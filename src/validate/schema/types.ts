// Types shared by the schema converters, the generator and the runtime validator.

/** A JSON Schema node as kubeplan stores it (draft-07 vocabulary plus the Kubernetes `x-kubernetes-*` extensions). */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  required?: string[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  not?: JsonSchema;
  if?: JsonSchema;
  then?: JsonSchema;
  else?: JsonSchema;
  nullable?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string;
  [extension: `x-${string}`]: unknown;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** What the planner and the rules need to know about a kind. */
export interface KindInfo extends GroupVersionKind {
  namespaced: boolean;
  /**
   * Keys that identify the items of keyed lists, by JSON path from the object root:
   * properties joined by ".", "[]" after a list to step into its items, ".*" for the values of a map.
   * E.g. "spec.template.spec.containers" → ["name"], "spec.template.spec.containers[].ports" → ["containerPort", "protocol"].
   * From `x-kubernetes-list-map-keys`, else `x-kubernetes-patch-merge-key`. Recursive schemas (JSONSchemaProps) are cut at the first repeat.
   */
  listMapKeys: Record<string, string[]>;
}

/** One kind of a schema set: its identity, scope, list keys and the definition that describes it. */
export interface KindEntry extends KindInfo {
  /** Name of the definition in the bundle (e.g. "io.k8s.api.apps.v1.Deployment"). */
  definition: string;
}

/**
 * Kubernetes schemas in kubeplan's normal form: descriptions stripped, refs as "#/definitions/<name>",
 * int-or-string and Quantity rewritten as type unions, `allOf: [{$ref}]` wrappers of OpenAPI v3 unwrapped.
 * Validation-only decorations (nullability, closed objects) are applied when schemas are loaded (decorate.ts).
 */
export interface SchemaBundle {
  definitions: Record<string, JsonSchema>;
  kinds: KindEntry[];
}

/** Where a validator gets its built-in schemas from: a committed bundle or a live cluster's /openapi/v3. */
export interface SchemaSource {
  /** "1.36": the Kubernetes minor these schemas belong to. */
  kubernetesVersion: string;
  /** Short description for messages ("Kubernetes 1.36", "the cluster's /openapi/v3"). */
  label: string;
  bundle: SchemaBundle;
  /** Stable content id (changes when any schema changes); keys on-disk caches of compiled validators. */
  id: string;
}

export const gvKey = (group: string, version: string): string => (group === '' ? version : `${group}/${version}`);
export const gvkKey = (g: GroupVersionKind): string => `${gvKey(g.group, g.version)} ${g.kind}`;
