// The worker side of connection.ts: loads @kubernetes/client-node and the kubeconfig, and gives the thread that makes
// the requests client-node's request options (TLS material, auth headers; exec plugins and token refresh run here):
// once when ready, and again whenever asked (the server refused the ones in use). Only plain data crosses, never an
// agent.
import { once } from 'node:events';
import { parentPort } from 'node:worker_threads';
import type https from 'node:https';
import { KubeConfig } from './kubeconfig-class.ts';
import { loadKubeConfigWith } from './kubeconfig.ts';
import { type AppliedCredentials, type FromConnectionWorker, REQUEST_OPTION_FIELDS, type ToConnectionWorker } from './connection-protocol.ts';

const port = parentPort;
if (!port) throw new Error('connection-worker.ts runs as a worker thread');

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const post = (m: FromConnectionWorker): void => port.postMessage(m);

/** What client-node fills in for a request: its plain-data options (never its agent) and the headers it adds. */
async function applied(kc: KubeConfig): Promise<AppliedCredentials> {
  const opts: https.RequestOptions = { headers: {} };
  await kc.applyToHTTPSOptions(opts);
  const options: Record<string, unknown> = {};
  for (const f of REQUEST_OPTION_FIELDS) if (opts[f] !== undefined) options[f] = opts[f];
  return { options, headers: { ...(opts.headers as Record<string, string>) } };
}

// Which kubeconfig: the first message (the worker may have been started before the command line was parsed).
const [init] = (await once(port, 'message')) as [ToConnectionWorker];
try {
  if (init.type !== 'init') throw new Error('the connection worker was not told which kubeconfig to read');
  const kc = loadKubeConfigWith(KubeConfig, init.options);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig names no cluster for the current context');
  // Credentials once now, while the caller is busy: an exec plugin runs here, once; the caller uses them for every
  // request until the server refuses them (a 401: expired or revoked), then asks again. That is client-go's rule for
  // exec credentials without an expiry, which client-node would otherwise run again for every request.
  const credentials = await applied(kc).catch(() => undefined); // a failure shows again (and is reported) when asked
  // A proxy is an agent object, which cannot cross threads: the caller loads the kubeconfig itself then.
  post({
    type: 'ready',
    server: cluster.server,
    context: kc.getCurrentContext(),
    proxy: cluster.proxyUrl !== undefined && cluster.proxyUrl !== '',
    ...(credentials ? { credentials } : {}),
  });
  port.on('message', (m: ToConnectionWorker) => {
    if (m.type !== 'credentials') return;
    applied(kc).then(
      (c) => post({ type: 'applied', id: m.id, ...c }),
      (e: unknown) => post({ type: 'apply-failed', id: m.id, message: message(e) }),
    );
  });
} catch (e) {
  post({ type: 'failed', message: message(e) });
}
