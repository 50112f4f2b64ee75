import { existsSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { resolveConfig } from '../../config/config.ts';
import type { JsonObject, Manifest } from '../../core/types.ts';
import type { ClusterLive } from '../../cluster/index.ts';
import { computePlan, loadLiveFromGitRef, loadLiveSnapshot, planToJson, renderPlan, savePlan, type KindInfoFn, type LiveSource, type Plan, type PlanFormat } from '../../plan/index.ts';
import { colorEnabled, reporters } from '../../report/index.ts';
import { referencesToResolve, validate } from '../../validate/index.ts';
import { ExitCode, UsageError } from '../exit-codes.ts';
import { packageVersion } from '../version.ts';
import { cannotRead, openPlanCluster, type PlanCluster } from './plan-cluster.ts';

interface PlanOptions {
  live?: string;
  liveRef?: string;
  kubeconfig?: string;
  context?: string;
  pruneSelector?: string;
  serverDryRun?: 'changed' | 'all' | 'none';
  includeWebhookMutations?: boolean;
  output: PlanFormat;
  out?: string;
  detailedExitcode?: boolean;
  defaultNamespace?: string;
  kubernetesVersion?: string;
  config?: string;
  repo: string;
  color?: boolean;
}

export async function planCommand(paths: string[], raw: Record<string, unknown>): Promise<number> {
  const opts = raw as unknown as PlanOptions;
  const cwd = process.cwd();
  if (paths.length === 0) throw new UsageError('no desired state: give the manifests to plan (files, directories or globs)');
  const configResult = resolveConfig(opts.config, cwd);
  if (!configResult.ok) throw new UsageError(configResult.error);
  const config = configResult.config;
  const defaultNamespace = opts.defaultNamespace ?? config.defaultNamespace;
  const kubernetesVersion = opts.kubernetesVersion ?? config.kubernetesVersion;
  const sources = [opts.live !== undefined, opts.liveRef !== undefined, opts.kubeconfig !== undefined || opts.context !== undefined].filter(Boolean).length;
  if (sources > 1) throw new UsageError('choose one live source: --live, --live-ref or --kubeconfig/--context');
  if ((opts.live !== undefined || opts.liveRef !== undefined) && opts.serverDryRun !== undefined) {
    throw new UsageError('--server-dry-run needs a cluster as the live state (--kubeconfig/--context), not --live or --live-ref');
  }
  if ((opts.live !== undefined || opts.liveRef !== undefined) && opts.includeWebhookMutations !== undefined) {
    throw new UsageError('--[no-]include-webhook-mutations needs a cluster as the live state (webhook mutations come from its dry-run), not --live or --live-ref');
  }
  // A cluster as the live state is opened while the repo is read and parsed (client-node loads in a worker), and
  // validation then uses the cluster's own schemas and version (an explicit --kubernetes-version keeps the bundled
  // ones): see plan-cluster.ts.
  let opening: Promise<PlanCluster | number> | undefined;
  if (opts.live === undefined && opts.liveRef === undefined) {
    const kubeconfig = opts.kubeconfig ?? defaultKubeconfig();
    if (kubeconfig === undefined && process.env.KUBERNETES_SERVICE_HOST === undefined) {
      throw new UsageError('no live state: give --live <snapshot>, --live-ref <rev>, or a cluster with --kubeconfig (no $KUBECONFIG or ~/.kube/config found)');
    }
    opening = openPlanCluster({ ...(kubeconfig !== undefined ? { kubeconfig } : {}), ...(opts.context !== undefined ? { context: opts.context } : {}), ...(opts.kubernetesVersion !== undefined ? { kubernetesVersion: opts.kubernetesVersion } : {}) });
    opening.catch(() => undefined); // awaited below; a kubeconfig problem is a usage error there
  }
  const opened = (): Promise<PlanCluster | undefined> => (opening ?? Promise.resolve(undefined)).then((o) => (typeof o === 'number' ? undefined : o));
  const pruneSelector = opts.pruneSelector ?? config.plan.pruneSelector;
  const includeWebhookMutations = opts.includeWebhookMutations ?? config.plan.includeWebhookMutations;
  const settings = {
    defaultNamespace,
    ignore: config.plan.ignore,
    ignoreOtherManagers: config.plan.ignoreOtherFieldManagers,
    ...(pruneSelector !== undefined ? { pruneSelector } : {}),
    ...(includeWebhookMutations !== undefined ? { includeWebhookMutations } : {}),
  };
  const serverDryRun = opts.serverDryRun ?? config.plan.serverDryRun ?? 'changed';
  // The cluster's live state (discovery, LISTs) is read as soon as the repo is parsed, while it is validated.
  let live: Promise<ClusterLive> | undefined;
  const startLive = (manifests: readonly Manifest[]): void => {
    live = opened().then((c) => {
      if (c === undefined || c.failure() !== undefined) throw new Error('no cluster to read'); // reported where awaited
      return c.module.startClusterLive({ client: c.client, desired: [...manifests], settings, openapi: c.openapi, serverDryRun });
    });
    live.catch(() => undefined); // awaited only by a plan that goes on; closing the client ends what is in flight
  };

  // Validation runs first: an invalid repo still gets a plan, but one that says it is incomplete and cannot be saved.
  const validation = await validate({
    source: { kind: 'paths', paths, cwd },
    ...(opening !== undefined ? { kubernetesVersion: opts.kubernetesVersion ?? opened().then((c) => c?.kubernetesVersion) } : kubernetesVersion !== undefined ? { kubernetesVersion } : {}),
    ...(opening !== undefined ? { servedSchemas: async (apiVersions: readonly string[]) => (await opened())?.servedSchemas?.(apiVersions) } : {}),
    strict: config.strict,
    ignoreMissingSchemas: config.ignoreMissingSchemas,
    extraCrds: [],
    defaultNamespace,
    rules: config.rules,
    workloads: config.workloads,
    ...(opening !== undefined ? { onParsed: startLive, yieldToIo: true } : {}),
    ...(config.file !== undefined ? { ignore: { baseDir: dirname(config.file), patterns: config.ignorePaths } } : {}),
  });
  const cluster = opening !== undefined ? await opening : undefined;
  if (typeof cluster === 'number') return cluster; // unreachable: cannotRead() said so
  if (!validation.ok) {
    cluster?.client.close();
    throw new UsageError(validation.error);
  }
  if (cluster?.failure() !== undefined) {
    cluster.client.close();
    return cannotRead(cluster.client, cluster.failure());
  }
  const { report, manifests } = validation;
  const incomplete = report.summary.errors > 0;
  if (report.findings.some((f) => !f.suppressed && f.severity !== 'info')) {
    const color = colorEnabled(process.stderr, process.env, opts.color);
    process.stderr.write(reporters.stylish({ ...report, findings: report.findings.filter((f) => f.severity !== 'info') }, { color, cwd, toolVersion: packageVersion() }));
  }

  const kindInfo: KindInfoFn = validation.kindInfo;
  // What validate could not settle from the repo alone (a ConfigMap it does not define, a selector matching none of
  // its pod templates): the plan resolves these against the live state.
  const references = referencesToResolve(validation.graph, config.rules);

  let plan: Plan;
  if (cluster === undefined) {
    const live: LiveSource = opts.live !== undefined ? await loadLiveSnapshot([resolve(cwd, opts.live)]) : await loadLiveFromGitRef(opts.liveRef as string, { repoDir: resolve(cwd, opts.repo), paths });
    plan = computePlan({ desired: manifests, live, settings, kindInfo, references });
  } else {
    const { client, openapi } = cluster;
    const { ClusterError, planFromCluster, schemasNote } = cluster.module;
    try {
      // LISTs, then (--server-dry-run changed, the default) an offline plan, a server-side dry-run of the objects it
      // changes, and the plan again on those results. The cluster's own OpenAPI is the truth for list keys and
      // scopes; the bundled table fills gaps.
      ({ plan } = await planFromCluster({ client, desired: manifests, settings, kindInfo, openapi, references, serverDryRun, ...(live !== undefined ? { live } : {}) }));
    } catch (e) {
      if (!(e instanceof ClusterError)) throw e;
      return cannotRead(client, e);
    } finally {
      client.close();
    }
    plan.live.notes.unshift(schemasNote(cluster.usage()));
  }

  if (opts.out !== undefined) {
    if (incomplete) throw new UsageError(`not saving the plan to ${opts.out}: the repo has ${report.summary.errors} validation error(s); fix them first`);
    writeFileSync(resolve(cwd, opts.out), savePlan(plan));
  }

  if (opts.output === 'json') {
    const doc = planToJson(plan) as JsonObject;
    process.stdout.write(`${JSON.stringify({ ...doc, incomplete, validation: { errors: report.summary.errors, warnings: report.summary.warnings } }, null, 2)}\n`);
  } else {
    const color = opts.output === 'text' && colorEnabled(process.stdout, process.env, opts.color);
    if (incomplete) {
      const note = `This plan is incomplete: the repo has ${report.summary.errors} validation error(s) (listed above). Fix them before applying.`;
      process.stdout.write(opts.output === 'markdown' ? `> **Warning**\n> ${note}\n\n` : `${note}\n\n`);
    }
    process.stdout.write(renderPlan(plan, opts.output, { color }));
  }
  if (opts.out !== undefined) process.stderr.write(`kubeplan: plan saved to ${opts.out}\n`);

  if (incomplete) return ExitCode.findings;
  if (opts.detailedExitcode) {
    const { create, update, replace } = plan.summary;
    return create + update + replace + plan.summary.delete > 0 ? 2 : ExitCode.ok;
  }
  return ExitCode.ok;
}

function defaultKubeconfig(): string | undefined {
  const env = process.env.KUBECONFIG;
  if (env) return env.split(':').find((p) => p !== '' && existsSync(p));
  const home = join(homedir(), '.kube', 'config');
  return existsSync(home) ? home : undefined;
}
