// Reproduces the numbers in docs/cluster-tier.md: warm start time of the control plane and
// the resident memory of its processes, idle and with a small workload.
//   npx tsx test/cluster/measure.ts [runs]
import { readFileSync } from 'node:fs';
import { startCluster, type Cluster } from './harness.ts';

function rssMiB(c: Cluster): { total: number; each: string } {
  const each = c.processes().map((p) => {
    let kib = 0;
    try {
      kib = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p.pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      /* gone */
    }
    return { name: p.name, mib: kib / 1024 };
  });
  return { total: each.reduce((s, p) => s + p.mib, 0), each: each.map((p) => `${p.name} ${p.mib.toFixed(0)}`).join(', ') };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const runs = Number(process.argv[2] ?? 3);
const starts: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = Date.now();
  const c = await startCluster();
  starts.push((Date.now() - t0) / 1000);
  console.log(`start #${i + 1}: ${starts.at(-1)!.toFixed(1)} s`);
  if (i === runs - 1) {
    await sleep(20_000);
    const idle = rssMiB(c);
    console.log(`RSS idle (20 s after start): ${idle.total.toFixed(0)} MiB (${idle.each})`);
    const r = await c.kubectl(['create', 'deployment', 'load', '--image=registry.k8s.io/pause:3.10', '--replicas=20']);
    if (r.code !== 0) throw new Error(r.stderr);
    const w = await c.kubectl(['rollout', 'status', 'deployment/load', '--timeout=120s'], { timeoutMs: 130_000 });
    if (w.code !== 0) throw new Error(w.stderr);
    await sleep(20_000);
    const busy = rssMiB(c);
    console.log(`RSS with a 20-pod Deployment rolled out: ${busy.total.toFixed(0)} MiB (${busy.each})`);
  }
  await c.stop();
}
console.log(`warm starts: ${starts.map((s) => s.toFixed(1)).join(', ')} s`);
