// A cluster connection prepared in the background: @kubernetes/client-node and the kubeconfig load in a worker
// thread (~300 ms of CPU, more than validating 1,000 objects) while the caller reads and parses the repo on its own
// thread; requests then ask the worker for their TLS material and auth headers, so exec plugins and token refresh
// behave exactly as with client-node on the main thread. A kubeconfig with a proxy (an agent object, which cannot
// cross threads) is loaded on the calling thread instead; so is everything when the worker cannot start.
import type https from 'node:https';
import { createRequire } from 'node:module';
import { FROM_SOURCES, packageModule } from '../core/package-root.ts';
import { Worker } from 'node:worker_threads';
import { ClusterClient, ClusterError, type Credentials, type KubeConfigOptions } from './client.ts';
import type { FromConnectionWorker, ToConnectionWorker } from './connection-protocol.ts';

/** Start loading the kubeconfig now; the promise gives the client (or a ClusterError naming the problem). */
export function connectInBackground(options: KubeConfigOptions): Promise<ClusterClient> {
  let worker: Worker;
  try {
    worker = newWorker(options);
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
    const pending = new Map<number, { resolve: (m: Extract<FromConnectionWorker, { type: 'applied' }>) => void; reject: (e: Error) => void }>();
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
          const { fixed } = m;
          // Per request, client-node's options and headers: the fixed ones, or the worker's answer for this request.
          const askWorker = (opts: https.RequestOptions): Promise<void> =>
            new Promise<void>((res, rej) => {
              const id = nextId++;
              // The worker keeps the process alive only while an answer is awaited.
              if (pending.size === 0) worker.ref();
              pending.set(id, {
                resolve: (applied) => {
                  Object.assign(opts, applied.options);
                  opts.headers = applied.headers;
                  res();
                },
                reject: rej,
              });
              worker.postMessage({ id, headers: { ...(opts.headers as Record<string, string>) } } satisfies ToConnectionWorker);
            });
          const credentials: Credentials = {
            server: m.server,
            context: m.context,
            applyTo: fixed
              ? (opts) => {
                  Object.assign(opts, fixed.options);
                  opts.headers = { ...(opts.headers as Record<string, string>), ...fixed.headers };
                  return Promise.resolve();
                }
              : askWorker,
            close: () => void worker.terminate(),
          };
          // Idle between requests, the worker must not keep the process alive.
          if (pending.size === 0) worker.unref();
          resolve(new ClusterClient(credentials));
          return;
        }
        case 'failed':
          void worker.terminate();
          reject(new ClusterError(m.message));
          return;
        case 'applied':
          pending.get(m.id)?.resolve(m);
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

function newWorker(workerData: KubeConfigOptions): Worker {
  const options = { workerData, stdout: false, stderr: false };
  const script = packageModule('cluster/connection-worker');
  if (!FROM_SOURCES) return new Worker(script, options);
  // Running from the TypeScript sources (tests): through tsx, as src/validate/parallel does.
  const tsx = createRequire(import.meta.url).resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(new URL(`file://${script}`).href)}); });`, { ...options, eval: true });
}
