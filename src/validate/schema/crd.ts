// CustomResourceDefinition manifests → schemas for their custom resources (every served version), plus the checks the
// API server's CRD strategy makes on the schema itself that a JSON Schema of JSONSchemaProps cannot express
// (structural-schema rules, valid `type` names, patterns Go and JavaScript can both compile).

import { findingAt } from '../../core/findings.ts';
import { getArray, getObject, getString, isObject } from '../../core/objects.ts';
import type { Finding, JsonPath, JsonValue, Manifest } from '../../core/types.ts';
import { normalizeSchema } from './convert.ts';
import { translateGoRegExp } from './regexp.ts';
import { contentHash } from './store.ts';
import type { JsonSchema, KindInfo } from './types.ts';

export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
export const CRD_RULE = 'invalid-crd-schema';

export interface CrdKind {
  group: string;
  version: string;
  kind: string;
  namespaced: boolean;
  /** Normal-form root schema; `metadata` refers to the built-in ObjectMeta ("#/definitions/…"); computed on first use. */
  readonly schema: JsonSchema;
  /** Content hash of `schema` (the ObjectMeta it refers to is hashed in by the compiler); computed on first use. */
  readonly schemaHash: string;
  /** The CRD this came from, for messages ("from crds/widgets.yaml"). */
  from: { file: string; name: string };
}

const VALID_TYPES = new Set(['array', 'boolean', 'integer', 'number', 'object', 'string']);

export function isCrd(m: Manifest): boolean {
  const apiVersion = getString(m.object, 'apiVersion');
  return m.object.kind === 'CustomResourceDefinition' && (apiVersion === 'apiextensions.k8s.io/v1' || apiVersion === 'apiextensions.k8s.io/v1beta1');
}

interface Check {
  manifest: Manifest;
  findings: Finding[];
}

function report(c: Check, path: JsonPath, message: string, severity: 'error' | 'warning' = 'error', target: 'key' | 'value' = 'value'): void {
  c.findings.push(findingAt({ manifest: c.manifest, path, target, rule: CRD_RULE, severity, message }));
}

const dotted = (path: JsonPath): string =>
  path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc === '' ? seg : `${acc}.${seg}`), '');

/** Structural-schema rules (apiextensions "structural schema") and things kubeplan cannot check. */
function checkSchema(c: Check, node: JsonValue | undefined, path: JsonPath, inValueValidation: boolean, isRoot: boolean): void {
  if (node === undefined) return;
  if (!isObject(node)) {
    report(c, path, `${dotted(path)}: a schema must be a mapping, got ${node === null ? 'null' : Array.isArray(node) ? 'a list' : typeof node}`);
    return;
  }
  const type = node.type;
  const intOrString = node['x-kubernetes-int-or-string'] === true;
  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (type !== undefined) {
    if (typeof type !== 'string' || !VALID_TYPES.has(type)) {
      report(c, [...path, 'type'], `${dotted([...path, 'type'])}: unsupported type ${JSON.stringify(type)}; supported types: "array", "boolean", "integer", "number", "object", "string"`);
    }
  } else if (!inValueValidation && !intOrString && !preserve) {
    report(c, path, `${dotted(path)}: type is required here (a structural schema needs a type on every field, unless it sets x-kubernetes-int-or-string or x-kubernetes-preserve-unknown-fields)`, 'error', 'key');
  }
  if (isRoot && type !== undefined && type !== 'object') report(c, [...path, 'type'], `${dotted([...path, 'type'])}: the root of a custom resource schema must be of type "object"`);
  if (typeof node.pattern === 'string') {
    const t = translateGoRegExp(node.pattern);
    if (!t.ok) report(c, [...path, 'pattern'], `${dotted([...path, 'pattern'])}: pattern ${JSON.stringify(node.pattern)} cannot be checked by kubeplan (${t.reason}); values are not matched against it`, 'warning');
  }
  if (Array.isArray(node.items)) {
    report(c, [...path, 'items'], `${dotted([...path, 'items'])}: items must be a single schema, not a list (structural schemas do not allow tuples)`);
  } else {
    checkSchema(c, node.items, [...path, 'items'], inValueValidation, false);
  }
  const props = getObject(node, 'properties');
  for (const [name, p] of Object.entries(props ?? {})) checkSchema(c, p, [...path, 'properties', name], inValueValidation, false);
  if (isObject(node.additionalProperties)) checkSchema(c, node.additionalProperties, [...path, 'additionalProperties'], inValueValidation, false);
  for (const k of ['allOf', 'anyOf', 'oneOf']) {
    const list = getArray(node, k);
    list?.forEach((b, i) => checkSchema(c, b, [...path, k, i], true, false));
  }
  if (node.not !== undefined) checkSchema(c, node.not, [...path, 'not'], true, false);
}

/** The schema of one CRD version as kubeplan validates custom resources with it. */
export function crdRootSchema(openAPIV3Schema: JsonValue | undefined): JsonSchema {
  const root = openAPIV3Schema === undefined ? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } : normalizeSchema(openAPIV3Schema);
  return {
    ...root,
    type: 'object',
    properties: {
      ...root.properties,
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { $ref: `#/definitions/${OBJECT_META}` },
    },
  };
}

/** Read a CRD manifest: the kinds it defines (served versions) and the problems of its schemas. */
export function readCrd(manifest: Manifest): { kinds: CrdKind[]; findings: Finding[] } {
  const c: Check = { manifest, findings: [] };
  const obj = manifest.object;
  const spec = getObject(obj, 'spec');
  const group = getString(spec, 'group');
  const names = getObject(spec, 'names');
  const kind = getString(names, 'kind');
  const crdName = getString(getObject(obj, 'metadata'), 'name') ?? '';
  if (!spec || group === undefined || kind === undefined) return { kinds: [], findings: [] }; // the schema check reports the missing fields
  const scope = getString(spec, 'scope') ?? 'Namespaced';
  const v1 = obj.apiVersion === 'apiextensions.k8s.io/v1';
  const kinds: CrdKind[] = [];
  const versions = getArray(spec, 'versions');
  const entries: { name: string; served: boolean; schema: JsonValue | undefined; path: JsonPath }[] = [];
  if (versions && versions.length > 0) {
    versions.forEach((v, i) => {
      if (!isObject(v)) return;
      const name = getString(v, 'name');
      if (name === undefined) return;
      const own = getObject(getObject(v, 'schema'), 'openAPIV3Schema');
      const shared = getObject(getObject(spec, 'validation'), 'openAPIV3Schema');
      entries.push({
        name,
        served: v.served !== false,
        schema: own ?? (v1 ? undefined : shared),
        path: own ? ['spec', 'versions', i, 'schema', 'openAPIV3Schema'] : ['spec', 'validation', 'openAPIV3Schema'],
      });
      if (v1 && !own) report(c, ['spec', 'versions', i], `spec.versions[${i}] (${name}): no schema.openAPIV3Schema; apiextensions.k8s.io/v1 requires a structural schema for every version`, 'error', 'key');
    });
  } else {
    const name = getString(spec, 'version');
    if (name !== undefined) entries.push({ name, served: true, schema: getObject(getObject(spec, 'validation'), 'openAPIV3Schema'), path: ['spec', 'validation', 'openAPIV3Schema'] });
  }
  const checked = new Set<string>();
  for (const e of entries) {
    const key = e.path.join('/');
    if (e.schema !== undefined && !checked.has(key)) {
      checked.add(key);
      checkSchema(c, e.schema, e.path, false, true);
    }
    if (!e.served) continue;
    // Normalising and hashing a large schema (prometheus-operator's are ~800 KB) is done only for kinds in use.
    let schema: JsonSchema | undefined;
    let hash: string | undefined;
    const raw = e.schema;
    kinds.push({
      group,
      version: e.name,
      kind,
      namespaced: scope !== 'Cluster',
      get schema() {
        schema ??= crdRootSchema(raw);
        return schema;
      },
      get schemaHash() {
        hash ??= contentHash(this.schema);
        return hash;
      },
      from: { file: manifest.file, name: crdName },
    });
  }
  return { kinds, findings: c.findings };
}

export function crdKindInfo(k: CrdKind, listMapKeys: Record<string, string[]>): KindInfo {
  return { group: k.group, version: k.version, kind: k.kind, namespaced: k.namespaced, listMapKeys };
}

