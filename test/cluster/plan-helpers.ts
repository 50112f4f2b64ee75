// Helpers of the planner's cluster-tier tests: apply objects the way kubeplan will (server-side apply,
// field manager "kubeplan"), read them back, and plan against them.
import { spawn } from 'node:child_process';
import { ClusterClient } from '../../src/cluster/client.ts';
import { cliPath, type CliResult } from '../cli/run-cli.ts';
import { type Discovery, discover, objectPath } from '../../src/cluster/discovery.ts';
import type { JsonObject, Manifest } from '../../src/core/types.ts';
import { parseText } from '../../src/manifests/parse.ts';
import { computePlan } from '../../src/plan/compute.ts';
import type { KindInfoFn, LiveSource, Plan, PlanSettings } from '../../src/plan/types.ts';

export function manifestsOf(yaml: string, file = 'repo.yaml'): Manifest[] {
  const r = parseText(file, yaml);
  if (r.findings.length > 0) throw new Error(r.findings.map((f) => f.message).join('\n'));
  return r.manifests;
}

export class PlanCluster {
  private clientOrUndefined: ClusterClient | undefined;
  private discovery: Discovery | undefined;
  /** Load the kubeconfig (client-node) once per test file. */
  static async connect(kubeconfigPath: string): Promise<PlanCluster> {
    const pc = new PlanCluster();
    pc.clientOrUndefined = await ClusterClient.fromKubeConfig({ kubeconfig: kubeconfigPath });
    return pc;
  }
  get client(): ClusterClient {
    if (!this.clientOrUndefined) throw new Error('PlanCluster.connect() first');
    return this.clientOrUndefined;
  }
  async refreshDiscovery(): Promise<Discovery> {
    this.discovery = await discover(this.client);
    return this.discovery;
  }
  async path(o: JsonObject, defaultNamespace: string): Promise<string> {
    const d = this.discovery ?? (await this.refreshDiscovery());
    const apiVersion = String(o.apiVersion);
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] as string : '';
    const gk = group === '' ? String(o.kind) : `${group}/${String(o.kind)}`;
    let r = d.byGroupKind.get(gk);
    if (!r) r = (await this.refreshDiscovery()).byGroupKind.get(gk);
    if (!r) throw new Error(`${gk} is not served`);
    const meta = o.metadata as { name: string; namespace?: string };
    return objectPath(r, meta.name, r.namespaced ? (meta.namespace ?? defaultNamespace) : undefined, apiVersion);
  }
  /** Server-side apply (for real) as kubeplan; returns the object the server stored. */
  async apply(o: JsonObject, defaultNamespace = 'default', force = true): Promise<JsonObject> {
    const p = await this.path(o, defaultNamespace);
    const r = await this.client.request<JsonObject>('PATCH', `${p}?fieldManager=kubeplan${force ? '&force=true' : ''}`, { body: JSON.stringify(o), contentType: 'application/apply-patch+yaml' });
    if (r.status !== 200 && r.status !== 201) throw new Error(`apply ${p}: ${r.status} ${r.text}`);
    return r.body;
  }
  async get(o: JsonObject, defaultNamespace = 'default'): Promise<JsonObject> {
    const p = await this.path(o, defaultNamespace);
    const r = await this.client.request<JsonObject>('GET', p);
    if (r.status !== 200) throw new Error(`GET ${p}: ${r.status} ${r.text}`);
    return r.body;
  }
  async delete(o: JsonObject, defaultNamespace = 'default'): Promise<void> {
    const p = await this.path(o, defaultNamespace);
    await this.client.request('DELETE', `${p}?propagationPolicy=Background`);
  }
}

export function planAgainst(desired: Manifest[], live: JsonObject[] | LiveSource, settings: Partial<PlanSettings> = {}, kindInfo?: KindInfoFn): Plan {
  return computePlan({ desired, live: Array.isArray(live) ? live.map((object) => ({ object })) : live, settings: { defaultNamespace: 'default', ...settings }, kindInfo });
}

/** The object as `kubectl get -o yaml` prints it by default: no managedFields (and no last-applied). */
export function withoutOwnership(o: JsonObject): JsonObject {
  const c = structuredClone(o);
  const meta = c.metadata as Record<string, unknown>;
  delete meta.managedFields;
  return c;
}

export function describeChanges(p: Plan): string {
  return p.changes
    .filter((c) => c.action !== 'noop')
    .map((c) => `${c.action} ${c.key}\n${c.changes.map((f) => `    ${f.op} ${f.path}: ${JSON.stringify(f.before)} → ${JSON.stringify(f.after)}`).join('\n')}${c.reasons.length ? `\n    reasons: ${c.reasons.join('; ')}` : ''}`)
    .join('\n');
}

/**
 * The built CLI (dist/cli/main.js), asynchronously: the harness reads every component's log through pipes in this
 * process, and a blocked event loop (spawnSync) would stall the API server. No colour; kubeplan's caches in `cacheDir`;
 * no $KUBECONFIG, so nothing but the kubeconfig the arguments name is ever read.
 */
export function runKubeplan(args: string[], opts: { cwd: string; cacheDir: string }): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', KUBEPLAN_CACHE_DIR: opts.cacheDir };
  delete env.KUBECONFIG;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}
