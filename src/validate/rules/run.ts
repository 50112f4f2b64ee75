import { findingAt } from '../../core/findings.ts';
import type { Finding, JsonObject, Severity } from '../../core/types.ts';
import type { Manifest } from '../../core/types.ts';
import { buildResourceGraph, type GraphOptions, type ResourceGraph } from '../../graph/graph.ts';
import type { Rule, RunSettings } from './rule.ts';

export interface RuleConfig {
  /** "off" disables the rule; a severity enables it at that level. */
  severity?: Severity | 'off';
  options?: JsonObject;
}

/** What cross-object rules need beyond the manifests: a prebuilt graph (the planner shares one), or how to build it. */
export interface RunContext {
  graph?: ResourceGraph;
  /** Used when `graph` is absent; defaultNamespace defaults to settings.defaultNamespace. */
  graphOptions?: GraphOptions;
  /**
   * Changed-only modes: the files whose findings are reported (null = all). The rest of the input is context;
   * findings about it are dropped here, before positioning them (which can mean parsing text for positions).
   */
  reportOn?: ReadonlySet<string> | null;
}

/** Run the enabled rules over all manifests; a rule that throws becomes a finding, never a crash. */
export function runRules(
  rules: readonly Rule[],
  manifests: readonly Manifest[],
  settings: RunSettings,
  config: Readonly<Record<string, RuleConfig>> = {},
  context: RunContext = {},
): Finding[] {
  const findings: Finding[] = [];
  const reportOn = context.reportOn ?? null;
  const reportedManifests = reportOn === null ? manifests : manifests.filter((m) => reportOn.has(m.file));
  // Built on first use, once per run: only cross-object rules pay for it.
  let graph = context.graph;
  const getGraph = (): ResourceGraph => (graph ??= buildResourceGraph(manifests, { defaultNamespace: settings.defaultNamespace, ...context.graphOptions }));
  for (const rule of rules) {
    const cfg = config[rule.meta.id];
    const configured = cfg?.severity;
    // Any entry for an opt-in rule (`on`, a severity, or options) turns it on; `off` turns any rule off.
    if (configured === 'off' || (cfg === undefined && !rule.meta.enabledByDefault)) continue;
    const severity: Severity = configured ?? rule.meta.defaultSeverity;
    try {
      rule.check({
        manifests,
        reportedManifests,
        settings,
        options: cfg?.options ?? {},
        get graph() {
          return getGraph();
        },
        report: (r) => {
          if (reportOn && !reportOn.has(r.manifest.file)) return;
          findings.push(findingAt({ ...r, rule: rule.meta.id, severity: r.severity ?? severity }));
        },
      });
    } catch (err) {
      findings.push({
        file: '',
        line: 1,
        column: 1,
        severity: 'error',
        rule: rule.meta.id,
        message: `internal error in rule ${rule.meta.id}: ${err instanceof Error ? err.message : String(err)}`,
        object: null,
      });
    }
  }
  return findings;
}
