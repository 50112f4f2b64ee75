// The shipped .pre-commit-hooks.yaml, installed by the real `pre-commit` tool into a real git repo:
// a commit with a broken manifest is refused, a fixed one goes through, and only staged content counts.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const preCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
const available = preCommit.status === 0;
if (!available && process.env.CI) throw new Error('pre-commit is required in CI (pip install pre-commit)');

const goodDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 8080
              name: http
`;
// The selector does not match the template's labels: the API server rejects this.
const brokenDeployment = goodDeployment.replace('matchLabels: {app: web}', 'matchLabels: {app: webb}');

describe.skipIf(!available)('pre-commit hook (real pre-commit, real git)', () => {
  let repo: string;
  const env = {
    ...process.env,
    // pre-commit caches installed hook environments per repo and revision; keep them outside the clone.
    PRE_COMMIT_HOME: join(process.env.KUBEPLAN_CACHE_DIR ?? join(homedir(), '.cache', 'kubeplan'), 'pre-commit'),
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@example.com',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@example.com',
  };
  const git = (...args: string[]) => spawnSync('git', args, { cwd: repo, env, encoding: 'utf8' });

  beforeAll(() => {
    const rev = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: projectRoot, encoding: 'utf8' }).trim();
    repo = mkdtempSync(join(tmpdir(), 'kubeplan-precommit-'));
    git('init', '-q');
    writeFileSync(
      join(repo, '.pre-commit-config.yaml'),
      `repos:\n  - repo: ${projectRoot}\n    rev: ${rev}\n    hooks:\n      - id: kubeplan-validate\n`,
    );
    mkdirSync(join(repo, 'deploy'));
    writeFileSync(join(repo, 'deploy', 'web.yaml'), goodDeployment);
    git('add', '-A');
    expect(git('commit', '-qm', 'initial').status).toBe(0);
    const install = spawnSync('pre-commit', ['install', '--install-hooks'], { cwd: repo, env, encoding: 'utf8' });
    expect(install.status, install.stdout + install.stderr).toBe(0);
  });

  afterAll(() => {
    if (repo) rmSync(repo, { recursive: true, force: true });
  });

  it('refuses a commit whose staged manifest has a selector that does not match its template', () => {
    writeFileSync(join(repo, 'deploy', 'web.yaml'), brokenDeployment);
    git('add', 'deploy/web.yaml');
    const commit = git('commit', '-m', 'break the selector');
    expect(commit.status).not.toBe(0);
    const output = commit.stdout + commit.stderr;
    expect(output).toContain('deploy/web.yaml');
    expect(output).toMatch(/selector/i);
  });

  it('checks the staged content, not the working tree', () => {
    // Stage the good version, leave the broken one only in the working tree.
    writeFileSync(join(repo, 'deploy', 'web.yaml'), goodDeployment.replace('replicas: 2', 'replicas: 3'));
    git('add', 'deploy/web.yaml');
    writeFileSync(join(repo, 'deploy', 'web.yaml'), brokenDeployment);
    const commit = git('commit', '-m', 'scale web');
    expect(commit.status, commit.stdout + commit.stderr).toBe(0);
    git('checkout', '--', 'deploy/web.yaml');
  });

  it('reports YAML syntax errors with file and line', () => {
    writeFileSync(join(repo, 'deploy', 'bad.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: [1\n');
    git('add', 'deploy/bad.yaml');
    const commit = git('commit', '-m', 'bad yaml');
    expect(commit.status).not.toBe(0);
    expect(commit.stdout + commit.stderr).toMatch(/deploy\/bad\.yaml[\s\S]*\b[67]:\d+/);
  });
});
