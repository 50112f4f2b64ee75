import type { Finding, JsonObject, JsonPath, Manifest, RuleMeta, Severity } from '../../core/types.ts';
import type { ResourceGraph } from '../../graph/graph.ts';

/** Settings every rule may read; filled from flags and `.kubeplan.yaml`. */
export interface RunSettings {
  /** "1.36": the Kubernetes minor whose API rules apply. */
  kubernetesVersion: string;
  /** Namespace assumed for namespaced objects without metadata.namespace. */
  defaultNamespace: string;
}

export interface Report {
  manifest: Manifest;
  path: JsonPath;
  message: string;
  /** Point at the mapping key instead of its value (unknown or misspelt fields). */
  target?: 'key' | 'value';
  /** Overrides the rule's configured severity for this one finding (e.g. a deprecation is a warning). */
  severity?: Severity;
}

export interface RuleContext {
  /** Every loaded object of the run, including files that are loaded only for context in changed-only modes. */
  readonly manifests: readonly Manifest[];
  /**
   * The manifests whose findings are reported: all of `manifests`, or in changed-only modes (pre-commit,
   * --changed-since) only those of the changed files. Single-object checks need look at nothing else.
   */
  readonly reportedManifests: readonly Manifest[];
  readonly settings: RunSettings;
  /** This rule's options from configuration (empty when none). */
  readonly options: Readonly<JsonObject>;
  /**
   * The resource graph over `manifests` (effective namespaces, indexes, pod templates), built once per run on first
   * use. Optional so hand-made contexts stay valid; cross-object rules fall back to building it themselves.
   */
  readonly graph?: ResourceGraph;
  report(report: Report): void;
}

/** One rule = one source file (this shape) + one test table + one doc in docs/rules/<id>.md. */
export interface Rule {
  readonly meta: RuleMeta;
  check(ctx: RuleContext): void;
  /**
   * Rules made by perObject: `check` on one object. check(ctx) is this over ctx.reportedManifests in order, so a runner
   * may also take the objects one by one and run every such rule on each (the object's data stays in the CPU cache).
   */
  readonly checkObject?: (manifest: Manifest, ctx: RuleContext) => void;
}

/** Most rules look at one object at a time; this adapts such a check to the whole-run shape. */
export function perObject(meta: RuleMeta, checkOne: (manifest: Manifest, ctx: RuleContext) => void): Rule {
  return {
    meta,
    check(ctx) {
      for (const m of ctx.reportedManifests) checkOne(m, ctx);
    },
    checkObject: checkOne,
  };
}

export type { Finding };
