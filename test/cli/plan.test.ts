// `kubeplan plan` end to end on the bundled example (fixtures/example-app: a repo and a saved live state).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const manifests = 'fixtures/example-app/manifests';
const live = 'fixtures/example-app/live';

interface PlanJson {
  changes: { action: string; object: { kind: string; namespace?: string; name: string }; step: number; reasons: string[]; warnings: unknown[]; patch: { op: string; path: string }[] }[];
  summary: Record<string, number>;
  incomplete: boolean;
}

describe('kubeplan plan', () => {
  it('prints the example plan with a Terraform-style summary (what npm start shows)', () => {
    const r = runCli(['plan', manifests, '--live', live]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Plan: 1 to create, 3 to update, 1 to replace, 0 to delete.');
    expect(r.stdout).toMatch(/-\/\+ replace Deployment shop\/worker/);
  });

  it('--detailed-exitcode: 2 when there are changes, 0 when live matches the repo', () => {
    expect(runCli(['plan', manifests, '--live', live, '--detailed-exitcode']).status).toBe(2);
    // Planning the repo against itself as the live state: nothing to do.
    expect(runCli(['plan', manifests, '--live', manifests, '--detailed-exitcode']).status).toBe(0);
  });

  it('json output lists ordered changes with RFC 6902 patches', () => {
    const doc = JSON.parse(runCli(['plan', manifests, '--live', live, '-o', 'json']).stdout) as PlanJson;
    expect(doc.incomplete).toBe(false);
    const worker = doc.changes.find((c) => c.object.name === 'worker' && c.object.kind === 'Deployment');
    expect(worker?.action).toBe('replace');
    expect(worker?.reasons.join(' ')).toContain('spec.selector');
    const configMap = doc.changes.find((c) => c.object.kind === 'ConfigMap');
    expect(configMap?.action).toBe('update');
    expect(configMap?.patch.some((op) => op.path === '/data/LOG_LEVEL')).toBe(true);
    // ConfigMaps are applied in an earlier step than the Deployments that read them.
    const deploymentSteps = doc.changes.filter((c) => c.object.kind === 'Deployment').map((c) => c.step);
    expect(Math.max(configMap?.step ?? 99)).toBeLessThan(Math.min(...deploymentSteps));
  });

  it('prunes only with a prune selector', () => {
    const without = JSON.parse(runCli(['plan', manifests, '--live', live, '-o', 'json']).stdout) as PlanJson;
    expect(without.changes.filter((c) => c.action === 'delete')).toEqual([]);
    const withSel = JSON.parse(runCli(['plan', manifests, '--live', live, '-o', 'json', '--prune-selector', 'app.kubernetes.io/part-of=shop']).stdout) as PlanJson;
    expect(withSel.changes.filter((c) => c.action === 'delete').length).toBe(1);
  });

  it('markdown output is a pull-request comment', () => {
    const r = runCli(['plan', manifests, '--live', live, '-o', 'markdown']);
    expect(r.stdout).toMatch(/^#+ /m);
    expect(r.stdout).toContain('1 to replace');
  });

  it('never writes a Secret value to any output or the saved plan', () => {
    const secretText = readFileSync(join(manifests, '10-config.yaml'), 'utf8');
    const values = [...secretText.matchAll(/^\s+DB_PASSWORD:\s*"?([^"\n]+)"?/gm)].map((m) => m[1] as string);
    expect(values.length).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), 'kubeplan-plan-'));
    const planFile = join(dir, 'plan.json');
    const outputs = ['text', 'json', 'markdown'].map((o) => runCli(['plan', manifests, '--live', live, '-o', o, '--out', planFile]));
    const saved = readFileSync(planFile, 'utf8');
    for (const v of values) {
      for (const r of outputs) expect(r.stdout + r.stderr).not.toContain(v);
      expect(saved).not.toContain(v);
      expect(saved).not.toContain(Buffer.from(v).toString('base64'));
    }
    expect(JSON.parse(saved)).toHaveProperty('formatVersion', 1);
  });

  it('an invalid repo gets an incomplete plan: exit 1, findings shown, --out refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeplan-invalid-'));
    cpSync(manifests, join(dir, 'manifests'), { recursive: true });
    const worker = join(dir, 'manifests', '40-worker.yaml');
    writeFileSync(worker, readFileSync(worker, 'utf8').replace('replicas: 1', 'replicas: "one"'));
    const r = runCli(['plan', 'manifests', '--live', join(process.cwd(), live), '--out', 'plan.json'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('validation error');
    const shown = runCli(['plan', 'manifests', '--live', join(process.cwd(), live)], { cwd: dir });
    expect(shown.status).toBe(1);
    expect(shown.stdout).toContain('This plan is incomplete');
    expect(shown.stderr).toMatch(/40-worker\.yaml[\s\S]*spec\.replicas/);
  });

  it('plans a branch against another git revision (--live-ref)', () => {
    const repo = mkdtempSync(join(tmpdir(), 'kubeplan-liveref-'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@e', '-c', 'user.name=t', ...args], { cwd: repo, encoding: 'utf8' });
    git('init', '-q');
    cpSync(join(process.cwd(), manifests), join(repo, 'manifests'), { recursive: true });
    git('add', '-A');
    git('commit', '-qm', 'base');
    const cfg = join(repo, 'manifests', '10-config.yaml');
    writeFileSync(cfg, readFileSync(cfg, 'utf8').replace('LOG_LEVEL: debug', 'LOG_LEVEL: warn'));
    const r = runCli(['plan', 'manifests', '--live-ref', 'HEAD', '-o', 'json'], { cwd: repo });
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as PlanJson;
    expect(doc.changes.filter((c) => c.action !== 'noop').map((c) => `${c.action} ${c.object.kind}/${c.object.name}`)).toEqual(['update ConfigMap/web-config']);
  });

  it('resolves the references validate cannot settle against the snapshot; a rule turned off in .kubeplan.yaml stays silent', () => {
    const refs = { manifests: 'fixtures/live-refs/manifests', live: 'fixtures/live-refs/live' };
    interface RefsJson {
      changes: { object: { kind: string; name: string }; warnings: { rule: string; message: string }[] }[];
      references: { from: string; target: string; outcome: string }[];
    }
    const r = runCli(['plan', refs.manifests, '--live', refs.live, '-o', 'json']);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as RefsJson;
    const warned = doc.changes.filter((c) => c.warnings.length > 0).map((c) => `${c.object.kind}/${c.object.name}: ${c.warnings.map((w) => w.rule).join(',')}`);
    expect(warned).toEqual(['Deployment/api: configmap-ref-missing', 'Service/ghost: selector-no-match']);
    expect(doc.references.filter((x) => x.outcome === 'found').map((x) => x.target)).toEqual([
      'ConfigMap shop/app-config',
      'Secret shop/db-credentials',
      'ServiceAccount shop/web',
      'PersistentVolumeClaim shop/uploads',
      'pods app=legacy in edge',
      'pods app=legacy in edge',
    ]);
    // Validate's info findings are not printed by plan; the snapshot's Secret value is nowhere.
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toContain('czNjcjN0LVBhNTV3MHJkLWxpdmUtcmVmcw==');

    const dir = mkdtempSync(join(tmpdir(), 'kubeplan-refs-config-'));
    writeFileSync(join(dir, '.kubeplan.yaml'), 'rules:\n  configmap-ref-missing: off\n');
    const off = runCli(['plan', join(process.cwd(), refs.manifests), '--live', join(process.cwd(), refs.live), '-o', 'json'], { cwd: dir });
    expect(off.status, off.stderr).toBe(0);
    const offDoc = JSON.parse(off.stdout) as RefsJson;
    expect(offDoc.changes.find((c) => c.object.name === 'api')?.warnings).toEqual([]);
    expect(offDoc.references.some((x) => x.target.startsWith('ConfigMap'))).toBe(false);
  });

  it('usage errors exit 2: no live source, two live sources', () => {
    // The first looks like a plan against a cluster to the launcher (main.ts), which starts the connection worker
    // early: that worker must not hold the process once the command line is refused.
    expect(runCli(['plan', manifests], { env: { KUBECONFIG: '/nonexistent', HOME: tmpdir() } }).status).toBe(2);
    expect(runCli(['plan', manifests, '--live', live, '--live-ref', 'HEAD']).status).toBe(2);
  });

  it('--include-webhook-mutations needs a cluster: with a snapshot it is a usage error', () => {
    for (const flag of ['--include-webhook-mutations', '--no-include-webhook-mutations']) {
      const r = runCli(['plan', manifests, '--live', live, flag]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('--[no-]include-webhook-mutations needs a cluster as the live state');
    }
  });
});
