// kubeplan validate versus kubeconform on the shared corpus replicated to >= 10,000 resources, in one run,
// both offline on the same schemas (kubeplan exports its own in kubeconform's layout).
import { cpus } from 'node:os';
import { join } from 'node:path';
import { cacheDir, goTool, kubeplanBin, medianOf, ratio, replicatedCorpus, timeCommand } from './lib.ts';

const target = Number(process.env.BENCH_RESOURCES ?? 10_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const k8s = process.env.BENCH_KUBERNETES_VERSION ?? '1.36';

const corpus = replicatedCorpus(target);
console.log(`corpus: ${corpus.resources} resources in ${corpus.files} files, ${(corpus.bytes / 1e6).toFixed(1)} MB (${corpus.dir})`);

const kubeconform = goTool('kubeconform', 'github.com/yannh/kubeconform/cmd/kubeconform', 'v0.7.0');
const schemaDir = join(cacheDir, 'bench', `kubeconform-schemas-${k8s}`);
const exported = timeCommand('npx', ['tsx', 'scripts/export-kubeconform-schemas.ts', schemaDir, '--kubernetes-version', k8s, '--crd', join(corpus.dir, 'crds')]);
if (exported.status !== 0) throw new Error(`schema export failed:\n${exported.stderr}`);

const kcArgs = [
  '-strict',
  '-summary',
  '-output', 'json',
  '-n', String(Math.max(2, cpus().length)),
  '-kubernetes-version', `${k8s}.0`,
  '-schema-location', join(schemaDir, '{{.NormalizedKubernetesVersion}}-standalone{{.StrictSuffix}}/{{.ResourceKind}}{{.KindSuffix}}.json'),
  '-schema-location', join(schemaDir, 'crds/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json'),
  corpus.dir,
];
const kc = medianOf(runs, () => timeCommand(kubeconform, kcArgs));
const kp = medianOf(runs, () => timeCommand(process.execPath, [kubeplanBin, 'validate', corpus.dir, '-k', k8s, '-o', 'json']));

const kcSummary = summariseKubeconform(kc.stdout);
const kpSummary = summariseKubeplan(kp.stdout);
console.log(`kubeconform v0.7.0 (-n ${Math.max(2, cpus().length)}): ${kc.ms.toFixed(0)} ms, ${(corpus.resources / (kc.ms / 1000)).toFixed(0)} resources/s, ${kcSummary}`);
console.log(`kubeplan validate (schemas + API-server rules + cross-object rules): ${kp.ms.toFixed(0)} ms, ${(corpus.resources / (kp.ms / 1000)).toFixed(0)} resources/s, ${kpSummary}`);
console.log(`throughput ratio kubeplan/kubeconform: ${ratio(kc.ms, kp.ms)} (target ≥ 2×)`);

function summariseKubeconform(out: string): string {
  try {
    const doc = JSON.parse(out) as { resources?: { status: string }[]; summary?: Record<string, number> };
    return `summary ${JSON.stringify(doc.summary ?? {})}`;
  } catch {
    return `unparsed output (${out.length} bytes)`;
  }
}

function summariseKubeplan(out: string): string {
  try {
    const doc = JSON.parse(out) as { findings: { rule: string; severity: string }[]; summary: Record<string, number> };
    const byRule = new Map<string, number>();
    for (const f of doc.findings) if (f.severity === 'error') byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
    return `${doc.summary.objects} objects, ${doc.summary.errors} errors ${JSON.stringify(Object.fromEntries(byRule))}, ${doc.summary.warnings} warnings`;
  } catch {
    return `unparsed output (${out.length} bytes)`;
  }
}
