// A real HTTPS mutating admission webhook for the cluster tier, served from the test process on
// 127.0.0.1: a throwaway CA and serving certificate (SAN IP:127.0.0.1) made with openssl in a temp
// dir, Node's https server, and the AdmissionReview v1 protocol (JSONPatch responses). The test
// supplies the mutation; the server records every review it answered (operation, dryRun, object).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { OPENSSL_CNF, openssl } from './harness.ts';

/** One RFC 6902 operation, as an admission webhook returns them. */
export interface PatchOp {
  op: 'add' | 'remove' | 'replace';
  path: string;
  value?: unknown;
}

/** The parts of an AdmissionRequest (admission.k8s.io/v1) the tests look at. */
export interface ReviewRequest {
  uid: string;
  operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  dryRun?: boolean;
  kind: { group: string; version: string; kind: string };
  namespace?: string;
  name?: string;
  object?: Record<string, unknown>;
  oldObject?: Record<string, unknown>;
}

export type Mutator = (req: ReviewRequest) => PatchOp[];

export interface Webhook {
  /** https://127.0.0.1:<port>/mutate */
  url: string;
  /** Base64 PEM of the CA, for clientConfig.caBundle. */
  caBundle: string;
  /** Every review answered so far. */
  reviews: ReviewRequest[];
  stop(): Promise<void>;
}

async function makePki(): Promise<{ ca: string; cert: string; key: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kubeplan-webhook-'));
  try {
    await writeFile(path.join(dir, 'openssl.cnf'), OPENSSL_CNF);
    await openssl(dir, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key']);
    await openssl(dir, ['req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=kubeplan-test-webhook-ca', '-days', '2', '-config', 'openssl.cnf', '-extensions', 'ca', '-out', 'ca.crt']);
    await openssl(dir, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'tls.key']);
    await openssl(dir, ['req', '-new', '-key', 'tls.key', '-subj', '/CN=127.0.0.1', '-config', 'openssl.cnf', '-out', 'tls.csr']);
    await openssl(dir, ['x509', '-req', '-in', 'tls.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'openssl.cnf', '-extensions', 'server', '-out', 'tls.crt']);
    const [ca, cert, key] = await Promise.all(['ca.crt', 'tls.crt', 'tls.key'].map((f) => readFile(path.join(dir, f), 'utf8')));
    return { ca: ca as string, cert: cert as string, key: key as string };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Starts the webhook on a free loopback port; `mutate` decides the JSONPatch of each review. */
export async function startWebhook(mutate: Mutator): Promise<Webhook> {
  const pki = await makePki();
  const reviews: ReviewRequest[] = [];
  const server = https.createServer({ cert: pki.cert, key: pki.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let review: { request?: ReviewRequest };
      try {
        review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { request?: ReviewRequest };
      } catch {
        res.writeHead(400).end('bad AdmissionReview');
        return;
      }
      const request = review.request;
      // The API server appends ?timeout=<n>s to the URL.
      if (new URL(req.url ?? '/', 'https://127.0.0.1').pathname !== '/mutate' || !request) {
        res.writeHead(404).end();
        return;
      }
      reviews.push(request);
      let ops: PatchOp[];
      try {
        ops = mutate(request);
      } catch (e) {
        ops = [];
        console.error(`webhook mutator threw: ${(e as Error).message}`);
      }
      const response: Record<string, unknown> = { uid: request.uid, allowed: true };
      if (ops.length > 0) {
        response.patchType = 'JSONPatch';
        response.patch = Buffer.from(JSON.stringify(ops)).toString('base64');
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}/mutate`,
    caBundle: Buffer.from(pki.ca).toString('base64'),
    reviews,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A JSON pointer token (RFC 6901): `~` → `~0`, `/` → `~1`. */
export function pointerToken(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}
