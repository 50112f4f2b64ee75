// Schema sources at runtime: the committed bundles in schemas/ (read lazily, memoised per process) or a live
// cluster's /openapi/v3 documents converted with the same code as the generator.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../core/package-root.ts';
import { convertOpenApiV3, reachableDefinitions } from './convert.ts';
import type { ApiLifecycleFile } from './lifecycle.ts';
import { bundleFromFiles, canonical, closureHash, contentHash, type IndexFile, sha256, type StoredKind, type VersionFile, versionFileName } from './store.ts';
import type { JsonSchema, SchemaBundle, SchemaSource } from './types.ts';
import { gvkKey } from './types.ts';

export const SCHEMAS_DIR = `${join(PACKAGE_ROOT, 'schemas')}/`;

const readJson = <T>(name: string): T => {
  try {
    return JSON.parse(readFileSync(`${SCHEMAS_DIR}${name}`, 'utf8')) as T;
  } catch (err) {
    throw new Error(`cannot read kubeplan's schema file ${SCHEMAS_DIR}${name}: ${err instanceof Error ? err.message : String(err)} (run npm run schemas)`);
  }
};

let indexMemo: IndexFile | undefined;
export function schemaIndex(): IndexFile {
  indexMemo ??= readJson<IndexFile>('index.json');
  return indexMemo;
}

let storeMemo: Record<string, JsonSchema> | undefined;
function definitionStore(): Record<string, JsonSchema> {
  storeMemo ??= readJson<Record<string, JsonSchema>>('definitions.json');
  return storeMemo;
}

let lifecycleMemo: ApiLifecycleFile | undefined;
export function lifecycleTable(): ApiLifecycleFile {
  lifecycleMemo ??= readJson<ApiLifecycleFile>('api-lifecycle.json');
  return lifecycleMemo;
}

/** A schema source as the validator uses it: kinds indexed, definitions loaded only when needed. */
export interface LoadedSource {
  kubernetesVersion: string;
  label: string;
  id: string;
  kinds: readonly StoredKind[];
  kindByKey: ReadonlyMap<string, StoredKind>;
  definitionHash(name: string): string | undefined;
  definitions(): Readonly<Record<string, JsonSchema>>;
  /** Committed precompiled validators for this source, if any. */
  precompiledPath?: string;
  /** True for the committed bundles (the lifecycle table and "built-in kind of Kubernetes X" wording apply). */
  committed: boolean;
}

const indexKinds = (kinds: readonly StoredKind[]): Map<string, StoredKind> => new Map(kinds.map((k) => [gvkKey(k), k]));

export const precompiledFileName = (v: string): string => `compiled/kubernetes-v${v}.cjs.br`;

const committedMemo = new Map<string, LoadedSource>();
export function committedSource(kubernetesVersion: string): LoadedSource {
  const hit = committedMemo.get(kubernetesVersion);
  if (hit) return hit;
  const file = readJson<VersionFile>(versionFileName(kubernetesVersion));
  let defs: Record<string, JsonSchema> | undefined;
  const index = schemaIndex();
  const precompiled = precompiledFileName(kubernetesVersion);
  const source: LoadedSource = {
    kubernetesVersion,
    label: `Kubernetes ${kubernetesVersion}`,
    id: file.id,
    kinds: file.kinds,
    kindByKey: indexKinds(file.kinds),
    definitionHash: (name) => file.definitions[name],
    definitions: () => {
      defs ??= bundleFromFiles(file, definitionStore()).definitions;
      return defs;
    },
    committed: true,
  };
  if (index.files[precompiled] !== undefined) source.precompiledPath = `${SCHEMAS_DIR}${precompiled}`;
  committedMemo.set(kubernetesVersion, source);
  return source;
}

/**
 * Convert a cluster's OpenAPI v3 documents into a schema source for `createSchemaValidator({ source })`.
 * `documents` maps the group-version path as the discovery document at /openapi/v3 lists it ("api/v1",
 * "apis/apps/v1", "apis/monitoring.coreos.com/v1") to the parsed JSON served at /openapi/v3/<path>.
 * Custom resources of CRDs installed in the cluster are validated against the cluster's schemas too.
 */
export function schemaSourceFromOpenApiV3(documents: Readonly<Record<string, unknown>>, opts: SchemaSourceOptions): SchemaSource {
  return schemaSourceFromBundle(convertOpenApiV3(documents), opts);
}

export interface SchemaSourceOptions {
  /** The Kubernetes version the schemas belong to ("v1.35.8" or "1.35"). */
  kubernetesVersion: string;
  /** For messages; default "the cluster's /openapi/v3". */
  label?: string;
  /** Content id, when the caller knows one (a cluster's hashed document URLs): saves hashing the whole bundle. */
  id?: string;
}

/** A schema source of schemas already in kubeplan's normal form (e.g. `mergeBundles` of converted documents). */
export function schemaSourceFromBundle(bundle: SchemaBundle, opts: SchemaSourceOptions): SchemaSource {
  const id = opts.id ?? sha256(canonical(bundle)).slice(0, 20);
  return { kubernetesVersion: normalizeVersion(opts.kubernetesVersion) ?? opts.kubernetesVersion, label: opts.label ?? "the cluster's /openapi/v3", bundle, id };
}

const loadedMemo = new WeakMap<SchemaSource, LoadedSource>();
/**
 * Index a source for the validator. Content hashes of definitions and kinds' schema closures key the compiled-validator
 * cache; they are computed on first use, so a run pays for the kinds it validates, not for the hundreds a document has.
 */
export function loadSource(source: SchemaSource): LoadedSource {
  const hit = loadedMemo.get(source);
  if (hit) return hit;
  const defs = source.bundle.definitions;
  const hashes = new Map<string, string | undefined>();
  const hashOf = (n: string): string | undefined => {
    if (!hashes.has(n)) hashes.set(n, n in defs ? contentHash(defs[n]) : undefined);
    return hashes.get(n);
  };
  const kinds: StoredKind[] = source.bundle.kinds.map((k) => {
    let schemaHash: string | undefined;
    return {
      ...k,
      get schemaHash(): string {
        schemaHash ??= closureHash(reachableDefinitions(defs, [k.definition]), hashOf);
        return schemaHash;
      },
    };
  });
  const loaded: LoadedSource = {
    kubernetesVersion: source.kubernetesVersion,
    label: source.label,
    id: source.id,
    kinds,
    kindByKey: indexKinds(kinds),
    definitionHash: hashOf,
    definitions: () => defs,
    committed: false,
  };
  loadedMemo.set(source, loaded);
  return loaded;
}

/** "1.36", "v1.36", "1.36.2" → "1.36"; anything else → undefined. */
export function normalizeVersion(v: string): string | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(v.trim());
  return m ? `${Number(m[1])}.${Number(m[2])}` : undefined;
}
