// A cluster connection prepared in the background: @kubernetes/client-node and the kubeconfig load in a worker
// thread (~300 ms of CPU, more than validating 1,000 objects) while the caller reads and parses the repo on its own
// thread. The worker hands over the TLS material and auth headers client-node gives (an exec plugin runs there);
// requests use them until the server refuses them (401), and then ask the worker once for new ones. A kubeconfig
// with a proxy (an agent object, which cannot cross threads) is loaded on the calling thread instead; so is
// everything when the worker cannot start.
import type https from 'node:https';
import type { Worker } from 'node:worker_threads';
import { connectionWorker } from './connection-spawn.ts';
import { ClusterClient, ClusterError, type Credentials, type KubeConfigOptions } from './client.ts';
import type { AppliedCredentials, FromConnectionWorker, ToConnectionWorker } from './connection-protocol.ts';

/** Start loading the kubeconfig now; the promise gives the client (or a ClusterError naming the problem). */
export function connectInBackground(options: KubeConfigOptions): Promise<ClusterClient> {
  let worker: Worker;
  try {
    worker = connectionWorker();
    worker.postMessage({ type: 'init', options } satisfies ToConnectionWorker);
  } catch {
    return ClusterClient.fromKubeConfig(options);
  }
  return new Promise<ClusterClient>((resolvePromise, rejectPromise) => {
    // Settled once: by the worker's first word, or by the fallback when it fails before saying anything.
    let settled = false;
    const resolve = (c: ClusterClient | Promise<ClusterClient>): void => {
      if (settled) return;
      settled = true;
      resolvePromise(c);
    };
    const reject = (e: Error): void => {
      if (settled) return;
      settled = true;
      rejectPromise(e);
    };
    const pending = new Map<number, { resolve: (c: AppliedCredentials) => void; reject: (e: Error) => void }>();
    let nextId = 0;
    const settle = (id: number): void => {
      pending.delete(id);
      if (pending.size === 0) worker.unref();
    };
    const fail = (e: Error): void => {
      for (const p of pending.values()) p.reject(e);
      pending.clear();
    };
    worker.on('message', (m: FromConnectionWorker) => {
      switch (m.type) {
        case 'ready': {
          if (m.proxy) {
            void worker.terminate();
            resolve(ClusterClient.fromKubeConfig(options));
            return;
          }
          // New credentials from the worker (client-node runs an exec plugin or refreshes a token there).
          const ask = (): Promise<AppliedCredentials> =>
            new Promise<AppliedCredentials>((res, rej) => {
              const id = nextId++;
              // The worker keeps the process alive only while an answer is awaited.
              if (pending.size === 0) worker.ref();
              pending.set(id, { resolve: res, reject: rej });
              worker.postMessage({ type: 'credentials', id } satisfies ToConnectionWorker);
            });
          resolve(new ClusterClient(reusedCredentials(m.server, m.context, m.credentials, ask, () => void worker.terminate())));
          // Idle between requests, the worker must not keep the process alive.
          if (pending.size === 0) worker.unref();
          return;
        }
        case 'failed':
          void worker.terminate();
          reject(new ClusterError(m.message));
          return;
        case 'applied':
          pending.get(m.id)?.resolve({ options: m.options, headers: m.headers });
          settle(m.id);
          return;
        case 'apply-failed':
          pending.get(m.id)?.reject(new ClusterError(`kubeconfig credentials: ${m.message}`));
          settle(m.id);
          return;
      }
    });
    // A worker that fails before it is ready costs time, never the run: the kubeconfig is loaded here instead.
    worker.on('error', (e) => {
      fail(new ClusterError(`kubeconfig credentials: ${e.message}`));
      if (!settled) resolve(ClusterClient.fromKubeConfig(options));
    });
    worker.on('exit', () => {
      fail(new ClusterError('kubeconfig credentials: the credentials worker stopped'));
      if (!settled) resolve(ClusterClient.fromKubeConfig(options));
    });
  });
}

/**
 * Credentials used for every request until the server refuses them, then asked for again once (client-go's rule for
 * exec credentials without an expiry; client-node would run the plugin again for each request). Requests in flight
 * share one answer; a refusal of credentials already replaced asks nothing.
 */
export function reusedCredentials(server: string, context: string, first: AppliedCredentials | undefined, ask: () => Promise<AppliedCredentials>, close: () => void): Credentials {
  let current: Promise<AppliedCredentials> | undefined = first ? Promise.resolve(pemAsText(first)) : undefined;
  const usedBy = new WeakMap<https.RequestOptions, Promise<AppliedCredentials>>();
  return {
    server,
    context,
    async applyTo(opts) {
      const used = (current ??= ask().then(pemAsText));
      let c: AppliedCredentials;
      try {
        c = await used;
      } catch (e) {
        if (current === used) current = undefined; // the next request asks again
        throw e;
      }
      usedBy.set(opts, used);
      Object.assign(opts, c.options);
      opts.headers = { ...(opts.headers as Record<string, string>), ...c.headers };
    },
    refused(opts) {
      if (current !== undefined && usedBy.get(opts) === current) current = undefined;
    },
    close,
  };
}

/**
 * The PEM material as text. It crosses from the worker as bytes, and node:https builds every request's socket-pool key
 * from the agent's ca, cert and key by string concatenation: bytes turn into comma-separated decimals there, kilobytes
 * of them per request (~18 ms of a 1,000-object plan).
 */
function pemAsText(c: AppliedCredentials): AppliedCredentials {
  const options = { ...c.options };
  for (const f of ['ca', 'cert', 'key'] as const) {
    const v = options[f];
    if (v instanceof Uint8Array) options[f] = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8');
    else if (Array.isArray(v)) options[f] = v.map((x: unknown) => (x instanceof Uint8Array ? Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('utf8') : x));
  }
  return { ...c, options };
}

