// The cluster's own schemas for validation (`kubeplan plan` against a cluster): the /openapi/v3 documents of the
// group-versions the repo uses, no others, fetched concurrently through the on-disk OpenApiCache (a warm cache makes
// only the index request). Each document is converted once, by the schema generator's converter, and the conversion
// is cached beside it, so a warm run reads only the converted schemas. Custom resources whose CRD is installed in the
// cluster are covered too. What validation used is recorded as data (ClusterSchemaUsage) and said in one line of the
// plan's notes (schemasNote).
import { CONVERT_FINGERPRINT, convertOpenApiV3, mergeBundles } from '../validate/schema/convert.ts';
import { bundledVersionFor, type SchemaSource } from '../validate/schema/index.ts';
import { schemaSourceFromBundle } from '../validate/schema/source.ts';
import { sha256 } from '../validate/schema/store.ts';
import type { SchemaBundle } from '../validate/schema/types.ts';
import { forEachLimit } from './discovery.ts';
import type { OpenApiCache, OpenApiClient, OpenApiIndex } from './openapi.ts';

/** Name of a document's cached conversion (OpenApiCache.derived): changes with the conversion code. */
const CONVERTED = `kubeplan-schemas-${sha256(CONVERT_FINGERPRINT).slice(0, 16)}`;

/** What validation was checked against (the plan's notes say it: schemasNote). */
export type ClusterSchemaUsage =
  | {
      basis: 'cluster';
      /** The cluster's version as /version says it ("v1.35.8"), if it did. */
      gitVersion?: string;
      /** The committed version used for kinds the cluster does not serve. */
      bundledVersion: string;
      /** Group-versions of the repo validated against the cluster's documents ("apps/v1", "v1"), sorted. */
      groupVersions: string[];
      /** Group-versions of the repo the cluster does not serve: the repo's CRDs and the bundled schemas, sorted. */
      notServed: string[];
      /** Documents requested from the server, and read from the disk cache. */
      fetched: number;
      fromCache: number;
    }
  /** The cluster has no /openapi/v3 (404: older than 1.24 or the feature off; or refused): the bundled schemas. */
  | { basis: 'no-openapi'; gitVersion?: string; bundledVersion: string; status: number }
  /** --kubernetes-version given: the bundled schemas of that version, the cluster's were not read. */
  | { basis: 'flag'; bundledVersion: string };

/** "apps/v1" → "apis/apps/v1", "v1" → "api/v1": the key of a group-version in the /openapi/v3 index; undefined when malformed. */
export function openApiPath(apiVersion: string): string | undefined {
  const parts = apiVersion.split('/');
  if (parts.some((p) => p === '' || /[^A-Za-z0-9.-]/.test(p))) return undefined;
  if (parts.length === 1) return `api/${apiVersion}`;
  return parts.length === 2 ? `apis/${apiVersion}` : undefined;
}

/** The cluster's schemas for one run of `kubeplan plan`: open() reads /version and the /openapi/v3 index at once. */
export class ClusterSchemas {
  private readonly cache: OpenApiCache;
  private readonly index: OpenApiIndex;
  readonly gitVersion: string | undefined;
  /** The committed version for what the cluster does not serve: the cluster's minor, or the nearest kubeplan has. */
  readonly bundledVersion: string;

  private constructor(cache: OpenApiCache, index: OpenApiIndex, gitVersion: string | undefined) {
    this.cache = cache;
    this.index = index;
    this.gitVersion = gitVersion;
    this.bundledVersion = bundledVersionFor(gitVersion ?? '');
  }

  /** Rejects with a ClusterError when the cluster cannot be reached. */
  static async open(client: OpenApiClient, cache: OpenApiCache): Promise<ClusterSchemas> {
    const [version, index] = await Promise.all([client.request<{ gitVersion?: string }>('GET', '/version'), cache.discovery()]);
    const gitVersion = version.status === 200 && typeof version.body?.gitVersion === 'string' ? version.body.gitVersion : undefined;
    return new ClusterSchemas(cache, index, gitVersion);
  }

  /**
   * The schema source of the group-versions these apiVersions use that the cluster serves (for validate's
   * servedSchemas; none when the cluster has no /openapi/v3 or serves none of them), and what was used.
   */
  async source(apiVersions: readonly string[], concurrency = 8): Promise<{ source?: SchemaSource; usage: ClusterSchemaUsage }> {
    if (this.index.status !== 200) return { usage: { basis: 'no-openapi', ...this.version(), bundledVersion: this.bundledVersion, status: this.index.status } };
    const wanted = new Map<string, string>(); // apiVersion → index path
    const notServed: string[] = [];
    for (const v of new Set(apiVersions)) {
      const p = openApiPath(v);
      if (p !== undefined && this.index.paths[p] !== undefined) wanted.set(v, p);
      else notServed.push(v);
    }
    const before = { fetched: this.cache.fetched, fromCache: this.cache.fromCache };
    const bundles = new Map<string, SchemaBundle>(); // index path → its document's conversion
    const urls: string[] = [];
    await forEachLimit([...wanted], concurrency, async ([v, p]) => {
      const bundle = await this.cache.derived(v, CONVERTED, (doc) => convertOpenApiV3({ [p]: doc }));
      if (bundle) {
        bundles.set(p, bundle);
        urls.push(`${p}=${this.index.paths[p]?.serverRelativeURL ?? ''}`);
      } else notServed.push(v);
    });
    const served = [...wanted.keys()].filter((v) => bundles.has(wanted.get(v) as string));
    const usage: ClusterSchemaUsage = {
      basis: 'cluster',
      ...this.version(),
      bundledVersion: this.bundledVersion,
      groupVersions: served.sort(),
      notServed: notServed.sort(),
      fetched: this.cache.fetched - before.fetched,
      fromCache: this.cache.fromCache - before.fromCache,
    };
    if (served.length === 0) return { usage };
    // In sorted path order, as convertOpenApiV3 of all the documents at once would merge them.
    const bundle = mergeBundles([...bundles].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, b]) => b));
    const source = schemaSourceFromBundle(bundle, {
      kubernetesVersion: this.gitVersion ?? this.bundledVersion,
      label: "the cluster's /openapi/v3",
      // The hashed URLs change whenever a document does: an id without hashing the converted schemas.
      id: sha256(urls.sort().join('\n')).slice(0, 20),
    });
    return { source, usage };
  }

  private version(): { gitVersion?: string } {
    return this.gitVersion !== undefined ? { gitVersion: this.gitVersion } : {};
  }
}

/** One line for the plan's notes: which schemas validation used. */
export function schemasNote(u: ClusterSchemaUsage): string {
  const bundled = `kubeplan's bundled Kubernetes ${u.bundledVersion} schemas`;
  if (u.basis === 'flag') return `validated against ${bundled} (--kubernetes-version given), not the cluster's`;
  const version = u.gitVersion !== undefined ? `Kubernetes ${u.gitVersion}` : 'version unknown';
  if (u.basis === 'no-openapi') return `validated against ${bundled}: the cluster (${version}) serves no /openapi/v3 (HTTP ${u.status})`;
  const n = u.groupVersions.length;
  const head = `validated against the cluster's schemas (${version}, ${n} group-version${n === 1 ? '' : 's'} from /openapi/v3, ${u.fetched} fetched, ${u.fromCache} from cache)`;
  return u.notServed.length === 0 ? head : `${head}; ${u.notServed.join(', ')} not served by the cluster: against the repo's CRDs and ${bundled}`;
}
