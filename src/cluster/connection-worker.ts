// The worker side of connection.ts: loads @kubernetes/client-node and the kubeconfig, then fills in request options
// (TLS material, auth headers; exec plugins and token refresh run here, as client-node does them) for the thread
// that makes the requests. Only plain data crosses: never an agent.
import { parentPort, workerData } from 'node:worker_threads';
import type https from 'node:https';
import { KubeConfig } from './kubeconfig-class.ts';
import { type KubeConfigOptions, loadKubeConfigWith } from './kubeconfig.ts';
import { type FromConnectionWorker, REQUEST_OPTION_FIELDS, type ToConnectionWorker } from './connection-protocol.ts';

const port = parentPort;
if (!port) throw new Error('connection-worker.ts runs as a worker thread');

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const post = (m: FromConnectionWorker): void => port.postMessage(m);

/** The plain-data request options client-node filled in (never its agent). */
function plainOptions(opts: https.RequestOptions): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const f of REQUEST_OPTION_FIELDS) if (opts[f] !== undefined) fields[f] = opts[f];
  return fields;
}

try {
  const kc = loadKubeConfigWith(KubeConfig, workerData as KubeConfigOptions);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig names no cluster for the current context');
  // Credentials once now, while the caller is busy: an exec plugin runs here, once, rather than once per request
  // in flight when the first requests start together. A failure here shows again (and is reported) on a request.
  const first: https.RequestOptions = { headers: {} };
  const applied = await kc.applyToHTTPSOptions(first).then(
    () => true,
    () => false,
  );
  // Without an exec plugin or auth provider, what client-node fills in is the same for every request.
  const user = kc.getCurrentUser();
  const fixed = applied && user !== null && user.exec === undefined && user.authProvider === undefined;
  // A proxy is an agent object, which cannot cross threads: the caller loads the kubeconfig itself then.
  post({
    type: 'ready',
    server: cluster.server,
    context: kc.getCurrentContext(),
    proxy: cluster.proxyUrl !== undefined && cluster.proxyUrl !== '',
    ...(fixed ? { fixed: { options: plainOptions(first), headers: { ...(first.headers as Record<string, string>) } } } : {}),
  });
  port.on('message', (m: ToConnectionWorker) => {
    const opts: https.RequestOptions = { headers: { ...m.headers } };
    kc.applyToHTTPSOptions(opts).then(
      () => post({ type: 'applied', id: m.id, options: plainOptions(opts), headers: { ...(opts.headers as Record<string, string>) } }),
      (e: unknown) => post({ type: 'apply-failed', id: m.id, message: message(e) }),
    );
  });
} catch (e) {
  post({ type: 'failed', message: message(e) });
}
