// kubeplan plan versus `kubectl diff --server-side` on 1,000 objects in a real (test) cluster, in one run
// (issue 5: plan of 1,000 objects in under 3 s and at least 10× faster than kubectl diff).
//
// Starts a control plane with the cluster-tier harness, applies 1,000 generated objects server-side (field
// manager "kubeplan", the one kubeplan's dry-runs use), changes ~10% of them in a copy of the repo, then times
// both tools as whole processes on that copy and checks that they name the same changed objects.
// Needs the cluster binaries (`npm run cluster:build`) and a built CLI (`npm run -s build`; bench/run.sh does it).
// kubeplan is timed twice: as users run it (--server-dry-run changed, the default: LISTs, an offline plan, a
// server-side dry-run of the objects it changes only) and with --server-dry-run all (a dry-run of every object, as
// kubectl diff does). Each line prints the policy and the plan's own note on what the server checked.
// Env: BENCH_RUNS (default 3, median after one warm-up), BENCH_OBJECTS (default 1000), BENCH_KEEP=1 keeps the repo
// dirs, BENCH_PROFILE_DIR=<dir> CPU profiles of the kubeplan runs, BENCH_KUBEPLAN_BIN another built CLI (default dist/cli/main.js of this checkout), BENCH_RTT_MS=<n> also
// times both tools through a loopback TCP proxy that adds n ms of round-trip time (a cluster that is not local).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { clusterBinDir, missingBinaries, missingBinariesMessage, startCluster, type Cluster } from '../test/cluster/harness.ts';
import { ClusterClient, loadClusterLive, OpenApiCache, planFromCluster, type ServerDryRunPolicy } from '../src/cluster/index.ts';
import { parseText } from '../src/manifests/parse.ts';
import { kubeplanBin as defaultBin, ratio } from './lib.ts';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const total = Number(process.env.BENCH_OBJECTS ?? 1000);
const NAMESPACES = 10;
const FIELD_MANAGER = 'kubeplan';
const kubeplanBin = process.env.BENCH_KUBEPLAN_BIN ?? defaultBin;
const rttMs = Number(process.env.BENCH_RTT_MS ?? 0);
// BENCH_PROFILE_DIR=<dir>: every kubeplan run writes a V8 CPU profile there (where the process spends its time).
const profileArgs = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];

type Obj = Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } };

const missing = missingBinaries(clusterBinDir());
if (missing.length > 0) {
  console.log(`bench/plan: skipped. ${missingBinariesMessage(clusterBinDir(), missing)}`);
  process.exit(0);
}
if (!existsSync(kubeplanBin)) throw new Error(`bench/plan: ${kubeplanBin} is missing; run npm run -s build first`);

// ---------------------------------------------------------------------------------------------
// The repo: per namespace one Namespace and a mix of ConfigMaps, Secrets, ServiceAccounts, Services and
// Deployments that reference each other (envFrom, secretKeyRef, serviceAccountName, Service selectors), so
// kubeplan validate's cross-object rules have real work and find nothing to complain about.

function generate(count: number): Obj[][] {
  const perNs = Math.floor(count / NAMESPACES);
  const groups: Obj[][] = [];
  for (let n = 0; n < NAMESPACES; n++) {
    const ns = `bench-${String(n).padStart(2, '0')}`;
    const objs: Obj[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'app.kubernetes.io/part-of': 'bench' } } }];
    const budget = perNs + (n < count % NAMESPACES ? 1 : 0) - 1;
    // 15% Deployments (each with a Service, so 30%), 20% ServiceAccounts, 25% ConfigMaps, the rest Secrets.
    // Services stay well under the harness's /24 service CIDR (253 ClusterIPs) at 1,000 objects.
    const apps = Math.floor(budget * 0.15);
    const accounts = Math.floor(budget * 0.2);
    const configs = Math.floor(budget * 0.25);
    const secrets = budget - 2 * apps - accounts - configs;
    const labels = (app: string): Record<string, string> => ({ app, 'app.kubernetes.io/part-of': 'bench' });
    for (let i = 0; i < accounts; i++) objs.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `sa-${i}`, namespace: ns, labels: labels(`sa-${i}`) } });
    for (let i = 0; i < configs; i++) {
      objs.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `config-${i}`, namespace: ns, labels: labels(`config-${i}`) }, data: { LOG_LEVEL: 'info', CACHE_TTL: String(60 + i), 'app.properties': `feature.a=on\nfeature.b=off\nworkers=${(i % 8) + 1}\n` } });
    }
    for (let i = 0; i < secrets; i++) {
      objs.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `secret-${i}`, namespace: ns, labels: labels(`secret-${i}`) }, type: 'Opaque', stringData: { username: `user-${i}`, password: `bench-only-not-a-secret-${n}-${i}` } });
    }
    for (let i = 0; i < apps; i++) {
      const app = `app-${i}`;
      objs.push({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: app, namespace: ns, labels: labels(app) },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app } },
          template: {
            metadata: { labels: labels(app) },
            spec: {
              serviceAccountName: `sa-${i % Math.max(accounts, 1)}`,
              containers: [
                {
                  name: 'main',
                  image: `registry.k8s.io/pause:3.${9 + (i % 2)}`,
                  ports: [{ name: 'http', containerPort: 8080 }],
                  envFrom: configs > 0 ? [{ configMapRef: { name: `config-${i % configs}` } }] : [],
                  env: secrets > 0 ? [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: `secret-${i % secrets}`, key: 'password' } } }] : [],
                  resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
                  readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
                },
              ],
            },
          },
        },
      });
      objs.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: app, namespace: ns, labels: labels(app) }, spec: { selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
    }
    groups.push(objs);
  }
  return groups;
}

/** Change every tenth non-Namespace object, each in a way kubectl diff shows too (a value, a label, an image). */
function change(groups: Obj[][]): { groups: Obj[][]; changed: Set<string> } {
  const out = structuredClone(groups);
  const changed = new Set<string>();
  let i = 0;
  for (const objs of out) {
    for (const o of objs) {
      if (o.kind === 'Namespace') continue;
      if (i++ % 10 !== 0) continue;
      switch (o.kind) {
        case 'ConfigMap':
          (o.data as Record<string, string>).LOG_LEVEL = 'debug';
          break;
        case 'Secret':
          (o.stringData as Record<string, string>).password += '-rotated';
          break;
        case 'Deployment': {
          const c = ((o.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0])!;
          c.image = 'registry.k8s.io/pause:3.10.1';
          break;
        }
        default:
          o.metadata.annotations = { ...o.metadata.annotations, 'bench.kubeplan.dev/revision': '2' };
      }
      changed.add(key(o.kind, o.metadata.namespace, o.metadata.name));
    }
  }
  return { groups: out, changed };
}

function key(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ? `${namespace}/` : ''}${name}`;
}

function writeRepo(dir: string, groups: Obj[][]): string[] {
  mkdirSync(dir, { recursive: true });
  // Namespaces first: kubectl apply -f <dir> goes file by file in name order.
  const files = ['00-namespaces.yaml'];
  writeFileSync(join(dir, files[0]!), groups.map((g) => stringify(g[0])).join('---\n'));
  for (const g of groups) {
    const file = `10-${g[0]!.metadata.name}.yaml`;
    writeFileSync(join(dir, file), g.slice(1).map((o) => stringify(o, { lineWidth: 0 })).join('---\n'));
    files.push(file);
  }
  return files;
}

// ---------------------------------------------------------------------------------------------
// Timing. Asynchronous on purpose: the harness reads every component's log through pipes in this
// process, and a blocked event loop (spawnSync) would stall the API server once a pipe is full.

interface Run {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
  /** CPU seconds the kube-apiserver spent while the command ran (Linux /proc; NaN elsewhere). */
  serverCpu?: number;
}

/** user+system CPU seconds of a process so far, from /proc/<pid>/stat (NaN when unavailable). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100 on Linux)
  } catch {
    return NaN;
  }
}

async function withServerCpu(pid: number | undefined, fn: () => Promise<Run>): Promise<Run> {
  const before = cpuSeconds(pid);
  const r = await fn();
  return { ...r, serverCpu: cpuSeconds(pid) - before };
}

function timeProcess(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ ms: performance.now() - t, code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** Median of n timed runs after a warm-up; every run (not just the median) must exit with `code`. */
async function median(n: number, fn: () => Promise<Run>, code: number, what: string): Promise<{ median: Run; all: number[]; serverCpu: number }> {
  await fn(); // warm-up: page cache, kubeplan's compiled-schema and OpenAPI caches, kubectl's discovery cache
  const all: Run[] = [];
  for (let i = 0; i < n; i++) {
    const r = await fn();
    if (r.code !== code) throw new Error(`${what} exited ${r.code} after ${r.ms.toFixed(0)} ms (expected ${code}):\n${r.stderr.slice(-4000)}`);
    all.push(r);
  }
  const sorted = [...all].sort((a, b) => a.ms - b.ms);
  const cpu = all.map((r) => r.serverCpu ?? NaN).sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, all: all.map((r) => Math.round(r.ms)), serverCpu: cpu[Math.floor(cpu.length / 2)]! };
}

/**
 * In-process breakdown of the cluster phase of a plan (no node start-up, no validation, no output): LISTs only,
 * LISTs plus a dry-run of every object, then planFromCluster (LISTs, dry-runs, computePlan) under each policy.
 */
async function clusterPhases(kubeconfig: string, dir: string, files: string[], cache: string): Promise<string> {
  const desired = files.flatMap((f) => parseText(join(dir, f), readFileSync(join(dir, f), 'utf8')).manifests);
  const client = await ClusterClient.fromKubeConfig({ kubeconfig });
  const openapi = new OpenApiCache(client, join(cache, 'openapi'));
  const out: string[] = [];
  try {
    for (const [label, dryRun] of [['loadClusterLive, lists only', false], ['loadClusterLive, lists + every dry-run (8 in flight)', true]] as const) {
      const t = performance.now();
      const live = await loadClusterLive({ client, desired, defaultNamespace: 'default', dryRun, openapi });
      out.push(`${label}: ${(performance.now() - t).toFixed(0)} ms (${live.requests.list} LIST, ${live.requests.dryRun} dry-run, ${live.requests.other} other requests)`);
    }
    for (const policy of ['none', 'changed', 'all'] as const) {
      const t = performance.now();
      const r = await planFromCluster({ client, desired, settings: { defaultNamespace: 'default' }, serverDryRun: policy, openapi });
      const { requests } = r.live;
      out.push(`planFromCluster --server-dry-run ${policy}: ${(performance.now() - t).toFixed(0)} ms (${requests.list} LIST, ${requests.dryRun} dry-run, ${requests.other} other requests; ${r.plan.changes.filter((c) => c.action !== 'noop').length} changes)`);
    }
  } finally {
    client.close();
  }
  return out.join('\n  ');
}

/**
 * A TCP proxy on 127.0.0.1 that holds every chunk for rtt/2 ms in each direction (same delay, so order is kept).
 * TLS passes through untouched: the API server's certificate is valid for 127.0.0.1 on any port. Its sockets set
 * TCP_NODELAY, as both tools' HTTP clients and the API server do: with Nagle on its own hops the proxy added waits
 * for ACKs of its delayed writes on top of the RTT (LISTs of a kubeplan plan took ~0.85 s instead of ~0.45 s).
 */
async function latencyProxy(target: URL, rtt: number): Promise<{ port: number; close: () => void }> {
  const half = rtt / 2;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      sockets.add(from);
      from.on('data', (d) => setTimeout(() => to.write(d), half));
      from.on('end', () => setTimeout(() => to.end(), half));
      from.on('error', () => to.destroy());
      from.on('close', () => sockets.delete(from));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

interface PlanJson {
  changes: { action: string; object: { kind: string; namespace?: string; name: string } }[];
  summary: Record<string, number>;
  live: { notes: string[] };
  incomplete: boolean;
}

/** The plan's note on what the server checked ("server dry-run: changed: 99 changed object(s) checked …"). */
function dryRunNote(doc: PlanJson): string {
  return doc.live.notes.find((n) => n.startsWith('server dry-run:')) ?? '(no server dry-run note)';
}

/** kubectl diff names each object's files <group.>version.Kind.namespace.name under LIVE-*\/ and MERGED-*\/. */
function kubectlDiffObjects(out: string): Set<string> {
  const set = new Set<string>();
  for (const m of out.matchAll(/^diff -u -N \S*\/LIVE-[^/\s]*\/(\S+) /gm)) {
    const parts = m[1]!.split('.');
    const name = parts.at(-1)!;
    const namespace = parts.at(-2)!;
    const kind = parts.at(-3)!;
    set.add(key(kind, namespace || undefined, name));
  }
  return set;
}

function planObjects(doc: PlanJson): Set<string> {
  return new Set(doc.changes.filter((c) => c.action !== 'noop').map((c) => key(c.object.kind, c.object.namespace, c.object.name)));
}

function compare(a: Set<string>, b: Set<string>): { agree: boolean; onlyA: string[]; onlyB: string[] } {
  const onlyA = [...a].filter((k) => !b.has(k)).sort();
  const onlyB = [...b].filter((k) => !a.has(k)).sort();
  return { agree: onlyA.length === 0 && onlyB.length === 0, onlyA, onlyB };
}

// ---------------------------------------------------------------------------------------------

const work = mkdtempSync(join(tmpdir(), 'kubeplan-bench-plan-'));
const repoV1 = join(work, 'repo-v1');
const repoV2 = join(work, 'repo-v2');
// kubeplan's caches (compiled schemas, the cluster's OpenAPI documents keyed by its random URL) go here, not
// into ~/.cache/kubeplan: the warm-up run fills them, as a user's first plan would.
const kubeplanCache = join(work, 'kubeplan-cache');
const groups = generate(total);
const { groups: groupsV2, changed } = change(groups);
const objectCount = groups.reduce((n, g) => n + g.length, 0);
writeRepo(repoV1, groups);
const files = writeRepo(repoV2, groupsV2);

let cluster: Cluster | undefined;
let proxy: { port: number; close: () => void } | undefined;
try {
  let t = performance.now();
  cluster = await startCluster({ nodes: 2 });
  const c = cluster;
  console.log(`cluster: ${c.versions.kubernetes} up in ${((performance.now() - t) / 1000).toFixed(1)} s (${c.server})`);

  t = performance.now();
  const applied = await c.kubectl(['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '-f', repoV1], { timeoutMs: 600_000 });
  if (applied.code !== 0) throw new Error(`kubectl apply failed (${applied.code}):\n${applied.stderr.slice(-4000)}`);
  const appliedLines = applied.stdout.trim().split('\n').filter((l) => / serverside-applied$/.test(l)).length;
  console.log(`applied ${appliedLines} objects server-side as "${FIELD_MANAGER}" in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  console.log(`objects: ${objectCount} in ${NAMESPACES} namespaces; changed in the repo: ${changed.size}`);

  const kubeplanEnv: NodeJS.ProcessEnv = { ...process.env, KUBEPLAN_CACHE_DIR: kubeplanCache, NO_COLOR: '1' };
  delete kubeplanEnv.KUBECONFIG;
  const apiServerPid = c.processes().find((p) => p.name === 'kube-apiserver')?.pid;
  /** `policy` undefined: as users run it, without --server-dry-run (default changed). */
  const kubeplanRun = (dir: string, kubeconfig: string, policy?: ServerDryRunPolicy): Promise<Run> =>
    withServerCpu(apiServerPid, () => timeProcess(process.execPath, [...profileArgs, kubeplanBin, 'plan', dir, '--kubeconfig', kubeconfig, '-o', 'json', ...(policy ? ['--server-dry-run', policy] : [])], kubeplanEnv));
  const kubectlRun = (dir: string, kubeconfig: string): Promise<Run> =>
    withServerCpu(apiServerPid, async () => {
      const t0 = performance.now();
      // The harness passes its admin kubeconfig first; a later --kubeconfig wins (the proxy's copy of it).
      const r = await c.kubectl([`--kubeconfig=${kubeconfig}`, 'diff', '--server-side', `--field-manager=${FIELD_MANAGER}`, '-f', dir], { timeoutMs: 900_000 });
      return { ms: performance.now() - t0, code: r.code, stdout: r.stdout, stderr: r.stderr };
    });

  // Sanity: on the repo as applied both tools see nothing to do.
  const cleanPlan = await kubeplanRun(repoV1, c.kubeconfigPath);
  const cleanDoc = JSON.parse(cleanPlan.stdout) as PlanJson;
  const cleanDiff = await kubectlRun(repoV1, c.kubeconfigPath);
  console.log(`unchanged repo: kubeplan ${planObjects(cleanDoc).size} changes (exit ${cleanPlan.code}; ${dryRunNote(cleanDoc)}), kubectl diff ${kubectlDiffObjects(cleanDiff.stdout).size} objects (exit ${cleanDiff.code})`);

  /** n: timed runs of kubeplan (each policy); nKubectl: of kubectl diff. */
  const compareTools = async (label: string, kubeconfig: string, n: number, nKubectl = n): Promise<void> => {
    const kp = await median(n, () => kubeplanRun(repoV2, kubeconfig), 0, 'kubeplan plan');
    const kpAll = await median(n, () => kubeplanRun(repoV2, kubeconfig, 'all'), 0, 'kubeplan plan --server-dry-run all');
    const kc = await median(nKubectl, () => kubectlRun(repoV2, kubeconfig), 1, 'kubectl diff (1 = differences expected)');
    const doc = JSON.parse(kp.median.stdout) as PlanJson;
    const docAll = JSON.parse(kpAll.median.stdout) as PlanJson;
    const kpSet = planObjects(doc);
    const kcSet = kubectlDiffObjects(kc.median.stdout);
    const vsKubectl = compare(kpSet, kcSet);
    const vsTruth = compare(kpSet, changed);
    const vsAll = compare(kpSet, planObjects(docAll));
    const cpu = (s: number): string => (Number.isNaN(s) ? '' : `, API server CPU ${s.toFixed(2)} s`);
    const line = (name: string, r: typeof kp, d: PlanJson): string =>
      `${name}: median ${r.median.ms.toFixed(0)} ms of ${n} runs ${JSON.stringify(r.all)}${cpu(r.serverCpu)}, summary ${JSON.stringify(d.summary)}${d.incomplete ? ' (INCOMPLETE: validation errors)' : ''}\n  ${dryRunNote(d)}`;
    console.log(`== ${label} (load average after the runs: ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores)`);
    console.log(line('kubeplan plan -o json (policy: --server-dry-run changed, the default)', kp, doc));
    console.log(line('kubeplan plan -o json --server-dry-run all (for comparison)', kpAll, docAll));
    console.log(`kubectl diff --server-side: median ${kc.median.ms.toFixed(0)} ms of ${nKubectl} runs ${JSON.stringify(kc.all)}${cpu(kc.serverCpu)}, ${kcSet.size} objects differ`);
    console.log(`ratio kubectl diff / kubeplan plan (changed): ${ratio(kc.median.ms, kp.median.ms)} (target ≥ 10×); kubeplan under 3 s: ${kp.median.ms < 3000 ? 'yes' : 'NO'}`);
    console.log(`ratio kubectl diff / kubeplan plan --server-dry-run all: ${ratio(kc.median.ms, kpAll.median.ms)}; under 3 s: ${kpAll.median.ms < 3000 ? 'yes' : 'NO'}`);
    console.log(`changed objects agree (kubeplan vs kubectl diff): ${vsKubectl.agree ? 'yes' : `NO; only kubeplan: ${vsKubectl.onlyA.slice(0, 10).join(', ') || '-'}; only kubectl: ${vsKubectl.onlyB.slice(0, 10).join(', ') || '-'}`}`);
    console.log(`changed objects agree (kubeplan changed vs all): ${vsAll.agree ? 'yes' : `NO; only changed: ${vsAll.onlyA.slice(0, 10).join(', ') || '-'}; only all: ${vsAll.onlyB.slice(0, 10).join(', ') || '-'}`}`);
    console.log(`kubeplan vs the objects the bench changed: ${vsTruth.agree ? 'same' : `differ; only kubeplan: ${vsTruth.onlyA.slice(0, 10).join(', ') || '-'}; not in the plan: ${vsTruth.onlyB.slice(0, 10).join(', ') || '-'}`}`);
    // Where kubeplan's time goes: the cluster phase in-process (no node start-up, no validation, no output).
    console.log(`cluster phase of a plan, in-process (src/cluster):\n  ${await clusterPhases(kubeconfig, repoV2, files, kubeplanCache)}`);
  };

  await compareTools(`loopback (${c.server})`, c.kubeconfigPath, runs);
  if (rttMs > 0) {
    proxy = await latencyProxy(new URL(c.server), rttMs);
    const slow = join(work, 'rtt.kubeconfig');
    writeFileSync(slow, readFileSync(c.kubeconfigPath, 'utf8').split(c.server).join(`https://127.0.0.1:${proxy.port}`));
    // kubectl diff takes minutes at this latency: one timed run after the warm-up; kubeplan as many as on loopback.
    await compareTools(`through a proxy adding ${rttMs} ms round-trip time`, slow, runs, 1);
  }
} finally {
  proxy?.close();
  await cluster?.stop();
  if (process.env.BENCH_KEEP === '1') console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
