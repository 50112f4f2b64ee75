// The harness itself: clusters start one after another in one test run, each on its own
// ports and temp dir, and stop() leaves no process and no file behind. Also reports the
// numbers docs/cluster-tier.md quotes (warm start time, resident memory).
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { clusterBinDir, isCI, missingBinaries, missingBinariesMessage, startCluster, tail, type Cluster } from './harness.ts';
import { request } from './rest.ts';

const binDir = clusterBinDir();
const missing = missingBinaries(binDir);
const skip = missing.length > 0 && !isCI();
if (skip) console.warn(`SKIPPED: ${missingBinariesMessage(binDir, missing)}`);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function rssKiB(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

describe.skipIf(skip)('cluster harness', () => {
  let current: Cluster | undefined;

  afterEach(async ({ task }) => {
    if (current && task.result?.state === 'fail') console.error(tail(current.logs(), 120));
    await current?.stop();
    current = undefined;
  });

  it('throws a clear error pointing at npm run cluster:build when binaries are missing', async () => {
    await expect(startCluster({ binDir: '/nonexistent/kubeplan-bin' })).rejects.toThrow(/npm run cluster:build/);
  });

  it('starts clusters one after another, each stopped without leftovers', async () => {
    const seen: { server: string; dir: string; pids: number[] }[] = [];
    for (let i = 0; i < 2; i++) {
      const t0 = Date.now();
      const c = (current = await startCluster({ nodes: 1 }));
      const seconds = (Date.now() - t0) / 1000;
      const procs = c.processes();
      expect(procs.map((p) => p.name).sort()).toEqual(['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok']);
      expect(procs.every((p) => p.running)).toBe(true);
      // Settle for a moment so RSS reflects a running control plane, not mid-start.
      await new Promise((r) => setTimeout(r, 3_000));
      const rss = procs.map((p) => ({ name: p.name, mib: rssKiB(p.pid) / 1024 }));
      const total = rss.reduce((s, p) => s + p.mib, 0);
      console.log(
        `cluster #${i + 1}: started in ${seconds.toFixed(1)} s; RSS ${total.toFixed(0)} MiB (` +
          rss.map((p) => `${p.name} ${p.mib.toFixed(0)}`).join(', ') +
          ')',
      );

      // The module-level rest helper talks to the cluster just started.
      const v = await request('GET', '/version');
      expect(v.status).toBe(200);
      expect(existsSync(c.kubeconfigPath)).toBe(true);
      const nodes = await c.kubectl(['get', 'nodes', '-o', 'name']);
      expect(nodes.code, nodes.stderr).toBe(0);
      expect(nodes.stdout.trim()).toBe('node/kwok-node-0');
      expect(c.logs()).toContain('===== kube-apiserver');

      seen.push({ server: c.server, dir: c.dir, pids: procs.map((p) => p.pid) });
      await c.stop();
      current = undefined;
      expect(c.processes().every((p) => !p.running)).toBe(true);
      for (const pid of seen[i]!.pids) expect(alive(pid), `pid ${pid} still alive`).toBe(false);
      expect(existsSync(c.dir)).toBe(false);
      await expect(request('GET', '/version')).rejects.toThrow(/no cluster/);
      await c.stop(); // idempotent
    }
    expect(seen[0]!.dir).not.toBe(seen[1]!.dir);
  });
});
