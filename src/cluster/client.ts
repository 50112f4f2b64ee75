// Our own small REST client for the Kubernetes API: kubeconfig loading and auth come from
// @kubernetes/client-node (KubeConfig only — never its object API, which drops unknown fields);
// requests go over node:https with the options KubeConfig.applyToHTTPSOptions fills in (client
// certificates, bearer tokens, exec plugins, CA). TLS is verified unless the kubeconfig itself says
// insecure-skip-tls-verify. client-node takes ~300 ms to load: it is imported on first use, on this
// thread (fromKubeConfig) or in a worker while the caller does other work (connection.ts), whose build bundles only
// the KubeConfig class (~50 ms; kubeconfig-class.ts).
import { createHash } from 'node:crypto';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterError, type KubeConfigOptions, loadKubeConfigWith } from './kubeconfig.ts';

export { ClusterError, type KubeConfigOptions } from './kubeconfig.ts';

/** The kubeconfig, with client-node loaded on this thread (dynamically: the CLI bundle leaves the package out). */
export async function loadKubeConfig(options: KubeConfigOptions = {}): Promise<KubeConfig> {
  return loadKubeConfigWith((await import('@kubernetes/client-node')).KubeConfig, options);
}

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  text: string;
}

export interface RequestOptions {
  body?: string;
  contentType?: string;
  accept?: string;
  timeoutMs?: number;
}

/** Kubernetes Status → a one-line message. */
export function statusMessage(r: ApiResponse): string {
  const b = r.body as { message?: string; reason?: string } | undefined;
  return b?.message ?? (r.text.slice(0, 200) || `HTTP ${r.status}`);
}

/** What requests need from a kubeconfig: the server, and TLS material and auth headers filled in per request (tokens expire). */
export interface Credentials {
  server: string;
  context: string;
  applyTo(opts: https.RequestOptions): Promise<void>;
  /** The server answered 401 to a request made with these options: new credentials for the next ones (the request is sent once more). */
  refused?(opts: https.RequestOptions): void;
  close?(): void;
}

/** Credentials straight from a loaded KubeConfig, on this thread. */
export function kubeConfigCredentials(kc: KubeConfig): Credentials {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new ClusterError('no current cluster in the kubeconfig');
  return { server: cluster.server, context: kc.getCurrentContext(), applyTo: (opts) => kc.applyToHTTPSOptions(opts) };
}

export class ClusterClient {
  readonly server: string;
  readonly context: string;
  private readonly credentials: Credentials;
  private readonly agent: https.Agent;
  constructor(credentials: Credentials) {
    this.credentials = credentials;
    this.server = credentials.server.replace(/\/+$/, '');
    this.context = credentials.context;
    this.agent = new https.Agent({ keepAlive: true, maxSockets: 8 });
  }

  /** Load the kubeconfig (and client-node) on this thread. */
  static async fromKubeConfig(options: KubeConfigOptions = {}): Promise<ClusterClient> {
    return new ClusterClient(kubeConfigCredentials(await loadKubeConfig(options)));
  }

  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const first = await this.send<T>(method, path, options);
    if (first.response.status !== 401 || !this.credentials.refused) return first.response;
    // Refused credentials (an exec credential or token that expired): once more with new ones. Safe for any verb: a
    // 401 comes from authentication, before the request has any effect.
    this.credentials.refused(first.opts);
    return (await this.send<T>(method, path, options)).response;
  }

  private async send<T>(method: string, path: string, options: RequestOptions): Promise<{ response: ApiResponse<T>; opts: https.RequestOptions }> {
    const url = new URL(this.server + path);
    const opts: https.RequestOptions = {
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      headers: { Accept: options.accept ?? 'application/json', 'User-Agent': 'kubeplan' },
      agent: this.agent,
      timeout: options.timeoutMs ?? 30_000,
    };
    await this.credentials.applyTo(opts);
    // applyToHTTPSOptions may set its own agent options (ca/cert/key); keep them on a dedicated agent.
    if (opts.ca || opts.cert || opts.key || opts.rejectUnauthorized === false) {
      opts.agent = agentFor(opts);
    }
    const headers = opts.headers as Record<string, string>;
    if (options.body !== undefined) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(options.body));
    }
    if (url.protocol === 'http:') throw new ClusterError(`refusing plain http to ${this.server}: the API server must be reached over TLS`);
    const response = await new Promise<ApiResponse<T>>((resolve, reject) => {
      const req = https.request(opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = text === '' ? undefined : JSON.parse(text);
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: body as T, text });
        });
      });
      req.on('timeout', () => req.destroy(new ClusterError(`${method} ${path}: no answer from ${this.server} within ${opts.timeout} ms`)));
      req.on('error', (e) => reject(new ClusterError(`${method} ${this.server}${path}: ${e.message}`)));
      if (options.body !== undefined) req.write(options.body);
      req.end();
    });
    return { response, opts };
  }

  async get<T = unknown>(path: string): Promise<T> {
    const r = await this.request<T>('GET', path);
    if (r.status !== 200) throw new ClusterError(`GET ${path}: ${r.status} ${statusMessage(r)}`);
    return r.body;
  }

  close(): void {
    this.credentials.close?.();
    this.agent.destroy();
    for (const a of agents.values()) a.destroy();
    agents.clear();
  }
}

const agents = new Map<string, https.Agent>();
/** One keep-alive agent per distinct TLS material (a digest of it: the PEM bytes themselves are kilobytes per request). */
function agentFor(opts: https.RequestOptions): https.Agent {
  const hash = createHash('sha256');
  for (const v of [opts.ca, opts.cert, opts.key]) {
    const parts = Array.isArray(v) ? v : [v];
    for (const p of parts as unknown[]) hash.update(p instanceof Uint8Array ? p : typeof p === 'string' ? `s${p}` : `j${JSON.stringify(p) ?? ''}`);
    hash.update('\u0001');
  }
  const key = `${hash.digest('hex')}\u0000${String(opts.rejectUnauthorized)}\u0000${opts.servername ?? ''}`;
  let a = agents.get(key);
  if (!a) {
    a = new https.Agent({ keepAlive: true, maxSockets: 8, ca: opts.ca, cert: opts.cert, key: opts.key, rejectUnauthorized: opts.rejectUnauthorized ?? true, servername: opts.servername });
    agents.set(key, a);
  }
  return a;
}
