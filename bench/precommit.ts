// Pre-commit latency: 10 changed files staged in a 1,000-file repo; kubeplan checks the staged blobs with the
// whole index as context, exactly what the hook runs. Target: under 300 ms of wall time including Node start.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, kubeplanBin, listManifestFiles, medianOf, requireShared, timeCommand } from './lib.ts';

const corpus = requireShared();
const runs = Number(process.env.BENCH_RUNS ?? 7);
const repo = join(cacheDir, 'bench', 'precommit-repo');
const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });

// The microservices-demo files are typical app manifests (Deployment + Service + ServiceAccount each).
const templates = listManifestFiles(join(corpus, 'microservices-demo', 'kubernetes-manifests')).map((p) => readFileSync(p, 'utf8'));
if (!existsSync(join(repo, '.git'))) {
  rmSync(repo, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true });
  git('init', '-q');
  for (let i = 0; i < 1000; i++) {
    const dir = join(repo, `team-${i % 20}`);
    mkdirSync(dir, { recursive: true });
    const text = (templates[i % templates.length] ?? '').replace(/^(\s*)name: (\S+)/gm, `$1name: $2-${i}`);
    writeFileSync(join(dir, `app-${i}.yaml`), `# namespace team-${i % 20}\n${text}`);
  }
  git('add', '-A');
  git('-c', 'user.email=bench@kubeplan.local', '-c', 'user.name=bench', 'commit', '-qm', 'corpus');
}
git('reset', '-q', '--hard');
const changed: string[] = [];
for (let i = 0; i < 10; i++) {
  const file = `team-${(i * 7) % 20}/app-${i * 97}.yaml`;
  writeFileSync(join(repo, file), readFileSync(join(repo, file), 'utf8').replace(/replicas: \d+/, 'replicas: 3') + '\n');
  changed.push(file);
}
git('add', ...changed);

const node = medianOf(runs, () => timeCommand(process.execPath, ['-e', '0']));
const hook = medianOf(runs, () => timeCommand(process.execPath, [kubeplanBin, 'validate', '--staged', ...changed], { cwd: repo }));
console.log(`pre-commit (10 staged files, 1,000-file repo): kubeplan validate --staged ${hook.ms.toFixed(0)} ms median of ${runs} (exit ${hook.status}); bare node start ${node.ms.toFixed(0)} ms; target < 300 ms`);
if (hook.status !== 0 && hook.status !== 1) console.log(hook.stderr);
git('reset', '-q', '--hard');
