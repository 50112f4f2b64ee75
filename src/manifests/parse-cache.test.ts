import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validate, type ValidateInput } from '../validate/index.ts';
import { MAX_REPOSITORIES, openParseCache } from './parse-cache.ts';
import { parseSourceRecord } from './parse.ts';

const made: string[] = [];
const tmp = (prefix: string): string => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
};
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

const recordOf = (text: string) => {
  const r = parseSourceRecord({ path: 'x.yaml', bytes: new TextEncoder().encode(text) });
  if (!r.record) throw new Error('no record');
  return { starts: r.record.starts, manifests: r.record.manifests };
};

describe('openParseCache', () => {
  it('keeps entries between runs, keyed by repository, and drops what a run did not use', () => {
    const dir = tmp('kubeplan-pc-');
    const a = recordOf('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
    const first = openParseCache(dir, '/repo/one');
    expect(first.get('oid-a')).toBeUndefined();
    first.put('oid-a', a);
    first.put('oid-b', recordOf('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n'));
    first.save();

    const second = openParseCache(dir, '/repo/one');
    expect(second.get('oid-a')).toEqual(a);
    expect(second.stats).toEqual({ hits: 1, misses: 0 });
    second.save(); // oid-b unused: dropped
    const third = openParseCache(dir, '/repo/one');
    expect(third.get('oid-b')).toBeUndefined();
    expect(third.get('oid-a')).toEqual(a);
    // Another repository has its own file.
    expect(openParseCache(dir, '/repo/two').get('oid-a')).toBeUndefined();
  });

  it('keeps the cache files of the most recently used repositories only', () => {
    const dir = tmp('kubeplan-pc-');
    for (let i = 0; i < MAX_REPOSITORIES + 3; i++) {
      const c = openParseCache(dir, `/repo/${i}`);
      c.put('o', recordOf('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n'));
      c.save();
    }
    expect(readdirSync(join(dir, 'parsed'))).toHaveLength(MAX_REPOSITORIES);
    expect(openParseCache(dir, `/repo/${MAX_REPOSITORIES + 2}`).get('o')).toBeDefined();
  });

  it('hands out fresh objects: a caller that changes them does not change what is written back', () => {
    const dir = tmp('kubeplan-pc-');
    const c = openParseCache(dir, '/r');
    c.put('o', recordOf('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n'));
    c.save();
    const d = openParseCache(dir, '/r');
    const hit = d.get('o');
    (hit?.manifests[0]?.object as { kind: string }).kind = 'Mutated';
    d.put('p', recordOf('apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n'));
    d.save();
    expect(openParseCache(dir, '/r').get('o')?.manifests[0]?.object.kind).toBe('ConfigMap');
  });

  it('ignores a damaged or foreign cache file, and values JSON would not keep exactly', () => {
    const dir = tmp('kubeplan-pc-');
    const c = openParseCache(dir, '/r');
    const inf = recordOf('apiVersion: v1\nkind: X\nmetadata: {name: a}\nspec: {n: 1}\n');
    (inf.manifests[0]?.object.spec as { n: number }).n = Number.POSITIVE_INFINITY;
    c.put('inf', inf);
    c.put('ok', recordOf('apiVersion: v1\nkind: X\nmetadata: {name: a}\n'));
    c.save();
    const [file] = readdirSync(join(dir, 'parsed'));
    const path = join(dir, 'parsed', file as string);
    const reread = openParseCache(dir, '/r');
    expect(reread.get('inf')).toBeUndefined();
    expect(reread.get('ok')).toBeDefined();

    const lines = readFileSync(path, 'utf8').split('\n');
    writeFileSync(path, [lines[0], 'ok {"starts":[0],"manifests":[{"docI'].join('\n'));
    expect(openParseCache(dir, '/r').get('ok')).toBeUndefined();
    writeFileSync(path, ['some-other-format', ...lines.slice(1)].join('\n'));
    expect(openParseCache(dir, '/r').get('ok')).toBeUndefined();
  });
});

// --- through validate(), on a real git repository -------------------------------------------------------------------

const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };

describe('validate --staged with the parse cache', () => {
  let cacheDir: string;
  const saved = process.env.KUBEPLAN_CACHE_DIR;
  beforeEach(() => {
    cacheDir = tmp('kubeplan-pc-cache-');
    process.env.KUBEPLAN_CACHE_DIR = cacheDir;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.KUBEPLAN_CACHE_DIR;
    else process.env.KUBEPLAN_CACHE_DIR = saved;
  });

  const repo = () => {
    const dir = tmp('kubeplan-pc-repo-');
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, env: gitEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    git('init', '-q', '-b', 'main');
    const write = (rel: string, text: string): void => {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), text);
    };
    return { dir, git, write };
  };
  const input = (dir: string): ValidateInput => ({ source: { kind: 'git-staged', repo: dir }, strict: true, ignoreMissingSchemas: false, extraCrds: [], defaultNamespace: 'default', rules: {} });
  const run = async (dir: string) => {
    const r = await validate(input(dir));
    if (!r.ok) throw new Error(r.error);
    return r;
  };

  const deployment = (sa: string) => `# the app
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      serviceAccountName: ${sa}
      containers:
        - name: web
          image: nginx:1.27
          envFrom:
            - configMapRef: {name: web-config}
`;

  it('gives the same report cold and warm, with context read from the cache and positions in the staged files', async () => {
    const { dir, git, write } = repo();
    write('shop/config.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\n  namespace: shop\ndata:\n  a: "1"\n');
    write('shop/sa.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: shop\n');
    write('shop/broken.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n');
    write('shop/web.yaml', deployment('web'));
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    // The staged change: a ServiceAccount that does not exist (a cross-object finding that needs the context).
    write('shop/web.yaml', deployment('missing-account'));
    git('add', 'shop/web.yaml');

    const cold = await run(dir);
    const files = readdirSync(join(cacheDir, 'parsed'));
    expect(files).toHaveLength(1);
    const cached = readFileSync(join(cacheDir, 'parsed', files[0] as string), 'utf8');
    // Every blob that parsed cleanly is in it (3 context files + the staged one); the broken file is not.
    expect(cached.trim().split('\n')).toHaveLength(1 + 3);
    const oidOf = (path: string): string => git('rev-parse', `:${path}`).trim();
    expect(cached).toContain(oidOf('shop/config.yaml'));
    expect(cached).not.toContain(oidOf('shop/broken.yaml'));

    const warm = await run(dir);
    expect(warm.report).toEqual(cold.report);
    const finding = warm.report.findings.find((f) => f.rule === 'serviceaccount-missing');
    expect(finding).toMatchObject({ file: 'shop/web.yaml', line: 14, column: 27 });
    // The context still counts: the ConfigMap comes from the cache and satisfies envFrom.
    expect(warm.report.findings.some((f) => f.rule === 'configmap-ref-missing')).toBe(false);
    expect(warm.manifests.map((m) => `${m.file}#${m.docIndex}`)).toEqual(cold.manifests.map((m) => `${m.file}#${m.docIndex}`));
    expect(warm.manifests.find((m) => m.file === 'shop/config.yaml')?.locate(['data', 'a']).start).toEqual({ line: 7, column: 6 });
  });

  it('the warm run reads context from the cache, not from the blobs (an entry edited by hand shows through)', async () => {
    const { dir, git, write } = repo();
    write('shop/config.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\n  namespace: shop\n');
    write('shop/web.yaml', deployment('default'));
    git('add', '-A');
    expect((await run(dir)).report.findings.filter((f) => f.rule === 'configmap-ref-missing')).toEqual([]);
    const [file] = readdirSync(join(cacheDir, 'parsed'));
    const path = join(cacheDir, 'parsed', file as string);
    writeFileSync(path, readFileSync(path, 'utf8').replace('"name":"web-config"', '"name":"renamed-in-cache"'));
    const warm = await run(dir);
    expect(warm.report.findings.filter((f) => f.rule === 'configmap-ref-missing').map((f) => f.file)).toEqual(['shop/web.yaml']);
  });

  it('a cached blob at a new path reports that path', async () => {
    const { dir, git, write } = repo();
    write('a/web.yaml', deployment('nobody'));
    git('add', '-A');
    await run(dir); // caches the blob
    mkdirSync(join(dir, 'b'));
    git('mv', 'a/web.yaml', 'b/web.yaml');
    const moved = await run(dir);
    expect(moved.report.findings.filter((f) => f.rule === 'serviceaccount-missing').map((f) => `${f.file}:${f.line}`)).toEqual(['b/web.yaml:14']);
  });

  it('KUBEPLAN_CACHE_DIR=off writes nothing', async () => {
    const { dir, git, write } = repo();
    write('web.yaml', deployment('web'));
    git('add', '-A');
    process.env.KUBEPLAN_CACHE_DIR = 'off';
    await run(dir);
    expect(readdirSync(cacheDir)).toEqual([]);
    // Nor is "off" taken for a directory (relative to the working directory).
    expect(existsSync(join(process.cwd(), 'off'))).toBe(false);
  });
});
