import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../core/package-root.ts';
import { ClusterError } from './client.ts';
import { connectInBackground } from './connection.ts';

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
    // A token user: the same options and headers for every request, sent once (the caller applies them itself).
    expect(await firstWord(script, { kubeconfig, context: 'two' })).toEqual({
      type: 'ready',
      server: 'https://127.0.0.1:6443',
      context: 'two',
      proxy: false,
      fixed: { options: {}, headers: { Authorization: 'Bearer not-a-real-token' } },
    });
  });

  it('an exec plugin user is asked per request (its token may expire): no fixed credentials', async () => {
    const script = join(PACKAGE_ROOT, 'dist', 'cluster', 'connection-worker.js');
    const credential = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'from-exec' } });
    const execConfig = writeKubeconfig('exec.yaml', `{exec: {apiVersion: client.authentication.k8s.io/v1, command: sh, args: ["-c", ${JSON.stringify(`echo '${credential}'`)}], interactiveMode: Never}}`);
    expect(await firstWord(script, { kubeconfig: execConfig })).toEqual({ type: 'ready', server: 'https://127.0.0.1:6443', context: 'one', proxy: false });
  });
});

async function firstWord(script: string, workerData: { kubeconfig: string; context?: string }): Promise<unknown> {
  const worker = new Worker(script, { workerData });
  try {
    return await new Promise<unknown>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  } finally {
    await worker.terminate();
  }
}
