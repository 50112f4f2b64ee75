import { findingAt } from '../../core/findings.ts';
import type { Finding, JsonObject, Severity } from '../../core/types.ts';
import type { Manifest } from '../../core/types.ts';
import { buildResourceGraph, type GraphOptions, type ResourceGraph } from '../../graph/graph.ts';
import type { Rule, RuleContext, RunSettings } from './rule.ts';

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
  const reportOn = context.reportOn ?? null;
  const input: RuleInput = { manifests, reportedManifests: reportOn === null ? manifests : manifests.filter((m) => reportOn.has(m.file)), reportOn };
  // Built on first use, once per run: only cross-object rules pay for it.
  let graph = context.graph;
  const getGraph = (): ResourceGraph => (graph ??= buildResourceGraph(manifests, { defaultNamespace: settings.defaultNamespace, ...context.graphOptions }));
  const findings: Finding[] = [];
  for (const run of runObjectRules(rules, input, settings, config, getGraph)) for (const f of run.findings) findings.push(f);
  return findings;
}

export interface RuleRun {
  findings: Finding[];
  /** The rule threw: its last finding is the internal error, and it saw no object after the one it failed on. */
  failed: boolean;
}

/** Whether configuration enables a rule, and at which severity; undefined when it is off. */
export function severityOf(rule: Rule, config: Readonly<Record<string, RuleConfig>>): Severity | undefined {
  const cfg = config[rule.meta.id];
  const configured = cfg?.severity;
  // Any entry for an opt-in rule (`on`, a severity, or options) turns it on; `off` turns any rule off.
  if (configured === 'off' || (cfg === undefined && !rule.meta.enabledByDefault)) return undefined;
  return configured ?? rule.meta.defaultSeverity;
}

/** The objects a rule runs over: all of them, those it reports on, and the reported files (null = all). */
export interface RuleInput {
  manifests: readonly Manifest[];
  reportedManifests: readonly Manifest[];
  reportOn: ReadonlySet<string> | null;
}

/**
 * One rule over the manifests, undefined when configuration turns it off. `graph` is called on the rule's first use
 * of ctx.graph; object-scope rules (rules/index.ts) never use it.
 */
export function runRule(rule: Rule, input: RuleInput, settings: RunSettings, config: Readonly<Record<string, RuleConfig>>, graph: () => ResourceGraph): RuleRun | undefined {
  const findings: Finding[] = [];
  const ctx = ruleContext(rule, input, settings, config, graph, findings);
  if (ctx === undefined) return undefined;
  try {
    rule.check(ctx);
  } catch (err) {
    findings.push(internalError(rule, err));
    return { findings, failed: true };
  }
  return { findings, failed: false };
}

/** A rule's context, its reports positioned into `findings`; undefined when configuration turns the rule off. */
export function ruleContext(
  rule: Rule,
  { manifests, reportedManifests, reportOn }: RuleInput,
  settings: RunSettings,
  config: Readonly<Record<string, RuleConfig>>,
  graph: () => ResourceGraph,
  findings: Finding[],
): RuleContext | undefined {
  const severity = severityOf(rule, config);
  if (severity === undefined) return undefined;
  return {
    manifests,
    reportedManifests,
    settings,
    options: config[rule.meta.id]?.options ?? {},
    get graph() {
      return graph();
    },
    report: (r) => {
      if (reportOn && !reportOn.has(r.manifest.file)) return;
      findings.push(findingAt({ ...r, rule: rule.meta.id, severity: r.severity ?? severity }));
    },
  };
}

/** The finding of a rule that threw: the run goes on without it. */
export function internalError(rule: Rule, err: unknown): Finding {
  return {
    file: '',
    line: 1,
    column: 1,
    severity: 'error',
    rule: rule.meta.id,
    message: `internal error in rule ${rule.meta.id}: ${err instanceof Error ? err.message : String(err)}`,
    object: null,
  };
}

/** One object-scope rule's findings over a run of manifests. */
export interface ObjectRuleRun {
  id: string;
  findings: Finding[];
  /** It threw (its last finding says so): it saw no object after the one it failed on. */
  failed: boolean;
}

const noGraph = (): ResourceGraph => {
  throw new Error('an object-scope rule asked for the resource graph; it belongs in graphRules (src/validate/rules/index.ts)');
};

/**
 * Rules over the manifests, the perObject ones object by object, every rule on each, which keeps an object's data in
 * the CPU cache and lets rules share per-object work (api-server/util.ts). Findings stay per rule, in object order,
 * exactly as runRule gives them; a rule that throws sees no further object. Rules without checkObject run whole,
 * after. The enabled rules' runs come back in `rules` order. Object-scope rules (rules/index.ts) get no graph.
 */
export function runObjectRules(
  rules: readonly Rule[],
  input: RuleInput,
  settings: RunSettings,
  config: Readonly<Record<string, RuleConfig>>,
  graph: () => ResourceGraph = noGraph,
): ObjectRuleRun[] {
  interface Live {
    run: ObjectRuleRun;
    rule: Rule;
    check: NonNullable<Rule['checkObject']>;
    ctx: RuleContext;
  }
  const live: Live[] = [];
  const runs = new Map<Rule, ObjectRuleRun>();
  for (const rule of rules) {
    if (rule.checkObject === undefined) continue;
    const run: ObjectRuleRun = { id: rule.meta.id, findings: [], failed: false };
    const ctx = ruleContext(rule, input, settings, config, graph, run.findings);
    if (ctx === undefined) continue;
    live.push({ run, rule, check: rule.checkObject, ctx });
    runs.set(rule, run);
  }
  for (const m of input.reportedManifests) {
    for (const l of live) {
      if (l.run.failed) continue;
      try {
        l.check(m, l.ctx);
      } catch (err) {
        l.run.findings.push(internalError(l.rule, err));
        l.run.failed = true;
      }
    }
  }
  for (const rule of rules) {
    if (rule.checkObject !== undefined) continue;
    const whole = runRule(rule, input, settings, config, graph);
    if (whole !== undefined) runs.set(rule, { id: rule.meta.id, ...whole });
  }
  return rules.flatMap((rule) => runs.get(rule) ?? []);
}

/** Runs of the same rules over consecutive runs of manifests → one run over all of them (a failure ends a rule's run). */
export function mergeObjectRuleRuns(parts: readonly (readonly ObjectRuleRun[])[]): Map<string, Finding[]> {
  const merged = new Map<string, Finding[]>();
  const failed = new Set<string>();
  for (const runs of parts) {
    for (const run of runs) {
      if (failed.has(run.id)) continue;
      const into = merged.get(run.id);
      if (into === undefined) merged.set(run.id, [...run.findings]);
      else for (const f of run.findings) into.push(f);
      if (run.failed) failed.add(run.id);
    }
  }
  return merged;
}
