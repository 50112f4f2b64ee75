// `kubeplan plan` with a cluster as the live state: opened while the repo is read and parsed, because validation then
// checks the repo against the cluster's own schemas (its /openapi/v3 documents, cached on disk by their hashed URLs)
// and version. The cluster module is imported only on this path, and @kubernetes/client-node loads in a worker
// (src/cluster/connection.ts).
import type { ClusterClient, ClusterSchemas, ClusterSchemaUsage, OpenApiCache } from '../../cluster/index.ts';
import { bundledVersionFor, type SchemaSource } from '../../validate/schema/index.ts';
import { connectInBackground } from '../../cluster/connection.ts';
import { ExitCode, UsageError } from '../exit-codes.ts';

export type ClusterModule = typeof import('../../cluster/index.ts');

export interface PlanCluster {
  module: ClusterModule;
  client: ClusterClient;
  /** One OpenAPI cache for validation and the plan's list keys: each document is read once per run. */
  openapi: OpenApiCache;
  /** The committed version validation falls back to (or uses, without the cluster's schemas), and the rules' version. */
  kubernetesVersion: string;
  /** For validate(): the cluster's schemas of the group-versions the repo uses; absent with an explicit --kubernetes-version. */
  servedSchemas?: (apiVersions: readonly string[]) => Promise<SchemaSource | undefined>;
  /** What validation used, once it ran (the plan's notes say it). */
  usage(): ClusterSchemaUsage;
  /** A ClusterError met while reading the schemas: the plan stops on it (cannotRead). */
  failure(): unknown;
}

/**
 * The client (kubeconfig problems are usage errors) and, unless --kubernetes-version was given, the cluster's version
 * and /openapi/v3 index. A cluster that cannot be reached prints the one line cannotRead() prints and gives its exit code.
 */
export async function openPlanCluster(options: { kubeconfig?: string; context?: string; kubernetesVersion?: string }): Promise<PlanCluster | number> {
  // client-node (~300 ms of CPU) and the kubeconfig (an exec plugin, once) load in a worker (connection.ts).
  const connecting = connectInBackground({ ...(options.kubeconfig !== undefined ? { kubeconfig: options.kubeconfig } : {}), ...(options.context !== undefined ? { context: options.context } : {}) });
  connecting.catch(() => undefined);
  const module = await import('../../cluster/index.ts');
  const { ClusterError, ClusterSchemas, OpenApiCache } = module;
  let client: ClusterClient;
  try {
    client = await connecting;
  } catch (e) {
    // Only kubeconfig loading happens here (unknown --context, unreadable or malformed file): a configuration error.
    throw new UsageError(`kubeconfig${options.kubeconfig !== undefined ? ` ${options.kubeconfig}` : ''}: ${oneLine(e)}`);
  }
  const openapi = new OpenApiCache(client);
  const base = { module, client, openapi, failure: () => undefined };
  // An explicit --kubernetes-version wins: the bundled schemas of that version, as `kubeplan validate -k` would use.
  if (options.kubernetesVersion !== undefined) {
    const usage: ClusterSchemaUsage = { basis: 'flag', bundledVersion: bundledVersionFor(options.kubernetesVersion) };
    return { ...base, kubernetesVersion: options.kubernetesVersion, usage: () => usage };
  }
  let schemas: ClusterSchemas;
  try {
    schemas = await ClusterSchemas.open(client, openapi);
  } catch (e) {
    if (!(e instanceof ClusterError)) throw e;
    client.close();
    return cannotRead(client, e);
  }
  let usage: ClusterSchemaUsage = { basis: 'cluster', bundledVersion: schemas.bundledVersion, groupVersions: [], notServed: [], fetched: 0, fromCache: 0 };
  let failure: unknown;
  return {
    ...base,
    kubernetesVersion: schemas.bundledVersion,
    servedSchemas: async (apiVersions) => {
      try {
        const r = await schemas.source(apiVersions);
        usage = r.usage;
        return r.source;
      } catch (e) {
        if (!(e instanceof ClusterError)) throw e;
        failure = e; // validation goes on with the bundled schemas; the plan then stops with this error
        return undefined;
      }
    },
    usage: () => usage,
    failure: () => failure,
  };
}

/** An unreachable or refusing cluster: one line, exit 1 (never 2, which --detailed-exitcode reserves for "changes present"). */
export function cannotRead(client: ClusterClient, e: unknown): number {
  process.stderr.write(`kubeplan: cannot read the live state from cluster ${client.server}${client.context ? ` (context ${client.context})` : ''}: ${oneLine(e)}\n`);
  return ExitCode.findings;
}

function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ').trim();
}
