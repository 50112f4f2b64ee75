// A tiny HTTPS client for the test cluster's API server, on Node's own `https`
// module with the harness's client certificate (O=system:masters), so tests see
// exactly what the API server answers: status codes, Status objects, defaulted
// objects. No client library in between.
import https from 'node:https';

/** What a client needs to reach a harness cluster (a started cluster has all of these). */
export interface RestTarget {
  /** https://127.0.0.1:<port> */
  server: string;
  /** PEM of the cluster CA, the client certificate and its key. */
  tls: { ca: string; cert: string; key: string };
}

export interface RestResponse {
  status: number;
  /** The parsed body when it is JSON, else undefined. Loose on purpose: tests poke at API objects. */
  json: any;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

export type RequestFn = (
  method: string,
  path: string,
  body?: unknown,
  contentType?: string,
) => Promise<RestResponse>;

/**
 * A request function bound to one cluster. `body` may be a string (sent as is) or any
 * value (sent as JSON, which is also valid YAML for `application/apply-patch+yaml`).
 * `contentType` defaults to application/json when there is a body.
 */
export function restClient(target: RestTarget, opts: { timeoutMs?: number } = {}): RequestFn {
  const base = new URL(target.server);
  const agent = new https.Agent({ ca: target.tls.ca, cert: target.tls.cert, key: target.tls.key, keepAlive: false });
  const timeoutMs = opts.timeoutMs ?? 30_000;
  return (method, path, body, contentType) =>
    new Promise<RestResponse>((resolve, reject) => {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (payload !== undefined) {
        headers['Content-Type'] = contentType ?? 'application/json';
        headers['Content-Length'] = String(Buffer.byteLength(payload));
      }
      const req = https.request(
        {
          protocol: base.protocol,
          hostname: base.hostname,
          port: base.port,
          path,
          method,
          headers,
          agent,
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = text === '' ? undefined : JSON.parse(text);
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, json, text, headers: res.headers });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
}

let current: { target: RestTarget; fn: RequestFn } | undefined;

/** Makes `request` talk to this cluster. startCluster() calls it for the cluster it started. */
export function useCluster(target: RestTarget | undefined): void {
  current = target === undefined ? undefined : { target, fn: restClient(target) };
}

/** The cluster `request` currently talks to, if any. */
export function currentTarget(): RestTarget | undefined {
  return current?.target;
}

/** A request to the most recently started (and not yet stopped) harness cluster. */
export const request: RequestFn = (method, path, body, contentType) => {
  if (current === undefined) {
    return Promise.reject(new Error('rest.request: no cluster; call startCluster() (or useCluster()) first'));
  }
  return current.fn(method, path, body, contentType);
};
