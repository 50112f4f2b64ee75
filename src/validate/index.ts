// `kubeplan validate` as a function: sources → manifests → schema + rules → suppressions → report.
// No printing and no exit codes here; the CLI and the plan command both call it.
import { relative, resolve, sep } from 'node:path';
import { compareFindings } from '../core/findings.ts';
import type { Finding, Manifest, RuleMeta, ValidationReport } from '../core/types.ts';
import { loadSources, type SourceSpec } from '../sources/index.ts';
import { maxBytesOf } from '../sources/common.ts';
import { createSchemaValidator, supportedKubernetesVersions, type SchemaValidator } from './schema/index.ts';
import { defaultCacheDir } from './schema/compiler.ts';
import { openParseCache, type ParseCache } from '../manifests/parse-cache.ts';
import { normalizeVersion } from './schema/source.ts';
import { redactSecretValues } from './redact.ts';
import { inputRuleMetas } from './input-rules.ts';
import { globToRegExp } from '../sources/glob.ts';
import type { LoadResult } from '../sources/types.ts';
import { allRules, graphRules, objectRules } from './rules/index.ts';
import { runRules, severityOf, type RuleConfig } from './rules/run.ts';
import { type CheckInput, type Checked, checkInOneThread, checkInThreads, threadPlan, workerFailureNotice } from './parallel/index.ts';
import { applyBaseline, applyInlineSuppressions, filterToReportedFiles, type Baseline } from './suppress/index.ts';
import { buildResourceGraph, type Reference, type ResourceGraph, type WorkloadAdapter } from '../graph/index.ts';
import { unresolvedReferences } from './rules/cross-object/references.ts';

export interface ValidateInput {
  source: SourceSpec;
  kubernetesVersion?: string;
  strict: boolean;
  ignoreMissingSchemas: boolean;
  /** Extra CRD manifests (already loaded), e.g. from --crd. */
  extraCrds: readonly Manifest[];
  defaultNamespace: string;
  rules: Readonly<Record<string, RuleConfig>>;
  /** Pod-bearing custom resources from configuration (e.g. Argo Rollouts). */
  workloads?: readonly WorkloadAdapter[];
  baseline?: Baseline;
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

export async function validate(input: ValidateInput): Promise<ValidateOutcome> {
  const sourced = await loadSources(input.source);
  if (!sourced.ok) return { ok: false, error: sourced.error };
  const loaded = input.ignore && input.ignore.patterns.length > 0 ? withoutIgnored(sourced, input.source, input.ignore) : sourced;
  const { reportOn } = loaded;

  const version = input.kubernetesVersion;
  if (version !== undefined && !supportedKubernetesVersions.includes(normalizeVersion(version) ?? '')) {
    return { ok: false, error: `unsupported Kubernetes version "${version}": kubeplan has schemas for ${supportedKubernetesVersions.join(', ')}` };
  }
  const schemaOptions = {
    ...(version !== undefined ? { kubernetesVersion: version } : {}),
    strict: input.strict,
    ignoreMissingSchemas: input.ignoreMissingSchemas,
  };
  const schemaFor = (): SchemaValidator => createSchemaValidator(schemaOptions);
  const fresh = schemaFor();
  const check: CheckInput = {
    files: loaded.files,
    loadFindings: loaded.findings,
    reportOn,
    extraCrds: input.extraCrds,
    maxBytes: maxBytesOf({}),
    schema: fresh,
    schemaOptions,
    settings: { kubernetesVersion: fresh.kubernetesVersion, defaultNamespace: input.defaultNamespace },
    rules: input.rules,
  };
  // Parsing, schema checks and object-scope rules, on several threads for large inputs (./parallel, KUBEPLAN_WORKERS).
  let checked: Checked | undefined;
  const plan = threadPlan(loaded.files, reportOn);
  if (plan.threads > 1) {
    try {
      checked = await checkInThreads(check, plan.threads, plan.steal);
    } catch (err) {
      workerFailureNotice(err);
    }
  }
  if (checked === undefined) {
    const parseCache = plan.threads === 1 ? parseCacheFor(input.source) : undefined;
    checked = checkInOneThread(plan.threads > 1 ? { ...check, schema: schemaFor() } : { ...check, ...(parseCache ? { parseCache } : {}) });
    parseCache?.save();
  }
  const { manifests, schema } = checked;

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
  findings.push(...runRules(graphRules, manifests, check.settings, input.rules, { graph, reportOn }));

  let reported = redactSecretValues(filterToReportedFiles(findings, reportOn), manifests);
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
