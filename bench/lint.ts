// kubeplan validate (schemas + API-server rules + cross-object graph rules) versus a semantic linter on the same
// 10,000-resource corpus. The issue names kube-linter, but its module host (golang.stackrox.io) is not reachable
// through this machine's Go module proxy, so kube-score, the other linter peer, stands in; kube-linter is used
// when KUBE_LINTER points at a binary.
import { existsSync } from 'node:fs';
import { goTool, kubeplanBin, listManifestFiles, medianOf, ratio, replicatedCorpus, timeCommand } from './lib.ts';

const target = Number(process.env.BENCH_RESOURCES ?? 10_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const corpus = replicatedCorpus(target);
const files = listManifestFiles(corpus.dir);
console.log(`corpus: ${corpus.resources} resources in ${files.length} files`);

const kp = medianOf(runs, () => timeCommand(process.execPath, [kubeplanBin, 'validate', corpus.dir, '-o', 'json']));
console.log(`kubeplan validate: ${kp.ms.toFixed(0)} ms (exit ${kp.status})`);

const kubeLinter = process.env.KUBE_LINTER ?? tryGoTool('kube-linter', 'golang.stackrox.io/kube-linter/cmd/kube-linter', 'v0.7.6');
if (kubeLinter && existsSync(kubeLinter)) {
  const kl = medianOf(runs, () => timeCommand(kubeLinter, ['lint', '--format', 'json', corpus.dir]));
  console.log(`kube-linter (default checks): ${kl.ms.toFixed(0)} ms (exit ${kl.status}); ratio kubeplan/kube-linter speed: ${ratio(kl.ms, kp.ms)}`);
} else {
  console.log('kube-linter: not measured (its module host golang.stackrox.io is not reachable through this machine\'s Go module proxy; set KUBE_LINTER=/path/to/kube-linter)');
}
const kubeScore = goTool('kube-score', 'github.com/zegl/kube-score/cmd/kube-score', 'v1.20.0');
const ks = medianOf(runs, () => timeCommand(kubeScore, ['score', '--output-format', 'ci', ...files]));
console.log(`kube-score v1.20.0 (default checks): ${ks.ms.toFixed(0)} ms (exit ${ks.status}); ratio kubeplan/kube-score speed: ${ratio(ks.ms, kp.ms)}`);

function tryGoTool(name: string, pkg: string, version: string): string | undefined {
  try {
    return goTool(name, pkg, version);
  } catch {
    return undefined;
  }
}
