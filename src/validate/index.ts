// `kubeplan validate` as a function: sources → manifests → schema + rules → suppressions → report.
// No printing and no exit codes here; the CLI and the plan command both call it.
import { relative, resolve, sep } from 'node:path';
import { compareFindings } from '../core/findings.ts';
import type { Finding, Manifest, RuleMeta, ValidationReport } from '../core/types.ts';
import { loadSources, type SourceSpec } from '../sources/index.ts';
import { maxBytesOf } from '../sources/common.ts';
import { createSchemaValidator, type SchemaSource, supportedKubernetesVersions, type SchemaValidator } from './schema/index.ts';
import { normalizeVersion } from './schema/source.ts';
import { redactSecretValues } from './redact.ts';
import { inputRuleMetas } from './input-rules.ts';
import { globToRegExp } from '../sources/glob.ts';
import type { LoadResult } from '../sources/types.ts';
import { allRules, graphRules, objectRules } from './rules/index.ts';
import { runRules, type RuleConfig } from './rules/run.ts';
import { type CheckInput, type Checked, checkInOneThread, checkInThreads, type ServedSchema, threadPlan, workerFailureNotice } from './parallel/index.ts';
import { applyBaseline, applyInlineSuppressions, filterToReportedFiles, type Baseline } from './suppress/index.ts';
import { buildResourceGraph, type WorkloadAdapter } from '../graph/index.ts';

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
  /**
   * Schemas served by the live cluster (`kubeplan plan` against a cluster): called once, after parsing, with the
   * apiVersions the checked manifests use (so only those group-versions need fetching). Kinds of the source it returns
   * are validated against it; the rest against CRDs in the input, then the committed schemas of `kubernetesVersion`.
   * Undefined: the committed schemas only. A rejection (an unreachable cluster) rejects validate().
   */
  servedSchemas?: (apiVersions: readonly string[]) => Promise<SchemaSource | undefined>;
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
  // Served schemas: asked for once (a run that falls back from threads to one thread asks again and gets the same).
  const { servedSchemas } = input;
  let served: Promise<SchemaSource | undefined> | undefined;
  let servedFailed = false;
  const servedSchema = async (apiVersions: readonly string[]): Promise<ServedSchema> => {
    served ??= servedSchemas?.(apiVersions).catch((err: unknown) => {
      servedFailed = true;
      throw err;
    });
    const source = await served;
    if (source === undefined) return { schema: schemaFor(), options: schemaOptions };
    const options = { ...schemaOptions, source, fallbackKubernetesVersion: fresh.kubernetesVersion };
    return { schema: createSchemaValidator(options), options };
  };
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
    ...(servedSchemas ? { served: servedSchema } : {}),
  };
  // Parsing, schema checks and object-scope rules, on several threads for large inputs (./parallel, KUBEPLAN_WORKERS).
  let checked: Checked | undefined;
  const plan = threadPlan(loaded.files, reportOn);
  if (plan.threads > 1) {
    try {
      checked = await checkInThreads(check, plan.threads, plan.steal);
    } catch (err) {
      if (servedFailed) throw err; // the cluster's schemas could not be read: not a worker's fault
      workerFailureNotice(err);
    }
  }
  checked ??= await checkInOneThread(plan.threads > 1 ? { ...check, schema: schemaFor() } : check);
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
