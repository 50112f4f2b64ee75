// Pre-commit latency: 10 changed files staged in a 1,000-file repo; kubeplan checks the staged blobs with the
// whole index as context, exactly what the hook runs. Target: under 300 ms of wall time including Node start.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { cacheDir, kubeplanBin, listManifestFiles, medianOf, requireShared, timeCommand } from './lib.ts';

const corpus = requireShared();
const runs = Number(process.env.BENCH_RUNS ?? 7);
const repo = join(cacheDir, 'bench', 'precommit-repo-v5');
const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });

type Obj = { [key: string]: unknown };
const asObj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

/** Apply `f` to the string at `path` in `root`, if there is one. */
function edit(root: Obj, path: string[], f: (s: string) => string): void {
  let cur: Obj | undefined = root;
  for (const key of path.slice(0, -1)) cur = asObj(cur?.[key]);
  const last = path[path.length - 1] as string;
  const value = cur?.[last];
  if (cur && typeof value === 'string') cur[last] = f(value);
}

/** Copy i of an app: its own name, app label, ServiceAccount and team namespace, as in a real monorepo. */
function copyOf(objects: Obj[], i: number): string {
  const suffix = (s: string): string => `${s}-${i}`;
  return objects
    .map((o) => {
      const c = structuredClone(o);
      const meta = asObj(c.metadata) ?? {};
      c.metadata = { ...meta, namespace: `team-${i % 20}` };
      for (const path of [
        ['metadata', 'name'],
        ['metadata', 'labels', 'app'],
        ['spec', 'selector', 'matchLabels', 'app'],
        ['spec', 'selector', 'app'],
        ['spec', 'template', 'metadata', 'labels', 'app'],
        ['spec', 'template', 'spec', 'serviceAccountName'],
      ]) {
        edit(c, path, suffix);
      }
      return stringify(c);
    })
    .join('---\n');
}

// The microservices-demo files are typical app manifests (Deployment + Service + ServiceAccount each).
const templates = listManifestFiles(join(corpus, 'microservices-demo', 'kubernetes-manifests')).map((p) =>
  parseAllDocuments(readFileSync(p, 'utf8')).flatMap((d) => {
    const o = asObj(d.toJS());
    return o ? [o] : [];
  }),
);
if (!existsSync(join(repo, '.git'))) {
  rmSync(repo, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true });
  git('init', '-q');
  for (let i = 0; i < 1000; i++) {
    const dir = join(repo, `team-${i % 20}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `app-${i}.yaml`), copyOf(templates[i % templates.length] ?? [], i));
  }
  git('add', '-A');
  git('-c', 'user.email=bench@kubeplan.local', '-c', 'user.name=bench', 'commit', '-qm', 'corpus');
}
git('reset', '-q', '--hard');
const changed: string[] = [];
for (let i = 0; i < 10; i++) {
  const n = i * 97;
  const file = `team-${n % 20}/app-${n}.yaml`;
  writeFileSync(join(repo, file), readFileSync(join(repo, file), 'utf8').replace(/replicas: \d+/, 'replicas: 3') + '\n');
  changed.push(file);
}
git('add', ...changed);

const node = medianOf(runs, () => timeCommand(process.execPath, ['-e', '0']));
// The hook's steady state: the parse cache (~/.cache/kubeplan/parsed) holds the index's blobs from the commit before
// (medianOf's warm-up run fills it, as a first commit would). And without it (KUBEPLAN_CACHE_DIR=off): the first run in
// a repository, or a machine where the cache directory is not writable.
const hook = medianOf(runs, () => timeCommand(process.execPath, [kubeplanBin, 'validate', '--staged', ...changed], { cwd: repo }));
const cold = medianOf(runs, () => timeCommand(process.execPath, [kubeplanBin, 'validate', '--staged', ...changed], { cwd: repo, env: { ...process.env, KUBEPLAN_CACHE_DIR: 'off' } }));
console.log(`pre-commit (10 staged files, 1,000-file repo): kubeplan validate --staged ${hook.ms.toFixed(0)} ms median of ${runs} (exit ${hook.status}; parse cache warm), ${cold.ms.toFixed(0)} ms without the cache; bare node start ${node.ms.toFixed(0)} ms; target < 300 ms`);
for (const r of [hook, cold]) if (r.status !== 0 && r.status !== 1) console.log(r.stderr);
git('reset', '-q', '--hard');
