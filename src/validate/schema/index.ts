// The schema validator: API-schema validation of manifests, CRD registration, API lifecycle (removed / deprecated
// apiVersions) and kind metadata for the planner. The CLI orchestrator calls exactly this API.

import { findingAt } from '../../core/findings.ts';
import type { Finding, JsonObject, JsonPath, Manifest, Range, RuleMeta } from '../../core/types.ts';
import { listMapKeysOf } from './convert.ts';
import { type CrdKind, isCrd, OBJECT_META, readCrd } from './crd.ts';
import { defaultCacheDir, openPrecompiled, type PrecompiledModule, type ValidateFn, ValidatorCompiler } from './compiler.ts';
import { apiVersionMaturity, compareVersions, type LifecycleVerdict, lifecycleOf } from './lifecycle.ts';
import { errorsToFindings, type SchemaAt } from './messages.ts';
import { SCHEMA_RULES, schemaRuleMetas } from './rules.ts';
import { committedSource, lifecycleTable, type LoadedSource, loadSource, normalizeVersion, schemaIndex } from './source.ts';
import { closureHash, sha256, type StoredKind } from './store.ts';
import type { JsonSchema, KindInfo, SchemaSource } from './types.ts';
import { gvKey, gvkKey } from './types.ts';

export type { KindInfo, SchemaSource } from './types.ts';
export { schemaSourceFromOpenApiV3 } from './source.ts';
export { SCHEMA_RULES, schemaRuleMetas } from './rules.ts';

/** Kubernetes minor versions with committed schemas, oldest first ("1.29" … "1.36"). */
export const supportedKubernetesVersions: string[] = [...schemaIndex().kubernetesVersions];
/** The newest supported version: what kubeplan validates against unless told otherwise. */
export const defaultKubernetesVersion: string = schemaIndex().defaultKubernetesVersion;

export interface SchemaValidatorOptions {
  /** "1.29" … "1.36" (also "v1.36", "1.36.2"); default the newest. Ignored when `source` is given. */
  kubernetesVersion?: string;
  /** Unknown fields are errors (API server strict field validation); false reports them as warnings. Default true. */
  strict?: boolean;
  /** Objects without a schema are reported as info instead of errors. Default false. */
  ignoreMissingSchemas?: boolean;
  /** Validate against these schemas instead of the committed ones, e.g. `schemaSourceFromOpenApiV3(clusterDocs, …)`. */
  source?: SchemaSource;
  /**
   * With `source`: kinds it does not serve, and no registered CRD defines, are validated against the committed schemas
   * of this version (`kubeplan plan` against a cluster: the cluster's schemas first, then the repo's CRDs, then the
   * bundled ones). Without it such kinds have no schema.
   */
  fallbackKubernetesVersion?: string;
  /** Where compiled validators are cached; false disables the disk cache. Default ~/.cache/kubeplan ($KUBEPLAN_CACHE_DIR). */
  cacheDir?: string | false;
  /** Schema findings reported per object before the rest are summarised in one finding. Default 50. */
  maxFindingsPerObject?: number;
}

export interface SchemaValidator {
  /** Register the CustomResourceDefinitions among `manifests` (others are ignored); returns problems of their schemas. */
  registerCrds(manifests: readonly Manifest[]): Finding[];
  /** Validate one object against the schema of its apiVersion and kind. */
  validate(manifest: Manifest): Finding[];
  /** Group, version, kind, scope and keyed lists of a kind (built-in or registered CRD); undefined when unknown. */
  kindInfo(apiVersion: string, kind: string): KindInfo | undefined;
  readonly kubernetesVersion: string;
  rules: RuleMeta[];
}

const compilers = new Map<string, ValidatorCompiler>();
const precompiledModules = new Map<string, PrecompiledModule | null>();

function compilerFor(source: LoadedSource, cacheDir: string | false): ValidatorCompiler {
  const key = `${source.id}\u0000${String(cacheDir)}`;
  let c = compilers.get(key);
  if (!c) {
    c = new ValidatorCompiler(source, cacheDir);
    compilers.set(key, c);
  }
  return c;
}

function precompiledFor(source: LoadedSource, cacheDir: string | false): PrecompiledModule | undefined {
  if (!source.precompiledPath) return undefined;
  const key = `${source.id}\u0000${String(cacheDir)}`;
  if (!precompiledModules.has(key)) precompiledModules.set(key, openPrecompiled(source.precompiledPath, source.id, cacheDir) ?? null);
  return precompiledModules.get(key) ?? undefined;
}

/** Follow refs and structural wrappers (nullable `if/else`, JSONSchemaPropsOr*) to the schema that describes an object. */
function resolveSchema(node: JsonSchema | undefined, defs: () => Readonly<Record<string, JsonSchema>>): JsonSchema | undefined {
  let n = node;
  for (let guard = 0; n && guard < 16; guard++) {
    if (n.$ref) {
      const m = /^#\/definitions\/(.+)$/.exec(n.$ref);
      n = m ? defs()[m[1] as string] : undefined;
    } else if (n.if && n.else) n = n.else;
    else return n;
  }
  return n;
}

function schemaNavigator(root: JsonSchema, defs: () => Readonly<Record<string, JsonSchema>>): SchemaAt {
  return (path: JsonPath) => {
    let node = resolveSchema(root, defs);
    for (const seg of path) {
      if (!node) return undefined;
      const next: JsonSchema | undefined =
        typeof seg === 'number' ? node.items : (node.properties?.[seg] ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined));
      node = resolveSchema(next, defs);
    }
    return node;
  };
}

/** Findings for a List that was not expanded by the parser (its items are validated one by one). */
/** apiVersion and kind are what select a schema: missing or not strings, nothing else can be checked. */
function identityFindings(manifest: Manifest): Finding[] {
  const out: Finding[] = [];
  for (const field of ['apiVersion', 'kind'] as const) {
    const value = manifest.object[field];
    if (value === undefined || value === null || value === '') {
      out.push(findingAt({ manifest, path: value === undefined ? [] : [field], target: 'key', rule: SCHEMA_RULES.schema, severity: 'error', message: `missing required field ${JSON.stringify(field)}` }));
    } else if (typeof value !== 'string') {
      const got = Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : `${typeof value} ${JSON.stringify(value)}`;
      out.push(findingAt({ manifest, path: [field], rule: SCHEMA_RULES.schema, severity: 'error', message: `${field}: expected string, got ${got}` }));
    }
  }
  return out;
}

function listItemManifest(list: Manifest, index: number, item: JsonObject): Manifest {
  const locate = (p: JsonPath, target?: 'key' | 'value'): Range => list.locate(['items', index, ...p], target);
  return { file: list.file, docIndex: list.docIndex, itemIndex: index, object: item, position: locate([]).start, locate };
}

/** The committed schemas of a supported version ("1.35", "v1.35.2"; default the newest); throws for any other. */
function committedFor(kubernetesVersion: string | undefined): LoadedSource {
  const requested = kubernetesVersion === undefined ? defaultKubernetesVersion : normalizeVersion(kubernetesVersion);
  if (requested === undefined || !supportedKubernetesVersions.includes(requested)) {
    throw new Error(`unsupported Kubernetes version ${JSON.stringify(kubernetesVersion)}: kubeplan has schemas for ${supportedKubernetesVersions.join(', ')}`);
  }
  return committedSource(requested);
}

/**
 * The committed version to fall back to for a cluster of this version ("v1.35.8", "1.35"): the same minor when kubeplan
 * has it, else the nearest it has (the newest for a newer cluster, the oldest for an older one).
 */
export function bundledVersionFor(kubernetesVersion: string): string {
  const v = normalizeVersion(kubernetesVersion);
  if (v === undefined) return defaultKubernetesVersion;
  if (supportedKubernetesVersions.includes(v)) return v;
  const oldest = supportedKubernetesVersions[0] ?? defaultKubernetesVersion;
  return compareVersions(v, oldest) < 0 ? oldest : defaultKubernetesVersion;
}

export function createSchemaValidator(opts: SchemaValidatorOptions = {}): SchemaValidator {
  const source: LoadedSource = opts.source ? loadSource(opts.source) : committedFor(opts.kubernetesVersion);
  const fallback: LoadedSource | undefined = opts.source && opts.fallbackKubernetesVersion !== undefined ? committedFor(opts.fallbackKubernetesVersion) : undefined;
  const strict = opts.strict ?? true;
  const ignoreMissing = opts.ignoreMissingSchemas ?? false;
  const cacheDir = opts.cacheDir === undefined ? defaultCacheDir() : opts.cacheDir;
  const maxFindings = opts.maxFindingsPerObject ?? 50;
  const target = source.kubernetesVersion;
  const compiler = compilerFor(source, cacheDir);
  /** Where a built-in kind's schema comes from: the source, else the fallback (each compiles against its own definitions). */
  const builtIn = (key: string): { from: LoadedSource; kind: StoredKind } | undefined => {
    const kind = source.kindByKey.get(key);
    if (kind) return { from: source, kind };
    const other = fallback?.kindByKey.get(key);
    return other && fallback ? { from: fallback, kind: other } : undefined;
  };
  /** Every kind of the source, then the fallback's that the source lacks (hints and replacements in messages). */
  let knownMemo: StoredKind[] | undefined;
  const knownKinds = (): readonly StoredKind[] => {
    knownMemo ??= fallback ? [...source.kinds, ...fallback.kinds.filter((k) => !source.kindByKey.has(gvkKey(k)))] : [...source.kinds];
    return knownMemo;
  };
  /**
   * Kinds a CRD cannot take over: the committed schemas' kinds, and a cluster's kinds in API groups of Kubernetes itself.
   * A custom resource the cluster serves IS taken over by a CRD in the input: that CRD is what the cluster will serve
   * once it is applied (before its custom resources), so the repo's version of the schema is the one to check against.
   */
  let builtInGroups: Set<string> | undefined;
  const crdCannotDefine = (key: string, group: string): boolean => {
    if (fallback?.kindByKey.has(key)) return true;
    if (!source.kindByKey.has(key)) return false;
    if (source.committed) return true;
    builtInGroups ??= new Set((fallback ?? committedSource(defaultKubernetesVersion)).kinds.map((k) => k.group));
    return !group.includes('.') || builtInGroups.has(group);
  };
  const crds = new Map<string, CrdKind>(); // "apiVersion Kind"
  const crdGroupKinds = new Map<string, CrdKind[]>(); // "group Kind"
  const validators = new Map<string, ValidateFn>();
  const crdListKeys = new Map<CrdKind, Record<string, string[]>>();

  const metadataListKeys = (): Record<string, string[]> => {
    const anyKind = builtIn('v1 ConfigMap')?.kind ?? source.kinds[0];
    const out: Record<string, string[]> = {};
    for (const [p, keys] of Object.entries(anyKind?.listMapKeys ?? {})) if (p.startsWith('metadata.')) out[p] = keys;
    return out;
  };

  // CRD schemas refer to ObjectMeta: compiled against the source's definitions, or the fallback's if the source has none.
  const crdBase = fallback && source.definitionHash(OBJECT_META) === undefined ? fallback : source;
  const crdCompiler = crdBase === source ? compiler : compilerFor(crdBase, cacheDir);
  const objectMetaHash = (): string => closureHash([OBJECT_META], (n) => crdBase.definitionHash(n));

  /** Deprecation verdict per "apiVersion Kind" (null: not deprecated), so 10,000 objects cost 10,000 map lookups. */
  const deprecations = new Map<string, LifecycleVerdict | null>();
  /** Kinds whose schema could not be compiled, with the reason (reported once per object, compiled once). */
  const broken = new Map<string, string>();

  type Resolved = { fn: ValidateFn; schemaAt: () => SchemaAt } | { broken: string } | undefined;
  const validatorFor = (key: string): Resolved => {
    const failed = broken.get(key);
    if (failed !== undefined) return { broken: failed };
    const crd = crds.get(key);
    const kind = crd ? undefined : builtIn(key);
    if (!crd && !kind) return undefined;
    let fn = validators.get(key);
    if (!fn) {
      try {
        if (crd) {
          fn = crdCompiler.schema(crd.schema, sha256(`${crd.schemaHash}\n${objectMetaHash()}`).slice(0, 20));
        } else if (kind) {
          const pre = precompiledFor(kind.from, cacheDir);
          const exportName = pre?.exports[key];
          const loaded = exportName !== undefined ? (pre?.load()[exportName] as ValidateFn | undefined) : undefined;
          fn = loaded ?? (kind.from === source ? compiler : compilerFor(kind.from, cacheDir)).definition(kind.kind.definition, kind.kind.schemaHash);
        }
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        const reason = crd ? `the schema of CRD ${crd.from.name} (${crd.from.file}) cannot be compiled: ${why}` : `kubeplan could not compile the schema of this kind: ${why}`;
        broken.set(key, reason);
        return { broken: reason };
      }
      if (!fn) return undefined;
      validators.set(key, fn);
    }
    const root: JsonSchema = crd ? crd.schema : { $ref: `#/definitions/${kind?.kind.definition ?? ''}` };
    const defs = crd ? crdBase : (kind?.from ?? source);
    return { fn, schemaAt: () => schemaNavigator(root, () => defs.definitions()) };
  };

  const missingSchema = (manifest: Manifest, apiVersion: string, kind: string): Finding[] => {
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
    // Removals are facts about Kubernetes versions, so they apply to a live cluster's schemas too.
    const verdict = lifecycleOf(lifecycleTable(), apiVersion, kind, target, false);
    if (verdict?.status === 'removed') {
      const e = verdict.entry;
      const replacement = replacementFor(e.apiVersion, e.kind, e.replacement, e.replacementKind);
      const use = replacement ? `; use ${replacement}` : e.note ? `; ${e.note}` : '';
      return [
        findingAt({
          manifest,
          path: ['apiVersion'],
          rule: SCHEMA_RULES.removedApi,
          severity: 'error',
          message: `${apiVersion} ${kind} was removed in Kubernetes ${e.removedIn}${use}`,
        }),
      ];
    }
    const hints: string[] = [];
    const sameGroupVersion = knownKinds().filter((k) => gvKey(k.group, k.version) === apiVersion);
    const caseMatch = sameGroupVersion.find((k) => k.kind.toLowerCase() === kind.toLowerCase());
    if (caseMatch) hints.push(`kinds are case-sensitive: did you mean ${JSON.stringify(caseMatch.kind)}?`);
    if (verdict?.status === 'not-yet') {
      const served = verdict.entry.servedIn ?? [];
      hints.push(`${apiVersion} ${kind} is served by Kubernetes ${served.length > 1 ? `${served[0]}–${served[served.length - 1]}` : served[0]}`);
    }
    const crdVersions = crdGroupKinds.get(`${group} ${kind}`);
    if (crdVersions && crdVersions.length > 0) {
      hints.push(`the CRD ${crdVersions[0]?.from.name} serves ${crdVersions.map((k) => k.version).join(', ')}, not ${version}`);
    } else if (!caseMatch) {
      const elsewhere = knownKinds().filter((k) => k.kind === kind);
      const by = elsewhere.some((k) => source.kindByKey.has(gvkKey(k))) || !fallback ? source.label : fallback.label;
      if (elsewhere.length > 0) hints.push(`${by} serves ${kind} as ${elsewhere.map((k) => gvKey(k.group, k.version)).join(', ')}`);
    }
    const what = source.committed
      ? `not a built-in kind of Kubernetes ${target}`
      : fallback
        ? `not served by ${source.label} nor a built-in kind of Kubernetes ${fallback.kubernetesVersion}`
        : `not served by ${source.label}`;
    const action = ignoreMissing ? 'not validated' : 'pass --crd or --ignore-missing-schemas';
    const hint = hints.length > 0 ? ` (${hints.join('; ')})` : '';
    return [
      findingAt({
        manifest,
        path: ['apiVersion'],
        rule: SCHEMA_RULES.missingSchema,
        severity: ignoreMissing ? 'info' : 'error',
        message: `no schema for ${apiVersion} ${kind}: ${what} and no CRD for it was loaded${hint}; ${action}`,
      }),
    ];
  };

  /** The replacement to suggest at the target version: the recorded one if served, else the most mature version served. */
  const replacementFor = (apiVersion: string, kind: string, recorded: string | undefined, recordedKind: string | undefined): string | undefined => {
    const k = recordedKind ?? kind;
    if (recorded !== undefined && (builtIn(`${recorded} ${k}`) || crds.has(`${recorded} ${k}`))) return recordedKind ? `${recorded} ${recordedKind}` : recorded;
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const candidates = knownKinds().filter((x) => x.kind === k && (x.group === group || (recorded !== undefined && recorded.startsWith(`${x.group}/`))));
    const best = candidates.sort((a, b) => apiVersionMaturity(b.version) - apiVersionMaturity(a.version))[0];
    if (best) return recordedKind ? `${gvKey(best.group, best.version)} ${recordedKind}` : gvKey(best.group, best.version);
    return recorded;
  };

  const validate = (manifest: Manifest): Finding[] => {
    const obj = manifest.object;
    const apiVersion = obj.apiVersion;
    const kind = obj.kind;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string' || apiVersion === '' || kind === '') return identityFindings(manifest);
    const out: Finding[] = [];
    const key = `${apiVersion} ${kind}`;
    if (kind.endsWith('List') && !builtIn(key) && !crds.has(key) && 'items' in obj) {
      const items = obj.items;
      if (!Array.isArray(items)) return [findingAt({ manifest, path: ['items'], rule: SCHEMA_RULES.schema, severity: 'error', message: `items: expected array, got ${items === null ? 'null' : typeof items}` })];
      return items.flatMap((item, i) =>
        item !== null && typeof item === 'object' && !Array.isArray(item)
          ? validate(listItemManifest(manifest, i, item))
          : [findingAt({ manifest, path: ['items', i], rule: SCHEMA_RULES.schema, severity: 'error', message: `items[${i}]: expected object, got ${item === null ? 'null' : Array.isArray(item) ? 'array' : typeof item}` })],
      );
    }
    const v = validatorFor(key);
    if (!v) return missingSchema(manifest, apiVersion, kind);
    if (!crds.has(key)) {
      let verdict = deprecations.get(key);
      if (verdict === undefined) {
        verdict = lifecycleOf(lifecycleTable(), apiVersion, kind, target, true) ?? null;
        deprecations.set(key, verdict);
      }
      if (verdict?.status === 'deprecated') {
        const e = verdict.entry;
        const replacement = replacementFor(e.apiVersion, e.kind, e.replacement, e.replacementKind);
        const removal = e.removedIn !== undefined && compareVersions(e.removedIn, target) > 0 ? ` and will be removed in ${e.removedIn}` : '';
        const use = replacement ? `; use ${replacement}` : '';
        const note = e.note ? ` (${e.note})` : '';
        out.push(
          findingAt({ manifest, path: ['apiVersion'], rule: SCHEMA_RULES.deprecatedApi, severity: 'warning', message: `${apiVersion} ${kind} is deprecated since Kubernetes ${e.deprecatedIn}${removal}${use}${note}` }),
        );
      }
    }
    if ('broken' in v) {
      out.push(findingAt({ manifest, path: ['apiVersion'], rule: crds.has(key) ? SCHEMA_RULES.invalidCrdSchema : SCHEMA_RULES.schema, severity: 'error', message: `${apiVersion} ${kind} not validated: ${v.broken}` }));
    } else if (!v.fn(obj)) {
      out.push(...errorsToFindings(v.fn.errors ?? [], { manifest, strict, maxFindings, schemaAt: v.schemaAt() }));
    }
    return out;
  };

  const registerCrds = (manifests: readonly Manifest[]): Finding[] => {
    const findings: Finding[] = [];
    for (const m of manifests) {
      if (!isCrd(m)) continue;
      const { kinds, findings: f } = readCrd(m);
      findings.push(...f);
      for (const k of kinds) {
        const key = `${gvKey(k.group, k.version)} ${k.kind}`;
        if (crdCannotDefine(key, k.group)) continue; // a CRD cannot replace a built-in kind
        crds.set(key, k);
        validators.delete(key);
        broken.delete(key);
        crdListKeys.delete(k);
        const gk = `${k.group} ${k.kind}`;
        crdGroupKinds.set(gk, [...(crdGroupKinds.get(gk) ?? []).filter((x) => x.version !== k.version), k]);
      }
    }
    return findings;
  };

  const kindInfo = (apiVersion: string, kind: string): KindInfo | undefined => {
    const key = `${apiVersion} ${kind}`;
    const crd = crds.get(key);
    if (crd) {
      let keys = crdListKeys.get(crd);
      if (!keys) {
        keys = { ...metadataListKeys(), ...listMapKeysOf({}, crd.schema) };
        keys = Object.fromEntries(Object.entries(keys).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
        crdListKeys.set(crd, keys);
      }
      return { group: crd.group, version: crd.version, kind: crd.kind, namespaced: crd.namespaced, listMapKeys: keys };
    }
    const k = builtIn(key)?.kind;
    return k ? { group: k.group, version: k.version, kind: k.kind, namespaced: k.namespaced, listMapKeys: k.listMapKeys } : undefined;
  };

  return {
    registerCrds,
    validate,
    kindInfo,
    kubernetesVersion: target,
    rules: schemaRuleMetas,
  };
}

