import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../core/package-root.ts';
import { ClusterError } from './client.ts';
import { connectInBackground, reusedCredentials } from './connection.ts';
import { connectionWorker, startEarly } from './connection-spawn.ts';

// The worker is real (client-node loads in it); requests against a cluster are the cluster tier's (cli-plan.test.ts).
const dir = mkdtempSync(join(tmpdir(), 'kubeplan-connection-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A kubeconfig of one cluster and one user (YAML flow mapping), with these contexts; the first is current. */
function writeKubeconfig(file: string, user: string, contexts = ['one']): string {
  const path = join(dir, file);
  writeFileSync(
    path,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443/"}}]
users: [{name: u, user: ${user}}]
contexts: [${contexts.map((c) => `{name: ${c}, context: {cluster: c, user: u}}`).join(', ')}]
current-context: ${contexts[0]}
`,
  );
  return path;
}

const kubeconfig = writeKubeconfig('config.yaml', '{token: not-a-real-token}', ['one', 'two']);

describe('connectInBackground', () => {
  it('gives a client for the current context, or the one asked for', async () => {
    const client = await connectInBackground({ kubeconfig });
    expect([client.server, client.context]).toEqual(['https://127.0.0.1:6443', 'one']);
    client.close();
    const two = await connectInBackground({ kubeconfig, context: 'two' });
    expect(two.context).toBe('two');
    two.close();
  });

  it('an unknown context or an unreadable kubeconfig is a ClusterError naming it (no fallback crash)', async () => {
    await expect(connectInBackground({ kubeconfig, context: 'three' })).rejects.toThrow(new ClusterError('context "three" is not in the kubeconfig (have: one, two)'));
    await expect(connectInBackground({ kubeconfig: join(dir, 'missing.yaml') })).rejects.toThrow(/ENOENT/);
  });
});

describe('the built connection worker (dist/, bundled with client-node by scripts/bundle.mjs)', () => {
  // What the CLI runs: one file holding client-node's KubeConfig (the fast tier builds dist/ before the tests).
  it('reads the kubeconfig and reports the cluster, with its own copy of KubeConfig', async () => {
    const script = join(PACKAGE_ROOT, 'dist', 'cluster', 'connection-worker.js');
    const bundled = readFileSync(script, 'utf8');
    expect(bundled).toMatch(/\bvar KubeConfig = class\b/);
    expect(bundled).not.toMatch(/(from|import\()\s*["']@kubernetes\/client-node["']/);
    // The credentials come with 'ready': the caller uses them for every request until the server refuses them.
    expect(await firstWord(script, { kubeconfig, context: 'two' })).toEqual({
      type: 'ready',
      server: 'https://127.0.0.1:6443',
      context: 'two',
      proxy: false,
      credentials: { options: {}, headers: { Authorization: 'Bearer not-a-real-token' } },
    });
  });

  it('an exec plugin runs once as the kubeconfig loads, and its credential comes with ready', async () => {
    const script = join(PACKAGE_ROOT, 'dist', 'cluster', 'connection-worker.js');
    const mark = join(dir, 'exec.ran');
    // No expirationTimestamp: client-node would run the plugin again for every request.
    const credential = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'from-exec' } });
    const execConfig = writeKubeconfig('exec.yaml', `{exec: {apiVersion: client.authentication.k8s.io/v1, command: sh, args: ["-c", ${JSON.stringify(`printf x >> '${mark}'; echo '${credential}'`)}], interactiveMode: Never}}`);
    expect(await firstWord(script, { kubeconfig: execConfig })).toEqual({
      type: 'ready',
      server: 'https://127.0.0.1:6443',
      context: 'one',
      proxy: false,
      credentials: { options: {}, headers: { Authorization: 'Bearer from-exec' } },
    });
    expect(readFileSync(mark, 'utf8')).toBe('x');
  });
});

describe('the early connection worker (kubeplan plan starts it before the CLI loads)', () => {
  const early = (): { worker: Worker } | undefined => (globalThis as Record<symbol, { worker: Worker } | undefined>)[Symbol.for('kubeplan.connection-worker')];

  it('is the worker connectInBackground takes, once; told which kubeconfig to read, it is ready', async () => {
    startEarly();
    const started = early()?.worker;
    expect(started).toBeInstanceOf(Worker);
    const taken = connectionWorker();
    expect(taken).toBe(started);
    expect(early()).toBeUndefined();
    taken.postMessage({ type: 'init', options: { kubeconfig, context: 'two' } });
    try {
      const first = await new Promise<unknown>((resolve, reject) => {
        taken.once('message', resolve);
        taken.once('error', reject);
      });
      expect(first).toMatchObject({ type: 'ready', context: 'two' });
    } finally {
      await taken.terminate();
    }
    // Nothing started early: a new worker each time.
    const fresh = connectionWorker();
    expect(fresh).not.toBe(started);
    await fresh.terminate();
  });

  it('one that stopped before it was taken is replaced by a new one', async () => {
    startEarly();
    const started = early()?.worker;
    await started?.terminate();
    const taken = connectionWorker();
    expect(taken).not.toBe(started);
    await taken.terminate();
  });

  it('a plan against a cluster works through it (the client connects and names the context)', async () => {
    startEarly();
    const client = await connectInBackground({ kubeconfig, context: 'two' });
    expect([client.server, client.context]).toEqual(['https://127.0.0.1:6443', 'two']);
    expect(early()).toBeUndefined();
    client.close();
  });
});

describe('reusedCredentials', () => {
  const applied = (token: string) => ({ options: { servername: 'api' }, headers: { Authorization: `Bearer ${token}` } });
  /** An asker that counts and answers t1, t2, … (or fails while `failing`). */
  function asker(): { ask: () => Promise<ReturnType<typeof applied>>; asked: () => number; failing: { on: boolean } } {
    let n = 0;
    const failing = { on: false };
    return {
      ask: async () => {
        n++;
        if (failing.on) throw new ClusterError('plugin failed');
        return applied(`t${n}`);
      },
      asked: () => n,
      failing,
    };
  }
  const request = (): https.RequestOptions => ({ headers: { Accept: 'application/json' } });

  it('the first credentials serve every request; without them, requests in flight share one ask', async () => {
    const a = asker();
    const given = reusedCredentials('https://x', 'ctx', applied('first'), a.ask, () => undefined);
    const opts = request();
    await given.applyTo(opts);
    expect(opts).toMatchObject({ servername: 'api', headers: { Accept: 'application/json', Authorization: 'Bearer first' } });
    expect(a.asked()).toBe(0);
    const b = asker();
    const lazy = reusedCredentials('https://x', 'ctx', undefined, b.ask, () => undefined);
    const many = Array.from({ length: 8 }, request);
    await Promise.all(many.map((o) => lazy.applyTo(o)));
    expect(b.asked()).toBe(1);
    expect(new Set(many.map((o) => (o.headers as Record<string, string>).Authorization))).toEqual(new Set(['Bearer t1']));
  });

  it('a refusal asks once for new credentials, however many requests were refused with the old ones', async () => {
    const a = asker();
    const c = reusedCredentials('https://x', 'ctx', applied('old'), a.ask, () => undefined);
    const refusedOnes = Array.from({ length: 5 }, request);
    await Promise.all(refusedOnes.map((o) => c.applyTo(o)));
    for (const o of refusedOnes) c.refused?.(o);
    const next = Array.from({ length: 5 }, request);
    await Promise.all(next.map((o) => c.applyTo(o)));
    expect(a.asked()).toBe(1);
    expect(new Set(next.map((o) => (o.headers as Record<string, string>).Authorization))).toEqual(new Set(['Bearer t1']));
    // A late refusal of the old credentials replaces nothing.
    c.refused?.(refusedOnes[0]!);
    const later = request();
    await c.applyTo(later);
    expect(a.asked()).toBe(1);
    expect((later.headers as Record<string, string>).Authorization).toBe('Bearer t1');
  });

  it('PEM material that crossed from the worker as bytes is applied as text (node:https keys its socket pools by it)', async () => {
    const pem = (label: string): string => `-----BEGIN ${label}-----\nAAAA\n-----END ${label}-----\n`;
    const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));
    const fromWorker = { options: { ca: bytes(pem('CERTIFICATE')), cert: [bytes(pem('CERTIFICATE'))], key: bytes(pem('EC PRIVATE KEY')), servername: 'api' }, headers: {} };
    for (const c of [reusedCredentials('https://x', 'ctx', fromWorker, async () => fromWorker, () => undefined), reusedCredentials('https://x', 'ctx', undefined, async () => fromWorker, () => undefined)]) {
      const o = request();
      await c.applyTo(o);
      expect(o).toMatchObject({ ca: pem('CERTIFICATE'), cert: [pem('CERTIFICATE')], key: pem('EC PRIVATE KEY'), servername: 'api' });
    }
  });

  it('a failed ask fails the requests that waited for it, and the next request asks again', async () => {
    const a = asker();
    const c = reusedCredentials('https://x', 'ctx', undefined, a.ask, () => undefined);
    a.failing.on = true;
    await expect(c.applyTo(request())).rejects.toThrow('plugin failed');
    a.failing.on = false;
    const o = request();
    await c.applyTo(o);
    expect(a.asked()).toBe(2);
    expect((o.headers as Record<string, string>).Authorization).toBe('Bearer t2');
  });
});

async function firstWord(script: string, options: { kubeconfig: string; context?: string }): Promise<unknown> {
  const worker = new Worker(script);
  worker.postMessage({ type: 'init', options });
  try {
    return await new Promise<unknown>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  } finally {
    await worker.terminate();
  }
}
