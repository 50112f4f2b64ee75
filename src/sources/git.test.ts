import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifests, loadSources, type LoadResult, type SourceSpec } from './index.ts';

// Real repositories in temp dirs, built with the git CLI; no mocks. Git's own config is isolated from the machine's.
const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function newRepo() {
  const dir = mkdtempSync(join(tmpdir(), 'kubeplan-git-'));
  made.push(dir);
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, env: gitEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q', '-b', 'main');
  const write = (rel: string, text: string): void => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  const commit = (msg: string): void => {
    git('add', '-A');
    git('commit', '-q', '-m', msg);
  };
  return { dir, git, write, commit, rm: (rel: string) => unlinkSync(join(dir, rel)) };
}

const cm = (name: string, extra = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}`;

async function load(spec: SourceSpec): Promise<Extract<LoadResult, { ok: true }>> {
  const r = await loadSources(spec);
  if (!r.ok) throw new Error(r.error);
  return r;
}

const pathsOf = (r: { files: { path: string }[] }) => r.files.map((f) => f.path);
const contentOf = (r: { files: { path: string; bytes: Uint8Array }[] }, path: string) => {
  const f = r.files.find((x) => x.path === path);
  return f ? Buffer.from(f.bytes).toString('utf8') : undefined;
};
const sorted = (s: Set<string> | null) => (s === null ? null : [...s].sort());

/** main: c1 (tag v1) → c2; feature branches off c2 with c3; the working tree on feature has staged, unstaged and untracked changes. */
function fixture() {
  const r = newRepo();
  r.write('.gitignore', 'secret/\n*.local.yaml\n');
  r.write('apps/web/deploy.yaml', cm('web'));
  r.write('apps/web/svc.yaml', cm('svc'));
  r.write('apps/db/sts.yaml', cm('db'));
  r.write('base/cm.json', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'base' } }));
  r.write('README.md', '# repo\n');
  r.write('.github/workflows/ci.yml', 'on: push\n');
  symlinkSync('apps/web/svc.yaml', join(r.dir, 'link.yaml'));
  r.commit('c1');
  r.git('tag', 'v1');
  r.write('apps/web/deploy.yaml', cm('web', 'data: {v: "2"}\n'));
  r.rm('apps/db/sts.yaml');
  r.git('mv', 'base/cm.json', 'base/config.json');
  r.write('apps/new.yaml', cm('new'));
  r.commit('c2');
  r.git('checkout', '-q', '-b', 'feature');
  r.write('apps/web/svc.yaml', cm('svc', 'data: {v: "3"}\n'));
  r.write('apps/feature.yaml', cm('feature'));
  r.rm('base/config.json');
  r.commit('c3');
  // Uncommitted: a staged edit then a different worktree edit, a staged rename, a staged deletion,
  // an untracked file, an ignored file, a deleted-but-not-staged file.
  r.write('apps/new.yaml', cm('new', 'data: {stage: index}\n'));
  r.git('add', 'apps/new.yaml');
  r.write('apps/new.yaml', cm('new', 'data: {stage: worktree}\n'));
  r.git('mv', 'apps/feature.yaml', 'apps/renamed.yaml');
  r.git('rm', '-q', 'apps/web/deploy.yaml');
  r.write('apps/untracked.yaml', cm('untracked'));
  r.write('secret/creds.yaml', cm('ignored'));
  r.write('apps/dev.local.yaml', cm('ignored2'));
  r.rm('link.yaml');
  return r;
}

describe('git sources', () => {
  const repo = fixture();

  describe('git-worktree', () => {
    it('loads tracked and untracked-not-ignored manifests from disk; skips ignored, deleted and dot-directories', async () => {
      const r = await load({ kind: 'git-worktree', repo: repo.dir });
      expect(pathsOf(r)).toEqual(['apps/new.yaml', 'apps/renamed.yaml', 'apps/untracked.yaml', 'apps/web/svc.yaml']);
      expect(contentOf(r, 'apps/new.yaml')).toContain('stage: worktree');
      expect(r.reportOn).toBeNull();
      expect(r.findings).toEqual([]);
    });

    it('restricts to the paths given (files, directories, globs), relative to the repo directory', async () => {
      expect(pathsOf(await load({ kind: 'git-worktree', repo: repo.dir, paths: ['apps/web', 'apps/untracked.yaml'] }))).toEqual(['apps/untracked.yaml', 'apps/web/svc.yaml']);
      expect(pathsOf(await load({ kind: 'git-worktree', repo: repo.dir, paths: ['apps/*.yaml'] }))).toEqual(['apps/new.yaml', 'apps/renamed.yaml', 'apps/untracked.yaml']);
      // A named non-manifest file or dot-directory is read because it was asked for.
      expect(pathsOf(await load({ kind: 'git-worktree', repo: repo.dir, paths: ['README.md', '.github'] }))).toEqual(['.github/workflows/ci.yml', 'README.md']);
      // From a subdirectory: paths are relative to it, display paths stay relative to the root.
      expect(pathsOf(await load({ kind: 'git-worktree', repo: join(repo.dir, 'apps'), paths: ['web'] }))).toEqual(['apps/web/svc.yaml']);
      expect(pathsOf(await load({ kind: 'git-worktree', repo: join(repo.dir, 'apps') }))).toHaveLength(4);
    });

    it('a path that does not exist is a usage error; an existing directory with nothing tracked is not', async () => {
      expect(await loadSources({ kind: 'git-worktree', repo: repo.dir, paths: ['nope/', 'apps/*.json'] })).toEqual({
        ok: false,
        error: 'path not found in the working tree: nope/; no files match apps/*.json in the working tree',
      });
      expect(pathsOf(await load({ kind: 'git-worktree', repo: repo.dir, paths: ['secret'] }))).toEqual([]);
      expect(await loadSources({ kind: 'git-worktree', repo: repo.dir, paths: ['../elsewhere'] })).toEqual({ ok: false, error: expect.stringMatching(/outside the repository/) });
    });
  });

  describe('git-staged (pre-commit)', () => {
    it('loads the whole index as context, from the index not the working tree, and reports only staged files', async () => {
      const r = await load({ kind: 'git-staged', repo: repo.dir });
      // Context: every manifest in the index. The deleted file is gone, the untracked one is not there yet,
      // and the tracked symlink (mode 120000) is not content.
      expect(pathsOf(r)).toEqual(['apps/new.yaml', 'apps/renamed.yaml', 'apps/web/svc.yaml']);
      expect(contentOf(r, 'apps/new.yaml')).toContain('stage: index');
      // Reported: modified and renamed (new name); the staged deletion has nothing to report on.
      expect(sorted(r.reportOn)).toEqual(['apps/new.yaml', 'apps/renamed.yaml']);
      expect(r.findings).toEqual([]);
    });

    it('restricts the report to the files pre-commit passes, keeping the whole index as context', async () => {
      const r = await load({ kind: 'git-staged', repo: repo.dir, paths: ['apps/renamed.yaml', 'apps/web/svc.yaml'] });
      expect(pathsOf(r)).toEqual(['apps/new.yaml', 'apps/renamed.yaml', 'apps/web/svc.yaml']);
      expect(sorted(r.reportOn)).toEqual(['apps/renamed.yaml']);
    });

    it('a path that is not in the index is a usage error', async () => {
      expect(await loadSources({ kind: 'git-staged', repo: repo.dir, paths: ['apps/untracked.yaml'] })).toEqual({ ok: false, error: 'path not found in the index: apps/untracked.yaml' });
    });

    it('works before the first commit: every staged file is new', async () => {
      const fresh = newRepo();
      fresh.write('a.yaml', cm('a'));
      fresh.write('b/c.yml', cm('c'));
      fresh.write('not-staged.yaml', cm('n'));
      fresh.git('add', 'a.yaml', 'b/c.yml');
      const r = await load({ kind: 'git-staged', repo: fresh.dir });
      expect(pathsOf(r)).toEqual(['a.yaml', 'b/c.yml']);
      expect(sorted(r.reportOn)).toEqual(['a.yaml', 'b/c.yml']);
    });

    it('an empty index gives nothing to load or report', async () => {
      const fresh = newRepo();
      const r = await load({ kind: 'git-staged', repo: fresh.dir });
      expect(r.files).toEqual([]);
      expect(sorted(r.reportOn)).toEqual([]);
    });

    it('reports unresolved merge conflicts in the index', async () => {
      const c = newRepo();
      c.write('x.yaml', cm('x', 'data: {v: base}\n'));
      c.commit('base');
      c.git('checkout', '-q', '-b', 'other');
      c.write('x.yaml', cm('x', 'data: {v: other}\n'));
      c.commit('other');
      c.git('checkout', '-q', 'main');
      c.write('x.yaml', cm('x', 'data: {v: main}\n'));
      c.commit('main');
      try {
        c.git('merge', '-q', 'other');
      } catch {
        // the conflict is the point
      }
      const r = await load({ kind: 'git-staged', repo: c.dir });
      expect(r.files).toEqual([]);
      expect(sorted(r.reportOn)).toEqual(['x.yaml']);
      expect(r.findings).toMatchObject([{ file: 'x.yaml', line: 1, column: 1, rule: 'merge-conflict' }]);
    });

    it('loadManifests parses the staged content and passes reportOn through', async () => {
      const r = await loadManifests({ kind: 'git-staged', repo: repo.dir });
      if (!r.ok) throw new Error(r.error);
      expect(r.manifests.map((m) => [m.file, (m.object.data as { stage?: string } | undefined)?.stage ?? null])).toEqual([
        ['apps/new.yaml', 'index'],
        ['apps/renamed.yaml', null],
        ['apps/web/svc.yaml', null],
      ]);
      expect(sorted(r.reportOn)).toEqual(['apps/new.yaml', 'apps/renamed.yaml']);
    });
  });

  describe('inside a real pre-commit hook', () => {
    // git runs hooks with GIT_INDEX_FILE pointing at a temporary index for `commit -a` and `commit <paths>`;
    // the loader must see exactly what is being committed, which only holds if every git child inherits the env.
    const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
    const sourcesIndex = fileURLToPath(new URL('./index.ts', import.meta.url));

    function hookRepo() {
      const h = newRepo();
      h.write('a.yaml', cm('a'));
      h.write('b.yaml', cm('b'));
      h.commit('init');
      const probe = join(h.dir, '.git', 'probe.mts');
      writeFileSync(
        probe,
        `import { loadSources } from ${JSON.stringify(sourcesIndex)};
import { writeFileSync } from 'node:fs';
const r = await loadSources({ kind: 'git-staged', repo: process.cwd() });
if (!r.ok) throw new Error(r.error);
const out = { reportOn: [...(r.reportOn ?? [])].sort(), files: Object.fromEntries(r.files.map((f) => [f.path, Buffer.from(f.bytes).toString('utf8')])) };
writeFileSync(${JSON.stringify(join(h.dir, '.git', 'probe-out.json'))}, JSON.stringify(out));
`,
      );
      const hook = join(h.dir, '.git', 'hooks', 'pre-commit');
      writeFileSync(hook, `#!/bin/sh\nexec ${JSON.stringify(tsx)} ${JSON.stringify(probe)}\n`);
      chmodSync(hook, 0o755);
      const seen = () => JSON.parse(readFileSync(join(h.dir, '.git', 'probe-out.json'), 'utf8')) as { reportOn: string[]; files: Record<string, string> };
      return { ...h, seen };
    }

    it('git commit -a: the temporary index with the worktree edits', async () => {
      const h = hookRepo();
      h.write('a.yaml', cm('a', 'data: {v: committed-with-a}\n'));
      h.git('commit', '-q', '-a', '-m', 'edit a');
      expect(h.seen().reportOn).toEqual(['a.yaml']);
      expect(h.seen().files['a.yaml']).toContain('committed-with-a');
    });

    it('git commit <path>: only that path, although another file is staged', async () => {
      const h = hookRepo();
      h.write('a.yaml', cm('a', 'data: {v: staged-not-committed}\n'));
      h.git('add', 'a.yaml');
      h.write('b.yaml', cm('b', 'data: {v: partial}\n'));
      h.git('commit', '-q', '-m', 'only b', 'b.yaml');
      expect(h.seen().reportOn).toEqual(['b.yaml']);
      expect(h.seen().files['a.yaml']).toBe(cm('a'));
      expect(h.seen().files['b.yaml']).toContain('partial');
    });
  });

  describe('git-ref', () => {
    it('loads the tree at a revision', async () => {
      const v1 = await load({ kind: 'git-ref', repo: repo.dir, ref: 'v1' });
      expect(pathsOf(v1)).toEqual(['apps/db/sts.yaml', 'apps/web/deploy.yaml', 'apps/web/svc.yaml', 'base/cm.json']);
      expect(contentOf(v1, 'apps/web/deploy.yaml')).toBe(cm('web'));
      expect(v1.reportOn).toBeNull();
      const main = await load({ kind: 'git-ref', repo: repo.dir, ref: 'main' });
      expect(pathsOf(main)).toEqual(['apps/new.yaml', 'apps/web/deploy.yaml', 'apps/web/svc.yaml', 'base/config.json']);
      expect(pathsOf(await load({ kind: 'git-ref', repo: repo.dir, ref: 'HEAD~2' }))).toEqual(pathsOf(v1));
      const tree = repo.git('rev-parse', 'v1^{tree}').trim();
      expect(pathsOf(await load({ kind: 'git-ref', repo: repo.dir, ref: tree }))).toEqual(pathsOf(v1));
    });

    it('restricts to paths, and a path absent at the revision is a usage error', async () => {
      expect(pathsOf(await load({ kind: 'git-ref', repo: repo.dir, ref: 'v1', paths: ['apps/db'] }))).toEqual(['apps/db/sts.yaml']);
      expect(await loadSources({ kind: 'git-ref', repo: repo.dir, ref: 'v1', paths: ['apps/new.yaml'] })).toEqual({ ok: false, error: 'path not found at v1: apps/new.yaml' });
    });

    it('a bad revision is a clear usage error, never a stack trace or an option', async () => {
      expect(await loadSources({ kind: 'git-ref', repo: repo.dir, ref: 'no-such-branch' })).toEqual({ ok: false, error: `unknown revision 'no-such-branch': no such commit or tree in ${repo.dir}` });
      expect(await loadSources({ kind: 'git-ref', repo: repo.dir, ref: '--output=/tmp/x' })).toEqual({ ok: false, error: 'invalid revision: "--output=/tmp/x"' });
      // A subtree (REV:dir) would lose the directory from display paths; use paths instead.
      expect(await loadSources({ kind: 'git-ref', repo: repo.dir, ref: 'v1:apps' })).toMatchObject({ ok: false, error: expect.stringMatching(/^unknown revision 'v1:apps'/) });
    });
  });

  describe('git-changed-since', () => {
    it('loads the working tree and reports files changed since the merge base plus uncommitted ones', async () => {
      const r = await load({ kind: 'git-changed-since', repo: repo.dir, base: 'main' });
      expect(pathsOf(r)).toEqual(['apps/new.yaml', 'apps/renamed.yaml', 'apps/untracked.yaml', 'apps/web/svc.yaml']);
      // svc: changed on the branch; renamed: staged rename; new: staged and unstaged edits; untracked: new file.
      // Deleted on the branch or in the tree (base/config.json, deploy.yaml, link.yaml): nothing to report on.
      expect(sorted(r.reportOn)).toEqual(['apps/new.yaml', 'apps/renamed.yaml', 'apps/untracked.yaml', 'apps/web/svc.yaml']);
    });

    it('compares with the merge base (BASE...HEAD): later commits on BASE are not this branch’s changes', async () => {
      const b = newRepo();
      b.write('a.yaml', cm('a'));
      b.write('b.yaml', cm('b'));
      b.commit('base');
      b.git('checkout', '-q', '-b', 'topic');
      b.write('a.yaml', cm('a', 'data: {x: "1"}\n'));
      b.commit('topic');
      b.git('checkout', '-q', 'main');
      b.write('b.yaml', cm('b', 'data: {x: "2"}\n'));
      b.commit('main moves on');
      b.git('checkout', '-q', 'topic');
      const r = await load({ kind: 'git-changed-since', repo: b.dir, base: 'main' });
      expect(pathsOf(r)).toEqual(['a.yaml', 'b.yaml']);
      expect(sorted(r.reportOn)).toEqual(['a.yaml']);
      // A clean checkout of the base itself has nothing to report.
      expect(sorted((await load({ kind: 'git-changed-since', repo: b.dir, base: 'topic' })).reportOn)).toEqual([]);
    });

    it('paths restrict what is reported', async () => {
      const r = await load({ kind: 'git-changed-since', repo: repo.dir, base: 'main', paths: ['apps/web'] });
      expect(pathsOf(r)).toHaveLength(4);
      expect(sorted(r.reportOn)).toEqual(['apps/web/svc.yaml']);
    });

    it('bad base, unrelated histories and an unborn HEAD are usage errors', async () => {
      expect(await loadSources({ kind: 'git-changed-since', repo: repo.dir, base: 'origin/main' })).toEqual({ ok: false, error: `unknown base revision 'origin/main': no such commit in ${repo.dir}` });
      const o = newRepo();
      o.write('a.yaml', cm('a'));
      o.commit('one');
      o.git('checkout', '-q', '--orphan', 'other');
      o.commit('unrelated');
      expect(await loadSources({ kind: 'git-changed-since', repo: o.dir, base: 'main' })).toEqual({ ok: false, error: expect.stringMatching(/^main and HEAD have no common ancestor/) });
      const fresh = newRepo();
      expect(await loadSources({ kind: 'git-changed-since', repo: fresh.dir, base: 'main' })).toEqual({ ok: false, error: expect.stringMatching(/unknown base revision 'main'/) });
    });
  });

  it('outside a git repository, or for a directory that does not exist, the error says so', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'kubeplan-plain-'));
    made.push(plain);
    expect(await loadSources({ kind: 'git-worktree', repo: plain })).toEqual({ ok: false, error: `not a git repository: ${plain}` });
    expect(await loadSources({ kind: 'git-staged', repo: join(plain, 'missing') })).toEqual({ ok: false, error: `repository directory not found: ${join(plain, 'missing')}` });
  });
});
