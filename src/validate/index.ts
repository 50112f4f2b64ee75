// `kubeplan validate` as a function: sources → manifests → schema + rules → suppressions → report.
// No printing and no exit codes here; the CLI and the plan command both call it.
import { relative, resolve, sep } from 'node:path';
import { compareFindings } from '../core/findings.ts';
import type { Finding, Manifest, RuleMeta, ValidationReport } from '../core/types.ts';
import { loadSources, type SourceSpec } from '../sources/index.ts';
import { maxBytesOf } from '../sources/common.ts';
import { createSchemaValidator, type SchemaSource, supportedKubernetesVersions, type SchemaValidator } from './schema/index.ts';
import { defaultCacheDir } from './schema/compiler.ts';
import { openParseCache, type ParseCache } from '../manifests/parse-cache.ts';
import { normalizeVersion } from './schema/source.ts';
import { redactSecretValues } from './redact.ts';
import { inputRuleMetas } from './input-rules.ts';
import { globToRegExp } from '../sources/glob.ts';
import type { LoadResult } from '../sources/types.ts';
import { allRules, graphRules, objectRules } from './rules/index.ts';
import { runRules, severityOf, type RuleConfig } from './rules/run.ts';
import { type CheckInput, type Checked, checkInOneThread, checkInThreads, type ServedSchema, threadPlan, workerFailureNotice } from './parallel/index.ts';
import { applyBaseline, applyInlineSuppressions, filterToReportedFiles, type Baseline } from './suppress/index.ts';
import { buildResourceGraph, type Reference, type ResourceGraph, type WorkloadAdapter } from '../graph/index.ts';
import { unresolvedReferences } from './rules/cross-object/references.ts';

export interface ValidateInput {
  source: SourceSpec;
  /** loadSources(source) already under way (the CLI starts reading while this module loads); else it is called here. */
  loaded?: Promise<LoadResult>;
  /**
   * The Kubernetes version of the schemas and rules (default: the newest bundled). A promise when it is not known yet
   * (`kubeplan plan` asks the cluster while the files are read and parsed): awaited once the input is parsed.
   */
  kubernetesVersion?: string | Promise<string | undefined>;
  strict: boolean;
  ignoreMissingSchemas: boolean;
  /** Extra CRD manifests (already loaded), e.g. from --crd. */
  extraCrds: readonly Manifest[];
  defaultNamespace: string;
  rules: Readonly<Record<string, RuleConfig>>;
  /** Pod-bearing custom resources from configuration (e.g. Argo Rollouts). */
  workloads?: readonly WorkloadAdapter[];
  baseline?: Baseline;
  /**
   * Schemas served by the live cluster (`kubeplan plan` against a cluster): called once, after parsing, with the
   * apiVersions the checked manifests use (so only those group-versions need fetching). Kinds of the source it returns
   * are validated against it; the rest against CRDs in the input, then the committed schemas of `kubernetesVersion`.
   * Undefined: the committed schemas only. A rejection (an unreachable cluster) rejects validate().
   */
  servedSchemas?: (apiVersions: readonly string[]) => Promise<SchemaSource | undefined>;
  /**
   * Called once with every manifest of the input as soon as they are parsed (before schema checks and rules; with
   * several threads, when they are done): `kubeplan plan` starts reading the cluster's live state then, while the repo
   * is validated. The same array is the outcome's `manifests`.
   */
  onParsed?: (manifests: readonly Manifest[]) => void;
  /**
   * Let this thread's other work run between chunks of the checks (`kubeplan plan` reads the cluster meanwhile: its
   * responses are handled as they come, not after validation). Same findings, in the same order.
   */
  yieldToIo?: boolean;
  /** `ignorePaths` of .kubeplan.yaml: globs relative to `baseDir` (the config file's directory) of files that are skipped: read by the source, then neither parsed, checked nor used as context. */
  ignore?: { baseDir: string; patterns: readonly string[] };
}

export type ValidateOutcome =
  | {
      ok: true;
      report: ValidationReport;
      manifests: Manifest[];
      reportOn: Set<string> | null;
      /** The kind table of the run (built-in kinds of the chosen version and the CRDs in the input); the planner keys lists by it. */
      kindInfo: SchemaValidator['kindInfo'];
      /** The run's resource graph (the planner resolves the relations it could not settle against live state). */
      graph: ResourceGraph;
    }
  | { ok: false; error: string };

/** A Kubernetes version given as a promise turned out unsupported (validate returns it as its error). */
class LateVersionError extends Error {}

export async function validate(input: ValidateInput): Promise<ValidateOutcome> {
  const sourced = await (input.loaded ?? loadSources(input.source));
  if (!sourced.ok) return { ok: false, error: sourced.error };
  const loaded = input.ignore && input.ignore.patterns.length > 0 ? withoutIgnored(sourced, input.source, input.ignore) : sourced;
  const { reportOn } = loaded;

  const unsupported = (v: string | undefined): string | undefined =>
    v !== undefined && !supportedKubernetesVersions.includes(normalizeVersion(v) ?? '') ? `unsupported Kubernetes version "${v}": kubeplan has schemas for ${supportedKubernetesVersions.join(', ')}` : undefined;
  const later = typeof input.kubernetesVersion === 'object' ? input.kubernetesVersion : undefined;
  // Awaited where needed; its rejection (the same as the served schemas') must not also surface as unhandled.
  later?.catch(() => undefined);
  let version = typeof input.kubernetesVersion === 'string' ? input.kubernetesVersion : undefined;
  // Parsing, schema checks and object-scope rules, on several threads for large inputs (./parallel, KUBEPLAN_WORKERS).
  const plan = threadPlan(loaded.files, reportOn);
  // Threads are given their settings when they start: they wait for the version (large inputs only).
  if (later !== undefined && plan.threads > 1) version = await later;
  const problem = unsupported(version);
  if (problem !== undefined) return { ok: false, error: problem };
  const deferred = later !== undefined && version === undefined;
  const schemaOptions = {
    ...(version !== undefined ? { kubernetesVersion: version } : {}),
    strict: input.strict,
    ignoreMissingSchemas: input.ignoreMissingSchemas,
  };
  const schemaFor = (): SchemaValidator => createSchemaValidator(schemaOptions);
  const fresh = schemaFor();
  // Served schemas: asked for once (a run that falls back from threads to one thread asks again and gets the same).
  const { servedSchemas } = input;
  let served: Promise<SchemaSource | undefined> | undefined;
  let servedFailed = false;
  const servedSchema = async (apiVersions: readonly string[]): Promise<ServedSchema> => {
    if (served === undefined) {
      served = (servedSchemas?.(apiVersions) ?? Promise.resolve(undefined)).catch((err: unknown) => {
        servedFailed = true;
        throw err;
      });
      served.catch(() => undefined); // awaited below (and by a second call), never left unhandled
    }
    // A version decided late (the cluster's) makes its own bundled validator and rule settings.
    const lateVersion = deferred ? await later : undefined;
    const lateProblem = unsupported(lateVersion);
    if (lateProblem !== undefined) throw new LateVersionError(lateProblem);
    const base = lateVersion !== undefined ? { ...schemaOptions, kubernetesVersion: lateVersion } : schemaOptions;
    const bundled = lateVersion !== undefined ? createSchemaValidator(base) : fresh;
    const settings = lateVersion !== undefined ? { ...check.settings, kubernetesVersion: bundled.kubernetesVersion } : undefined;
    const source = await served;
    if (source === undefined) return { schema: lateVersion !== undefined ? bundled : schemaFor(), options: base, ...(settings ? { settings } : {}) };
    const options = { ...base, source, fallbackKubernetesVersion: bundled.kubernetesVersion };
    return { schema: createSchemaValidator(options), options, ...(settings ? { settings } : {}) };
  };
  let parsedCalled = false;
  const parsed = (manifests: readonly Manifest[]): void => {
    if (parsedCalled) return;
    parsedCalled = true;
    input.onParsed?.(manifests);
  };
  const pause = input.yieldToIo ? (): Promise<void> => new Promise((resolvePause) => setImmediate(resolvePause)) : undefined;
  const check: CheckInput = {
    ...(input.onParsed ? { parsed } : {}),
    ...(pause ? { pause } : {}),
    files: loaded.files,
    loadFindings: loaded.findings,
    reportOn,
    extraCrds: input.extraCrds,
    maxBytes: maxBytesOf({}),
    schema: fresh,
    schemaOptions,
    settings: { kubernetesVersion: fresh.kubernetesVersion, defaultNamespace: input.defaultNamespace },
    rules: input.rules,
    ...(servedSchemas || deferred ? { served: servedSchema } : {}),
  };
  let checked: Checked | undefined;
  if (plan.threads > 1) {
    try {
      checked = await checkInThreads(check, plan.threads, plan.steal);
    } catch (err) {
      if (servedFailed) throw err; // the cluster's schemas could not be read: not a worker's fault
      workerFailureNotice(err);
    }
  }
  if (checked === undefined) {
    const parseCache = plan.threads === 1 ? parseCacheFor(input.source) : undefined;
    try {
      checked = await checkInOneThread(plan.threads > 1 ? { ...check, schema: schemaFor() } : { ...check, ...(parseCache ? { parseCache } : {}) });
    } catch (err) {
      if (err instanceof LateVersionError) return { ok: false, error: err.message };
      throw err;
    }
    parseCache?.save();
  }
  const { manifests, schema } = checked;
  parsed(manifests); // threads: once they are done
  await pause?.();

  // One graph for the rules and the suppressions; the schema's kind table decides scopes it knows.
  const graph = buildResourceGraph(manifests, {
    defaultNamespace: input.defaultNamespace,
    isNamespaced: (apiVersion, kind) => schema.kindInfo(apiVersion, kind)?.namespaced,
    workloads: input.workloads ?? [],
    unparsedFiles: [...new Set(checked.sourceFindings.map((f) => f.file))],
  });
  // In the order of one pass: sources, CRDs and schemas, then the rules in allRules order (object rules come first).
  const findings: Finding[] = [...checked.sourceFindings, ...checked.checkFindings];
  for (const rule of objectRules) for (const f of checked.objectRuleFindings.get(rule.meta.id) ?? []) findings.push(f);
  await pause?.();
  findings.push(...runRules(graphRules, manifests, checked.settings, input.rules, { graph, reportOn }));
  await pause?.();

  let reported = redactSecretValues(filterToReportedFiles(withoutEnumDuplicates(findings), reportOn), manifests);
  reported = applyInlineSuppressions(reported, manifests, graph);
  if (input.baseline) reported = applyBaseline(reported, input.baseline);
  reported.sort(compareFindings);

  const active = reported.filter((f) => !f.suppressed);
  const rules: RuleMeta[] = [...inputRuleMetas, ...schema.rules, ...allRules.map((r) => r.meta)];
  const files = reportOn === null ? loaded.files.length : reportOn.size;
  const objects = reportOn === null ? manifests.length : manifests.filter((m) => reportOn.has(m.file)).length;
  return {
    ok: true,
    manifests,
    reportOn,
    kindInfo: (apiVersion, kind) => schema.kindInfo(apiVersion, kind),
    graph,
    report: {
      findings: reported,
      rules,
      summary: {
        files,
        objects,
        errors: active.filter((f) => f.severity === 'error').length,
        warnings: active.filter((f) => f.severity === 'warning').length,
        infos: active.filter((f) => f.severity === 'info').length,
        suppressed: reported.length - active.length,
        kubernetesVersion: schema.kubernetesVersion,
      },
    },
  };
}

/**
 * The parse cache for sources read from git blobs (the staged index, a revision): a pre-commit hook re-reads the
 * whole index as context on every commit. Off with KUBEPLAN_CACHE_DIR=off.
 */
function parseCacheFor(source: SourceSpec): ParseCache | undefined {
  if (source.kind !== 'git-staged' && source.kind !== 'git-ref') return undefined;
  const dir = defaultCacheDir();
  return dir === false ? undefined : openParseCache(dir, resolve(source.repo));
}

/**
 * The relations of the repo that validate could only report as unknown (or as missing), for the planner to resolve
 * against live state: those of rules the configuration leaves on, not suppressed on their object.
 */
export function referencesToResolve(graph: ResourceGraph, rules: Readonly<Record<string, RuleConfig>>): Reference[] {
  const on = new Set(allRules.filter((r) => severityOf(r, rules) !== undefined).map((r) => r.meta.id));
  return unresolvedReferences(graph, (id) => on.has(id));
}

/**
 * A cluster's /openapi/v3 carries enums for built-in fields (imagePullPolicy, Service type, …) that the bundled schemas
 * lack and the enum-value rule checks: one wrong value would be reported twice. The rule's finding (worded as the API
 * server words it) stays; the schema's at the same place goes.
 */
function withoutEnumDuplicates(findings: Finding[]): Finding[] {
  const at = (f: Finding): string => `${f.file}\u0000${f.line}\u0000${f.column}`;
  const enumValues = new Set(findings.filter((f) => f.rule === 'enum-value').map(at));
  if (enumValues.size === 0) return findings;
  return findings.filter((f) => !(f.rule === 'schema' && /(^|: )unsupported value /.test(f.message) && enumValues.has(at(f))));
}

/** Drop the files `ignorePaths` names, as if they were not there: no findings, no context, nothing reported. */
function withoutIgnored(loaded: Extract<LoadResult, { ok: true }>, source: SourceSpec, ignore: { baseDir: string; patterns: readonly string[] }): Extract<LoadResult, { ok: true }> {
  const base = source.kind === 'paths' ? source.cwd : source.repo;
  const patterns = ignore.patterns.map((p) => globToRegExp(p.replace(/^\.\//, '')));
  const ignored = (file: string): boolean => {
    if (file === '-') return false;
    const rel = relative(ignore.baseDir, resolve(base, file)).split(sep).join('/');
    return !rel.startsWith('../') && patterns.some((re) => re.test(rel));
  };
  const reportOn = loaded.reportOn === null ? null : new Set([...loaded.reportOn].filter((f) => !ignored(f)));
  return { ...loaded, files: loaded.files.filter((f) => !ignored(f.path)), findings: loaded.findings.filter((f) => !ignored(f.file)), reportOn };
}
