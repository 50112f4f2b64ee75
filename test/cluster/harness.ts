// Starts a real Kubernetes control plane on 127.0.0.1 for the cluster test tier:
// etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok (fake
// nodes whose pods become Ready), built from Go modules by build.sh into a
// version-keyed cache outside the clone. Every port is a free random loopback
// port, every file lives in a fresh temp dir, and stop() kills each process
// group it started and removes the dir, so clusters can run one after another.
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { restClient, useCluster, currentTarget, type RequestFn } from './rest.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface ClusterVersions {
  kubernetes: string;
  kwok: string;
  etcd: string;
}

export interface StartClusterOptions {
  /** Fake (kwok) nodes to create; pods schedule onto them and become Ready. Default 2. */
  nodes?: number;
  /** Where the binaries are; default: the cache dir build.sh fills (see clusterBinDir()). */
  binDir?: string;
  /** Give up starting after this long. Default 90 s. */
  startTimeoutMs?: number;
  /** Keep the temp dir (certs, kubeconfigs, etcd data) after stop(). Also KUBEPLAN_CLUSTER_KEEP=1. */
  keepDir?: boolean;
  /** Extra kube-apiserver flags, e.g. ['--feature-gates=...']. */
  apiServerArgs?: string[];
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Cluster {
  /** Admin kubeconfig (client cert with O=system:masters, credentials embedded). */
  kubeconfigPath: string;
  /** https://127.0.0.1:<port> */
  server: string;
  /** The temp dir holding PKI, kubeconfigs and etcd data. */
  dir: string;
  binDir: string;
  versions: ClusterVersions;
  /** PEM of the CA and of the admin client certificate and key (for rest.ts / https). */
  tls: { ca: string; cert: string; key: string };
  /** Raw HTTPS requests as the admin (see rest.ts). */
  request: RequestFn;
  /** Runs the built kubectl against this cluster. Never throws on a non-zero exit. */
  kubectl(args: string[], opts?: { input?: string; timeoutMs?: number }): Promise<KubectlResult>;
  /** The processes the harness started (for stats such as resident memory). */
  processes(): { name: string; pid: number; running: boolean }[];
  /** Kills every process the harness started and removes the temp dir. Idempotent. */
  stop(): Promise<void>;
  /** Every component's output so far, each under a header. */
  logs(): string;
}

/** Versions pinned by test/cluster/go.mod and test/cluster/kwok/go.mod. */
export function clusterVersions(): ClusterVersions {
  const mainMod = readFileSync(path.join(here, 'go.mod'), 'utf8');
  const kwokMod = readFileSync(path.join(here, 'kwok', 'go.mod'), 'utf8');
  const version = (mod: string, module: string): string => {
    const escaped = module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const m = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v[0-9][^\\s]*)`, 'm').exec(mod);
    if (!m?.[1]) throw new Error(`cluster harness: no version of ${module} in go.mod`);
    return m[1];
  };
  return {
    kubernetes: version(mainMod, 'k8s.io/kubernetes'),
    etcd: version(mainMod, 'go.etcd.io/etcd/server/v3'),
    kwok: version(kwokMod, 'sigs.k8s.io/kwok'),
  };
}

/** The bin dir build.sh fills (same rule as paths.sh); KUBEPLAN_CLUSTER_BIN_DIR overrides it. */
export function clusterBinDir(): string {
  const override = process.env['KUBEPLAN_CLUSTER_BIN_DIR'];
  if (override) return override;
  const v = clusterVersions();
  const cacheRoot = process.env['KUBEPLAN_CACHE_DIR'] || path.join(os.homedir(), '.cache', 'kubeplan');
  return path.join(cacheRoot, 'cluster', `${v.kubernetes}-kwok-${v.kwok}-etcd-${v.etcd}`, 'bin');
}

export const CLUSTER_BINARIES = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', 'kwok'] as const;

/** The binaries (and kwok's stage config) missing from binDir; empty when the tier can run. */
export function missingBinaries(binDir: string = clusterBinDir()): string[] {
  const missing: string[] = CLUSTER_BINARIES.filter((b) => {
    try {
      return !(statSync(path.join(binDir, b)).mode & 0o111);
    } catch {
      return true;
    }
  });
  if (!existsSync(path.join(binDir, 'kwok-stages.yaml'))) missing.push('kwok-stages.yaml');
  return missing;
}

/** True when the CI env var is set (CI must fail, not skip, without binaries). */
export function isCI(): boolean {
  const ci = process.env['CI'];
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

export function missingBinariesMessage(binDir: string, missing: string[]): string {
  return (
    `cluster test tier: binaries not found in ${binDir} (missing: ${missing.join(', ')}).\n` +
    `Build them once with:  npm run cluster:build   (needs Go >= 1.26 and the Go module proxy; ` +
    `a cold build takes a while, see docs/cluster-tier.md)`
  );
}

// ---------------------------------------------------------------------------------------------

const LOG_CAP = 4 * 1024 * 1024; // per component; oldest output is dropped past this

class LogBuffer {
  private chunks: string[] = [];
  private size = 0;
  private dropped = 0;
  push(s: string): void {
    this.chunks.push(s);
    this.size += s.length;
    while (this.size > LOG_CAP && this.chunks.length > 1) {
      const first = this.chunks.shift() ?? '';
      this.size -= first.length;
      this.dropped += first.length;
    }
  }
  text(): string {
    return (this.dropped ? `[... ${this.dropped} earlier characters dropped ...]\n` : '') + this.chunks.join('');
  }
}

interface Proc {
  name: string;
  child: ChildProcess;
  log: LogBuffer;
  exited: Promise<void>;
  exit?: string;
}

/** Process groups still alive, killed hard if the test process exits without stop(). */
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const pgid of liveGroups) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });
}

function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  // Never reach a user's real cluster or a proxy: everything here talks to 127.0.0.1.
  for (const k of ['KUBECONFIG', 'HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'ALL_PROXY', 'all_proxy']) {
    if (!(k in extra)) delete env[k];
  }
  env['NO_PROXY'] = env['no_proxy'] = '127.0.0.1,localhost';
  return env;
}

function launch(name: string, bin: string, args: string[], env?: Record<string, string>): Proc {
  const log = new LogBuffer();
  log.push(`$ ${path.basename(bin)} ${args.join(' ')}\n`);
  const child = spawn(bin, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: childEnv(env) });
  const proc: Proc = { name, child, log, exited: Promise.resolve() };
  if (child.pid !== undefined) liveGroups.add(child.pid);
  installExitHook();
  child.stdout?.setEncoding('utf8').on('data', (d: string) => log.push(d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => log.push(d));
  proc.exited = new Promise<void>((resolve) => {
    child.once('error', (err) => {
      proc.exit = `failed to start: ${err.message}`;
      log.push(`[harness] ${name} ${proc.exit}\n`);
      resolve();
    });
    child.once('exit', (code, signal) => {
      proc.exit = signal ? `killed by ${signal}` : `exited with code ${code}`;
      log.push(`[harness] ${name} ${proc.exit}\n`);
      resolve();
    });
  });
  void proc.exited.then(() => {
    if (child.pid !== undefined) liveGroups.delete(child.pid);
  });
  return proc;
}

async function killGroup(proc: Proc, graceMs: number): Promise<void> {
  const pid = proc.child.pid;
  if (pid === undefined || proc.exit !== undefined) return;
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pid, sig);
    } catch {
      /* group already gone */
    }
  };
  signal('SIGTERM');
  const timedOut = await Promise.race([
    proc.exited.then(() => false),
    new Promise<boolean>((r) => setTimeout(() => r(true), graceMs).unref()),
  ]);
  // Also SIGKILL after a clean exit: anything the component forked shares its group.
  signal('SIGKILL');
  if (timedOut) await proc.exited;
  liveGroups.delete(pid);
}

/** Free loopback ports, all held open at once so they are distinct. */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const s = net.createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}

function run(bin: string, args: string[], opts: { cwd?: string; input?: string; timeoutMs?: number; env?: Record<string, string> } = {}): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: opts.cwd, stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], env: childEnv(opts.env) });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    if (child.stdin) {
      child.stdin.on('error', () => {}); // the program may exit without reading it all
      child.stdin.end(opts.input);
    }
  });
}

// --- PKI -------------------------------------------------------------------------------------

/** openssl extensions for the test PKIs: a CA, serving certs (loopback and the in-cluster names), client certs. */
export const OPENSSL_CNF = `
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = IP:127.0.0.1, DNS:localhost, IP:10.0.0.1, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

interface Pki {
  caCrt: string;
  caKey: string;
  apiserverCrt: string;
  apiserverKey: string;
  admin: { crt: string; key: string };
  controllerManager: { crt: string; key: string };
  scheduler: { crt: string; key: string };
  saKey: string;
  saPub: string;
}

export async function openssl(dir: string, args: string[]): Promise<void> {
  const r = await run('openssl', args, { cwd: dir, timeoutMs: 30_000 }).catch((err: Error) => {
    throw new Error(`cluster harness: openssl is needed for the test PKI (apt-get install openssl): ${err.message}`);
  });
  if (r.code !== 0) throw new Error(`openssl ${args.join(' ')} failed:\n${r.stderr}`);
}

/** A CA, the API server's serving cert, client certs, and the service-account signing key pair. */
async function makePki(dir: string): Promise<Pki> {
  await mkdir(dir, { recursive: true });
  const cnf = path.join(dir, 'openssl.cnf');
  await writeFile(cnf, OPENSSL_CNF);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await openssl(dir, ['req', '-x509', '-new', '-config', cnf, '-extensions', 'ca', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '7', '-subj', '/CN=kubeplan-test-ca']);
  const leaf = async (name: string, subj: string, ext: 'server' | 'client'): Promise<void> => {
    await openssl(dir, ['req', '-new', '-config', cnf, ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj]);
    const serial = `0x${randomBytes(12).toString('hex')}`;
    await openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', serial, '-days', '7', '-extfile', cnf, '-extensions', ext, '-out', `${name}.crt`]);
  };
  await Promise.all([
    leaf('apiserver', '/CN=kube-apiserver', 'server'),
    leaf('admin', '/O=system:masters/CN=kubeplan-admin', 'client'),
    leaf('controller-manager', '/CN=system:kube-controller-manager', 'client'),
    leaf('scheduler', '/CN=system:kube-scheduler', 'client'),
  ]);
  const sa = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'sec1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  await writeFile(path.join(dir, 'sa.key'), sa.privateKey, { mode: 0o600 });
  await writeFile(path.join(dir, 'sa.pub'), sa.publicKey);
  const read = (f: string): Promise<string> => readFile(path.join(dir, f), 'utf8');
  const pair = async (n: string): Promise<{ crt: string; key: string }> => ({ crt: await read(`${n}.crt`), key: await read(`${n}.key`) });
  return {
    caCrt: await read('ca.crt'),
    caKey: await read('ca.key'),
    apiserverCrt: await read('apiserver.crt'),
    apiserverKey: await read('apiserver.key'),
    admin: await pair('admin'),
    controllerManager: await pair('controller-manager'),
    scheduler: await pair('scheduler'),
    saKey: sa.privateKey,
    saPub: sa.publicKey,
  };
}

function kubeconfig(server: string, ca: string, user: string, cred: { crt: string; key: string }): string {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  return `apiVersion: v1
kind: Config
clusters:
- name: kubeplan-test
  cluster:
    server: ${server}
    certificate-authority-data: ${b64(ca)}
users:
- name: ${user}
  user:
    client-certificate-data: ${b64(cred.crt)}
    client-key-data: ${b64(cred.key)}
contexts:
- name: kubeplan-test
  context:
    cluster: kubeplan-test
    user: ${user}
    namespace: default
current-context: kubeplan-test
`;
}

function httpGet(url: string, timeoutMs = 2_000): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

function fakeNode(name: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': name,
        'node-role.kubernetes.io/agent': '',
        type: 'kwok',
      },
    },
    spec: {},
    status: {
      allocatable: { cpu: '32', memory: '256Gi', pods: '110' },
      capacity: { cpu: '32', memory: '256Gi', pods: '110' },
      nodeInfo: { architecture: 'amd64', operatingSystem: 'linux', kubeletVersion: 'fake', kubeProxyVersion: 'fake' },
    },
  };
}

// --- startCluster -----------------------------------------------------------------------------

/**
 * Starts etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok on 127.0.0.1,
 * creates `nodes` fake nodes, and resolves once /readyz is ok, the nodes are Ready and the
 * default service account exists (so pods can be created and will run).
 */
export async function startCluster(opts: StartClusterOptions = {}): Promise<Cluster> {
  const t0 = Date.now();
  const binDir = opts.binDir ?? clusterBinDir();
  const missing = missingBinaries(binDir);
  if (missing.length) throw new Error(missingBinariesMessage(binDir, missing));
  const versions = clusterVersions();
  const nodeCount = opts.nodes ?? 2;
  const deadline = t0 + (opts.startTimeoutMs ?? 90_000);
  const keepDir = opts.keepDir ?? process.env['KUBEPLAN_CLUSTER_KEEP'] === '1';
  const bin = (b: string): string => path.join(binDir, b);

  const dir = await mkdtemp(path.join(os.tmpdir(), 'kubeplan-cluster-'));
  const procs: Proc[] = [];
  const harnessLog = new LogBuffer();
  const note = (s: string): void => harnessLog.push(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${s}\n`);
  let stopped = false;

  const logs = (): string =>
    [`===== harness (${dir}) =====\n${harnessLog.text()}`, ...procs.map((p) => `===== ${p.name}${p.exit ? ` (${p.exit})` : ''} =====\n${p.log.text()}`)].join('\n');

  let target: Cluster | undefined;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    note('stopping');
    // Reverse start order: clients first, etcd last.
    for (const p of [...procs].reverse()) await killGroup(p, 5_000);
    if (target && currentTarget() === target) useCluster(undefined);
    if (!keepDir) await rm(dir, { recursive: true, force: true });
    note(keepDir ? `stopped; kept ${dir}` : 'stopped');
  };

  /** Polls until check() is truthy; fails early if a component died. */
  const waitFor = async <T>(what: string, check: () => Promise<T | undefined | false>): Promise<T> => {
    let lastErr = '';
    for (;;) {
      const dead = procs.find((p) => p.exit !== undefined);
      if (dead) throw new Error(`${dead.name} ${dead.exit} while waiting for ${what}`);
      try {
        const v = await check();
        if (v) return v;
      } catch (err) {
        lastErr = (err as Error).message;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastErr ? ` (last error: ${lastErr})` : ''}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  };

  try {
    const [etcdClientPort, etcdPeerPort, apiPort] = await freePorts(3);
    const server = `https://127.0.0.1:${apiPort}`;
    const pkiDir = path.join(dir, 'pki');
    const pki = await makePki(pkiDir);
    const pkiFile = (f: string): string => path.join(pkiDir, f);
    note('pki ready');

    const adminKubeconfig = path.join(dir, 'admin.kubeconfig');
    const kcmKubeconfig = path.join(dir, 'controller-manager.kubeconfig');
    const schedKubeconfig = path.join(dir, 'scheduler.kubeconfig');
    await Promise.all([
      writeFile(adminKubeconfig, kubeconfig(server, pki.caCrt, 'kubeplan-admin', pki.admin), { mode: 0o600 }),
      writeFile(kcmKubeconfig, kubeconfig(server, pki.caCrt, 'system:kube-controller-manager', pki.controllerManager), { mode: 0o600 }),
      writeFile(schedKubeconfig, kubeconfig(server, pki.caCrt, 'system:kube-scheduler', pki.scheduler), { mode: 0o600 }),
    ]);

    const etcdUrl = `http://127.0.0.1:${etcdClientPort}`;
    const peerUrl = `http://127.0.0.1:${etcdPeerPort}`;
    procs.push(
      launch('etcd', bin('etcd'), [
        '--name=kubeplan',
        `--data-dir=${path.join(dir, 'etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=kubeplan=${peerUrl}`,
        '--unsafe-no-fsync', // throwaway data: no fsync keeps tests fast
        '--log-level=warn',
      ]),
    );
    await waitFor('etcd /health', async () => {
      const r = await httpGet(`${etcdUrl}/health`);
      return r.status === 200 && r.text.includes('"true"');
    });
    note('etcd healthy');

    procs.push(
      launch('kube-apiserver', bin('kube-apiserver'), [
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${apiPort}`,
        `--tls-cert-file=${pkiFile('apiserver.crt')}`,
        `--tls-private-key-file=${pkiFile('apiserver.key')}`,
        `--client-ca-file=${pkiFile('ca.crt')}`,
        '--authorization-mode=Node,RBAC',
        `--service-account-issuer=https://kubernetes.default.svc.cluster.local`,
        `--service-account-key-file=${pkiFile('sa.pub')}`,
        `--service-account-signing-key-file=${pkiFile('sa.key')}`,
        '--service-cluster-ip-range=10.0.0.0/24',
        // Endpoints may not hold loopback addresses, so don't publish 127.0.0.1 for `kubernetes`.
        '--endpoint-reconciler-type=none',
        '--allow-privileged=true',
        '--profiling=false',
        ...(opts.apiServerArgs ?? []),
      ]),
    );
    const request = restClient({ server, tls: { ca: pki.caCrt, cert: pki.admin.crt, key: pki.admin.key } }, { timeoutMs: 10_000 });
    await waitFor('kube-apiserver /readyz', async () => (await request('GET', '/readyz')).status === 200);
    note('kube-apiserver ready');

    procs.push(
      launch('kube-controller-manager', bin('kube-controller-manager'), [
        `--kubeconfig=${kcmKubeconfig}`,
        `--authentication-kubeconfig=${kcmKubeconfig}`,
        `--authorization-kubeconfig=${kcmKubeconfig}`,
        '--bind-address=127.0.0.1',
        '--secure-port=0',
        '--leader-elect=false',
        '--use-service-account-credentials=true',
        `--service-account-private-key-file=${pkiFile('sa.key')}`,
        `--root-ca-file=${pkiFile('ca.crt')}`,
        '--service-cluster-ip-range=10.0.0.0/24',
        '--profiling=false',
      ]),
      launch('kube-scheduler', bin('kube-scheduler'), [
        `--kubeconfig=${schedKubeconfig}`,
        `--authentication-kubeconfig=${schedKubeconfig}`,
        `--authorization-kubeconfig=${schedKubeconfig}`,
        '--bind-address=127.0.0.1',
        '--secure-port=0',
        '--leader-elect=false',
        '--profiling=false',
      ]),
      launch(
        'kwok',
        bin('kwok'),
        [
          `--kubeconfig=${adminKubeconfig}`,
          `--config=${bin('kwok-stages.yaml')}`,
          '--manage-all-nodes=false',
          '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
          '--cidr=10.244.0.0/16',
          '--node-ip=10.255.0.1',
        ],
        // kwok reads ~/.kwok/kwok.yaml when present; give it a home of its own.
        { HOME: dir },
      ),
    );

    for (let i = 0; i < nodeCount; i++) {
      const r = await request('POST', '/api/v1/nodes', fakeNode(`kwok-node-${i}`));
      if (r.status !== 201) throw new Error(`creating node kwok-node-${i}: ${r.status} ${r.text}`);
    }
    await waitFor(`${nodeCount} Ready kwok nodes`, async () => {
      const r = await request('GET', '/api/v1/nodes');
      const items = (r.json?.items ?? []) as { status?: { conditions?: { type: string; status: string }[] } }[];
      const ready = items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      return ready.length >= nodeCount;
    });
    note('nodes ready');
    await waitFor('the default service account', async () => (await request('GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200);
    note(`cluster up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const cluster: Cluster = {
      kubeconfigPath: adminKubeconfig,
      server,
      dir,
      binDir,
      versions,
      tls: { ca: pki.caCrt, cert: pki.admin.crt, key: pki.admin.key },
      request,
      kubectl: (args, kopts = {}) =>
        run(bin('kubectl'), [`--kubeconfig=${adminKubeconfig}`, ...args], {
          cwd: dir,
          input: kopts.input,
          timeoutMs: kopts.timeoutMs ?? 60_000,
          // Discovery cache per cluster, inside its temp dir, not in ~/.kube.
          env: { KUBECONFIG: adminKubeconfig, KUBECACHEDIR: path.join(dir, 'kube-cache'), HOME: dir },
        }),
      processes: () => procs.flatMap((p) => (p.child.pid === undefined ? [] : [{ name: p.name, pid: p.child.pid, running: p.exit === undefined }])),
      stop,
      logs,
    };
    target = cluster;
    useCluster(cluster);
    return cluster;
  } catch (err) {
    note(`start failed: ${(err as Error).message}`);
    const text = logs();
    await stop();
    const e = new Error(`startCluster failed: ${(err as Error).message}\n${tail(text, 200)}`);
    (e as Error & { logs?: string }).logs = text;
    throw e;
  }
}

/**
 * For a test file that shares one cluster among its tests: wrap each test in `check` so that a failure is remembered,
 * and call `printLogsIfFailed` in afterAll to print the tail of the cluster's logs only then.
 */
export function failureLogs(): { check: (fn: () => Promise<void>) => () => Promise<void>; printLogsIfFailed: (cluster: Cluster | undefined) => void } {
  let failed = false;
  return {
    check: (fn) => async () => {
      try {
        await fn();
      } catch (e) {
        failed = true;
        throw e;
      }
    },
    printLogsIfFailed: (cluster) => {
      if (failed && cluster) console.log(tail(cluster.logs(), 40));
    },
  };
}

/** The last `lines` lines of each component's section: enough to see why something failed. */
export function tail(logsText: string, lines = 80): string {
  return logsText
    .split(/(?=^===== )/m)
    .map((section) => {
      const ls = section.split('\n');
      const header = ls[0] ?? '';
      const body = ls.slice(1);
      return body.length > lines ? `${header}\n[... ${body.length - lines} lines above ...]\n${body.slice(-lines).join('\n')}` : section;
    })
    .join('\n');
}
