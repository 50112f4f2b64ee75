// `kubeplan validate` as a function: sources → manifests → schema + rules → suppressions → report.
// No printing and no exit codes here; the CLI and the plan command both call it.
import { compareFindings } from '../core/findings.ts';
import type { Finding, Manifest, RuleMeta, ValidationReport } from '../core/types.ts';
import { loadManifests, type SourceSpec } from '../sources/index.ts';
import { createSchemaValidator, supportedKubernetesVersions, type SchemaValidator } from './schema/index.ts';
import { normalizeVersion } from './schema/source.ts';
import { redactSecretValues } from './redact.ts';
import { allRules } from './rules/index.ts';
import { runRules, type RuleConfig } from './rules/run.ts';
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
  const loaded = await loadManifests(input.source);
  if (!loaded.ok) return { ok: false, error: loaded.error };
  const { manifests, reportOn } = loaded;

  const version = input.kubernetesVersion;
  if (version !== undefined && !supportedKubernetesVersions.includes(normalizeVersion(version) ?? '')) {
    return { ok: false, error: `unsupported Kubernetes version "${version}": kubeplan has schemas for ${supportedKubernetesVersions.join(', ')}` };
  }
  const schema = createSchemaValidator({
    ...(version !== undefined ? { kubernetesVersion: version } : {}),
    strict: input.strict,
    ignoreMissingSchemas: input.ignoreMissingSchemas,
  });
  const findings: Finding[] = [...loaded.findings];
  findings.push(...schema.registerCrds([...input.extraCrds, ...manifests]));
  // In changed-only modes the whole repo is loaded as context for cross-object rules,
  // but only the reported files need their own schema checks.
  for (const m of manifests) {
    if (reportOn === null || reportOn.has(m.file)) findings.push(...schema.validate(m));
  }
  const settings = { kubernetesVersion: schema.kubernetesVersion, defaultNamespace: input.defaultNamespace };
  // One graph for the rules and the suppressions; the schema's kind table decides scopes it knows.
  const graph = buildResourceGraph(manifests, {
    defaultNamespace: input.defaultNamespace,
    isNamespaced: (apiVersion, kind) => schema.kindInfo(apiVersion, kind)?.namespaced,
    workloads: input.workloads ?? [],
    unparsedFiles: [...new Set(loaded.findings.map((f) => f.file))],
  });
  findings.push(...runRules(allRules, manifests, settings, input.rules, { graph, reportOn }));

  let reported = redactSecretValues(filterToReportedFiles(findings, reportOn), manifests);
  reported = applyInlineSuppressions(reported, manifests, graph);
  if (input.baseline) reported = applyBaseline(reported, input.baseline);
  reported.sort(compareFindings);

  const active = reported.filter((f) => !f.suppressed);
  const rules: RuleMeta[] = [...schema.rules, ...allRules.map((r) => r.meta)];
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
