// `kubeplan plan --kubeconfig` end to end: the built CLI against a real API server. The bundled example
// (fixtures/example-app/manifests) is applied server-side as field manager "kubeplan" (what `kubeplan apply`
// will do), then planned as users run it: no changes (exit 0 with --detailed-exitcode), one changed value
// (exit 2, the change named), an unknown --context (exit 2, usage) and a cluster that does not answer
// (exit 1, one line, no stack trace: 2 would tell a pipeline there are changes).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import buildOnce from '../setup/build-once.ts';
import { clusterBinDir, failureLogs, isCI, missingBinaries, missingBinariesMessage, openssl, startCluster, type Cluster } from './harness.ts';
import type { CliResult } from '../cli/run-cli.ts';
import { runKubeplan } from './plan-helpers.ts';

const missing = missingBinaries(clusterBinDir());
const skip = missing.length > 0 && !isCI();
if (skip) console.warn(`SKIPPED: ${missingBinariesMessage(clusterBinDir(), missing)}`);

const root = fileURLToPath(new URL('../..', import.meta.url));
const manifests = 'fixtures/example-app/manifests';

describe.skipIf(skip)('kubeplan plan --kubeconfig against a real cluster', () => {
  let cluster: Cluster | undefined;
  let work: string;
  const { check, printLogsIfFailed } = failureLogs();

  /** The built CLI, asynchronously: the harness reads component logs through pipes in this process. */
  function kubeplan(args: string[]): Promise<CliResult> {
    // Caches (compiled schemas, this cluster's OpenAPI documents) in the test's temp dir.
    return runKubeplan(args, { cwd: root, cacheDir: path.join(work, 'cache') });
  }

  /** The lines kubeplan itself writes to stderr (validation warnings are the stylish report's). */
  function ownLines(stderr: string): string[] {
    return stderr.split('\n').filter((l) => l.startsWith('kubeplan:'));
  }

  beforeAll(async () => {
    buildOnce(); // dist/cli/main.js, as the fast tier's CLI tests use it
    work = mkdtempSync(path.join(os.tmpdir(), 'kubeplan-cli-plan-'));
    cluster = await startCluster({ nodes: 1 });
    const applied = await cluster.kubectl(['apply', '--server-side', '--field-manager=kubeplan', '-f', path.join(root, manifests)]);
    if (applied.code !== 0) throw new Error(`kubectl apply: ${applied.stderr}`);
    // The HorizontalPodAutoscaler raises the Deployment to minReplicas (2): a field the repo leaves out,
    // owned by another manager, that the plan must not report.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const r = await cluster.request('GET', '/apis/apps/v1/namespaces/shop/deployments/web');
      if ((r.json?.spec as { replicas?: number } | undefined)?.replicas === 2) break;
      if (Date.now() > deadline) throw new Error(`the HPA did not scale shop/web to 2 replicas: ${r.text.slice(0, 500)}`);
      await new Promise((res) => setTimeout(res, 250));
    }
  });
  afterAll(async () => {
    printLogsIfFailed(cluster);
    await cluster?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the applied example: exit 0 and "No changes" with --detailed-exitcode', check(async () => {
    const r = await kubeplan(['plan', manifests, '--kubeconfig', cluster!.kubeconfigPath, '--detailed-exitcode']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`kubeplan plan: repo vs cluster ${cluster!.server}`);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('No changes. Live state matches the repo.');
    expect(ownLines(r.stderr)).toEqual([]);
  }));

  it('one changed value in a copy of the repo: exit 2, and the plan names that object and field only', check(async () => {
    const repo = path.join(work, 'manifests');
    cpSync(path.join(root, manifests), repo, { recursive: true });
    const file = path.join(repo, '30-web.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('image: ghcr.io/example/shop-web:1.8.1');
    writeFileSync(file, text.replace('shop-web:1.8.1', 'shop-web:1.8.2'));

    const r = await kubeplan(['plan', repo, '--kubeconfig', cluster!.kubeconfigPath, '--detailed-exitcode']);
    expect(r.status, r.stdout + r.stderr).toBe(2);
    expect(r.stdout).toContain('~ update Deployment shop/web');
    expect(r.stdout).toContain('~ spec.template.spec.containers[name=web].image: "ghcr.io/example/shop-web:1.8.1" → "ghcr.io/example/shop-web:1.8.2"');
    expect(r.stdout).toContain('Plan: 0 to create, 1 to update, 0 to replace, 0 to delete.');

    const json = await kubeplan(['plan', repo, '--kubeconfig', cluster!.kubeconfigPath, '-o', 'json']);
    expect(json.status, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as { changes: { action: string; basis?: string; object: { kind: string; namespace?: string; name: string } }[] };
    const changed = doc.changes.filter((c) => c.action !== 'noop');
    expect(changed.map((c) => `${c.action} ${c.object.kind} ${c.object.namespace}/${c.object.name}`)).toEqual(['update Deployment shop/web']);
  }));

  /** A kubeconfig whose user is a Node exec plugin (`script`), for the test cluster. */
  function execKubeconfig(name: string, script: string): string {
    const plugin = path.join(work, `${name}.mjs`);
    writeFileSync(plugin, script);
    const kubeconfig = path.join(work, `${name}.kubeconfig`);
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: cluster!.server, 'certificate-authority-data': Buffer.from(cluster!.tls.ca).toString('base64') } }],
        users: [{ name: 'u', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [plugin], interactiveMode: 'Never' } } }],
        contexts: [{ name: 'exec', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'exec',
      }),
    );
    return kubeconfig;
  }
  /** An ExecCredential printing statement with this client certificate and key (JavaScript expressions). */
  const credential = (cert: string, key: string, expires: boolean): string =>
    `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { ${expires ? 'expirationTimestamp: new Date(Date.now() + 3600e3).toISOString(), ' : ''}clientCertificateData: ${cert}, clientKeyData: ${key} } }));\n`;

  it('a kubeconfig whose user is an exec credential plugin: the plugin runs (in the credentials worker) and the plan works', check(async () => {
    // A real exec plugin: a Node script that prints an ExecCredential with the admin client certificate, and leaves
    // a mark that it ran. client-node runs it; kubeplan loads client-node in a worker while it validates the repo.
    const mark = path.join(work, 'exec-plugin.ran');
    for (const expires of [true, false]) {
      rmSync(mark, { force: true });
      const kubeconfig = execKubeconfig(`exec-${expires}`, `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(mark)}, 'x');\n${credential(JSON.stringify(cluster!.tls.cert), JSON.stringify(cluster!.tls.key), expires)}`);
      const r = await kubeplan(['plan', manifests, '--kubeconfig', kubeconfig, '--detailed-exitcode']);
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout.trim().split('\n').at(-1)).toBe('No changes. Live state matches the repo.');
      // Once per run, with an expiry (valid for an hour) and without one (client-go's rule: until the server refuses
      // it), for the plan's dozens of requests.
      expect(readFileSync(mark, 'utf8'), `expirationTimestamp: ${expires}`).toBe('x');
    }
  }));

  it('an exec credential the API server refuses (401): the plugin is asked again once, and the plan works', check(async () => {
    // The first run prints a client certificate of a CA the cluster does not trust; every later run the admin's.
    const stranger = path.join(work, 'stranger');
    mkdirSync(stranger, { recursive: true });
    await openssl(stranger, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-subj', '/CN=stranger', '-days', '1']);
    const mark = path.join(work, 'refused-plugin.ran');
    const first = { cert: readFileSync(path.join(stranger, 'cert.pem'), 'utf8'), key: readFileSync(path.join(stranger, 'key.pem'), 'utf8') };
    const kubeconfig = execKubeconfig(
      'refused',
      `import { appendFileSync, existsSync } from 'node:fs';\nconst again = existsSync(${JSON.stringify(mark)});\nappendFileSync(${JSON.stringify(mark)}, 'x');\n` +
        credential(`again ? ${JSON.stringify(cluster!.tls.cert)} : ${JSON.stringify(first.cert)}`, `again ? ${JSON.stringify(cluster!.tls.key)} : ${JSON.stringify(first.key)}`, false),
    );
    const r = await kubeplan(['plan', manifests, '--kubeconfig', kubeconfig, '--detailed-exitcode']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('No changes. Live state matches the repo.');
    expect(readFileSync(mark, 'utf8')).toBe('xx');
  }));

  it('--context that the kubeconfig lacks: exit 2 with one clear line naming it', check(async () => {
    const r = await kubeplan(['plan', manifests, '--kubeconfig', cluster!.kubeconfigPath, '--context', 'nope', '--detailed-exitcode']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(ownLines(r.stderr)).toEqual([expect.stringMatching(/^kubeplan: kubeconfig .*: context "nope" is not in the kubeconfig \(have: \S+/)]);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).not.toContain('internal error');
  }));

  it('a kubeconfig whose server port is closed: exit 1 (not 2, which means "changes"), one line, no stack trace', check(async () => {
    const port = await closedPort();
    const kubeconfig = path.join(work, 'closed.kubeconfig');
    writeFileSync(kubeconfig, readFileSync(cluster!.kubeconfigPath, 'utf8').split(cluster!.server).join(`https://127.0.0.1:${port}`));
    const r = await kubeplan(['plan', manifests, '--kubeconfig', kubeconfig, '--detailed-exitcode']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(ownLines(r.stderr)).toEqual([expect.stringMatching(new RegExp(`^kubeplan: cannot read the live state from cluster https://127\\.0\\.0\\.1:${port} \\(context [^)]+\\): .*ECONNREFUSED`))]);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).not.toContain('internal error');
  }));
});

/** A loopback port nothing listens on (bound once, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
