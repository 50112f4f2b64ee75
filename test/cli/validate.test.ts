// `kubeplan validate` end to end: the built binary, real files, real git repositories, every output format.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJsonReport, runCli } from './run-cli.ts';

const broken = 'fixtures/validate/broken';
const clean = 'fixtures/validate/clean';

describe('kubeplan validate: exit codes', () => {
  it('exits 0 on a clean repo and says what it checked', () => {
    const r = runCli(['validate', clean]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/no problems \(3 objects in 1 file checked against Kubernetes 1\.36\)/);
  });

  it('exits 1 on error findings, YAML syntax errors included', () => {
    expect(runCli(['validate', broken]).status).toBe(1);
    expect(runCli(['validate', `${broken}/syntax.yaml`]).status).toBe(1);
  });

  it('exits 2 on usage errors with one line and no stack trace', () => {
    for (const args of [['validate', 'does-not-exist.yaml'], ['validate', '--bogus', clean], ['validate', '-k', '1.12', clean], ['validate'], ['validate', '--staged', '--ref', 'HEAD']]) {
      const r = runCli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    }
  });

  it('exits 2 with file:line:column for an invalid .kubeplan.yaml', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeplan-config-'));
    writeFileSync(join(dir, '.kubeplan.yaml'), 'defaultNamespace: shop\nstrictt: true\n');
    writeFileSync(join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
    const r = runCli(['validate', 'cm.yaml'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('.kubeplan.yaml:2:1: unknown setting "strictt"');
  });

  it('--max-warnings turns warnings into a failing exit code', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeplan-warn-'));
    // A committed Secret is a warning, not an error.
    writeFileSync(join(dir, 's.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: a}\nstringData: {token: abc}\n');
    expect(runCli(['validate', 's.yaml'], { cwd: dir }).status).toBe(0);
    expect(runCli(['validate', 's.yaml', '--max-warnings', '0'], { cwd: dir }).status).toBe(1);
  });
});

describe('kubeplan validate: findings', () => {
  const report = parseJsonReport(runCli(['validate', broken, '-o', 'json']).stdout);
  const byRule = (rule: string) => report.findings.filter((f) => f.rule === rule);

  it('points schema, API-server and cross-object findings at the offending line and column', () => {
    const file = `${broken}/deployment.yaml`;
    expect(byRule('object-name')[0]).toMatchObject({ file, line: 5, column: 9, severity: 'error' });
    expect(byRule('schema')[0]).toMatchObject({ file, line: 8, column: 13 });
    expect(byRule('unknown-field')[0]).toMatchObject({ file, line: 21, column: 11 });
    expect(byRule('unknown-field')[0]?.message).toContain('resources');
    expect(byRule('workload-selector-mismatch')[0]).toMatchObject({ file, line: 10 });
    expect(byRule('yaml-syntax')[0]).toMatchObject({ file: `${broken}/syntax.yaml`, object: null });
  });

  it('names the object of every object finding', () => {
    expect(byRule('schema')[0]?.object).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'Web_App' });
  });

  it('summarises counts the way the exit code reads them', () => {
    expect(report.summary.errors).toBe(report.findings.filter((f) => f.severity === 'error' && !f.suppressed).length);
    expect(report.summary.kubernetesVersion).toBe('1.36');
  });
});

describe('kubeplan validate: inputs', () => {
  it("reads '-' from stdin", () => {
    const text = readFileSync(`${broken}/service.yaml`, 'utf8').replace('name: web\n', 'name: Bad_Name\n');
    const r = runCli(['validate', '-', '-o', 'json'], { input: text });
    expect(r.status).toBe(1);
    expect(parseJsonReport(r.stdout).findings.find((f) => f.rule === 'object-name')).toMatchObject({ file: '-', line: 4 });
  });

  it('validates against an older Kubernetes version and names removed APIs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeplan-removed-'));
    writeFileSync(join(dir, 'pdb.yaml'), 'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: p, namespace: a}\nspec:\n  minAvailable: 1\n  selector: {matchLabels: {app: a}}\n');
    const r = runCli(['validate', 'pdb.yaml', '-o', 'json'], { cwd: dir });
    const removed = parseJsonReport(r.stdout).findings.find((f) => f.rule === 'removed-api');
    expect(removed?.message).toMatch(/policy\/v1\b/);
    expect(removed?.message).toMatch(/1\.25/);
  });

  it('--staged checks the index, not the working tree, with the whole repo as context', () => {
    const repo = mkdtempSync(join(tmpdir(), 'kubeplan-staged-'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@e', '-c', 'user.name=t', ...args], { cwd: repo, encoding: 'utf8' });
    git('init', '-q');
    mkdirSync(join(repo, 'app'));
    writeFileSync(join(repo, 'app', 'deployment.yaml'), readFileSync(`${clean}/app.yaml`, 'utf8'));
    // Already committed and invalid: context only, never reported while it is not staged.
    writeFileSync(join(repo, 'app', 'legacy.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Legacy_Name, namespace: shop}\n');
    git('add', '-A');
    git('commit', '-qm', 'init');
    // The Service in a new file selects pods of the Deployment committed earlier: context from the index.
    writeFileSync(join(repo, 'app', 'svc2.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: api2, namespace: shop}\nspec:\n  selector: {app.kubernetes.io/name: api}\n  ports: [{port: 81, targetPort: http}]\n');
    git('add', 'app/svc2.yaml');
    // Broken only in the working tree: not staged, so not checked.
    writeFileSync(join(repo, 'app', 'svc2.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: API2}\n');
    const ok = runCli(['validate', '--staged', '-o', 'json'], { cwd: repo });
    expect(ok.status, ok.stderr).toBe(0);
    expect(parseJsonReport(ok.stdout).findings.filter((f) => f.severity !== 'info')).toEqual([]);
    // Stage a Service whose named port no container has: reported, because the Deployment is known from the index.
    writeFileSync(join(repo, 'app', 'svc2.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: api2, namespace: shop}\nspec:\n  selector: {app.kubernetes.io/name: api}\n  ports: [{port: 81, targetPort: grpc}]\n');
    git('add', 'app/svc2.yaml');
    const bad = runCli(['validate', '--staged', '-o', 'json'], { cwd: repo });
    expect(bad.status).toBe(1);
    const findings = parseJsonReport(bad.stdout).findings;
    expect(findings.every((f) => f.file === 'app/svc2.yaml')).toBe(true);
    expect(findings.some((f) => f.message.includes('grpc'))).toBe(true);
  });
});

describe('kubeplan validate: configuration', () => {
  it('ignorePaths (relative to the config file) drops files entirely, from any working directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeplan-ignore-'));
    mkdirSync(join(dir, 'deploy', 'vendor'), { recursive: true });
    writeFileSync(join(dir, '.kubeplan.yaml'), 'ignorePaths: ["deploy/vendor/**"]\n');
    writeFileSync(join(dir, 'deploy', 'vendor', 'chart.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Vendor_Name}\n');
    writeFileSync(join(dir, 'deploy', 'app.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\n');
    const fromRoot = runCli(['validate', 'deploy', '-o', 'json'], { cwd: dir });
    expect(fromRoot.status, fromRoot.stdout).toBe(0);
    expect(parseJsonReport(fromRoot.stdout).summary.files).toBe(1);
    const fromSub = runCli(['validate', '.', '-o', 'json'], { cwd: join(dir, 'deploy') });
    expect(fromSub.status).toBe(0);
    // Without the config the vendored file is checked (and fails).
    expect(runCli(['validate', 'deploy', '-c', join(tmpdir(), 'none.yaml')], { cwd: dir }).status).toBe(2);
    writeFileSync(join(dir, '.kubeplan.yaml'), 'ignorePaths: []\n');
    expect(runCli(['validate', 'deploy'], { cwd: dir }).status).toBe(1);
  });
});

describe('kubeplan validate: output formats', () => {
  it('sarif is one SARIF 2.1.0 log with rules and regions', () => {
    const r = runCli(['validate', broken, '-o', 'sarif']);
    const log = JSON.parse(r.stdout) as { version: string; runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run?.tool.driver.rules.some((rule) => rule.id === 'workload-selector-mismatch')).toBe(true);
    expect(run?.results.find((x) => x.ruleId === 'object-name')?.locations[0]?.physicalLocation.region.startLine).toBe(5);
  });

  it('github prints workflow annotations', () => {
    const r = runCli(['validate', broken, '-o', 'github']);
    expect(r.stdout).toMatch(/^::error file=fixtures\/validate\/broken\/deployment\.yaml,line=5,col=9/m);
  });

  it('junit is XML with a failure per failing object', () => {
    const r = runCli(['validate', broken, '-o', 'junit']);
    expect(r.stdout.startsWith('<?xml')).toBe(true);
    expect(r.stdout).toMatch(/<failure/);
  });

  it('--output-file writes the report and leaves stdout empty', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'kubeplan-out-')), 'report.sarif');
    const r = runCli(['validate', broken, '-o', 'sarif', '--output-file', out]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toHaveProperty('version', '2.1.0');
  });

  it('colours stylish output only when asked or on a terminal, never under NO_COLOR', () => {
    const ansi = /\u001b\[/;
    expect(runCli(['validate', broken]).stdout).not.toMatch(ansi);
    expect(runCli(['validate', broken], { env: { FORCE_COLOR: '1' } }).stdout).toMatch(ansi);
    expect(runCli(['validate', broken, '--color'], { env: { NO_COLOR: '' } }).stdout).toMatch(ansi);
    expect(runCli(['validate', broken], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout).not.toMatch(ansi);
  });
});

describe('kubeplan validate: Secrets', () => {
  it('never prints a Secret value, even in findings about that value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeplan-secret-'));
    const value = 'hunter2-do-not-print';
    const encoded = Buffer.from(value).toString('base64');
    writeFileSync(
      join(dir, 'secret.yaml'),
      `apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: shop}\nstringData:\n  password: ${value}\n  port: 5432\ndata:\n  token: ${encoded}\n  bad: "not base64 ${value}"\n  Bad_Key!: ${encoded}\n`,
    );
    for (const format of ['stylish', 'json', 'sarif', 'junit', 'github']) {
      const r = runCli(['validate', 'secret.yaml', '-o', format], { cwd: dir });
      expect(r.stdout + r.stderr, format).not.toContain(value);
      expect(r.stdout + r.stderr, format).not.toContain(encoded);
    }
  });
});

describe('kubeplan validate: baseline', () => {
  it('--update-baseline records current findings; --baseline then suppresses them but not new ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeplan-baseline-'));
    writeFileSync(join(dir, 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Old_Name, namespace: a}\n');
    expect(runCli(['validate', 'a.yaml', '--baseline', 'base.json', '--update-baseline'], { cwd: dir }).status).toBe(0);
    const adopted = runCli(['validate', 'a.yaml', '--baseline', 'base.json', '-o', 'json'], { cwd: dir });
    expect(adopted.status).toBe(0);
    expect(parseJsonReport(adopted.stdout).findings.every((f) => f.suppressed?.kind === 'baseline')).toBe(true);
    // Moving the object down the file keeps it baselined (fingerprints are line-independent); a new mistake is not.
    writeFileSync(join(dir, 'a.yaml'), '# moved\n\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: Old_Name, namespace: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: New_Name, namespace: a}\n');
    const later = runCli(['validate', 'a.yaml', '--baseline', 'base.json', '-o', 'json'], { cwd: dir });
    expect(later.status).toBe(1);
    const active = parseJsonReport(later.stdout).findings.filter((f) => !f.suppressed);
    expect(active.map((f) => f.object?.name)).toEqual(['New_Name']);
  });
});
