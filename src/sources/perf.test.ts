import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifests } from './index.ts';

// Guards against regressions to per-file git processes or quadratic work, with bounds loose enough for a busy CI
// machine. Measured numbers (2 shared cores): the pre-commit case takes ~100-250 ms in-process, ~160 ms of wall time
// for the whole process with Node's start on an idle machine.

const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };

function deployment(i: number, doc: number, replicas = 2): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}-${doc}
  namespace: team-${i % 20}
  labels: {app.kubernetes.io/name: app-${i}, app.kubernetes.io/part-of: shop}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app.kubernetes.io/name: app-${i}}
  template:
    metadata:
      labels: {app.kubernetes.io/name: app-${i}}
    spec:
      containers:
        - name: app
          image: registry.example.com/app-${i}:1.2.${doc}
          ports: [{containerPort: 8080, name: http}]
          resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 256Mi}}
`;
}

let repo: string;

function writeTree(dir: string, files: number, docsPerFile: number): void {
  for (let i = 0; i < files; i++) {
    const d = join(dir, 'apps', `team-${i % 20}`);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, `app-${i}.yaml`), Array.from({ length: docsPerFile }, (_, k) => deployment(i, k)).join('---\n'));
  }
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'kubeplan-perf-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: gitEnv, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  writeTree(repo, 1000, 1);
  git('add', '-A');
  git('commit', '-q', '-m', 'init');
  for (let i = 0; i < 10; i++) writeFileSync(join(repo, 'apps', `team-${i % 20}`, `app-${i}.yaml`), deployment(i, 0, 3));
  git('add', '-A');
}, 120_000);

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('loading performance', () => {
  it('pre-commit: 10 staged files in a 1,000-file repo, whole index loaded as context', async () => {
    const t0 = performance.now();
    const r = await loadManifests({ kind: 'git-staged', repo });
    const ms = performance.now() - t0;
    if (!r.ok) throw new Error(r.error);
    expect(r.files).toHaveLength(1000);
    expect(r.manifests).toHaveLength(1000);
    expect(r.reportOn?.size).toBe(10);
    expect(r.manifests.find((m) => m.file === 'apps/team-0/app-0.yaml')?.object.spec).toMatchObject({ replicas: 3 });
    console.log(`git-staged, 1,000 files / 10 staged: loadManifests ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(3000);
  });

  it('10,000 documents (1,000 files of 10) from a directory and from the index', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeplan-perf10k-'));
    try {
      writeTree(dir, 1000, 10);
      const t0 = performance.now();
      const r = await loadManifests({ kind: 'paths', paths: ['.'], cwd: dir });
      const ms = performance.now() - t0;
      if (!r.ok) throw new Error(r.error);
      expect(r.manifests).toHaveLength(10_000);
      expect(r.findings).toEqual([]);
      console.log(`paths, 10,000 documents in 1,000 files: loadManifests ${ms.toFixed(0)} ms`);
      expect(ms).toBeLessThan(15_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
