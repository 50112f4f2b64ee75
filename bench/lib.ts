// Shared helpers for the benchmarks: peer tools built from the Go module proxy into a cache outside the clone,
// a replicated corpus, and wall-clock timing of whole processes (what a user waits for).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';
import { BUILTIN_CLUSTER_SCOPED } from '../src/k8s/kinds.ts';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const sharedDir = join(repoRoot, '..', 'shared');
export const cacheDir = process.env.KUBEPLAN_CACHE_DIR ?? join(homedir(), '.cache', 'kubeplan');
export const kubeplanBin = join(repoRoot, 'dist', 'cli', 'main.js');

export function requireShared(): string {
  const corpus = join(sharedDir, 'corpus');
  if (!existsSync(corpus)) {
    console.log(`bench: skipped, ${corpus} is absent (the corpus lives in ../shared beside the clone)`);
    process.exit(0);
  }
  return corpus;
}

/** `go install module@version` into a per-version directory; reused when already built. */
export function goTool(name: string, pkg: string, version: string): string {
  const dir = join(cacheDir, 'tools', `${name}-${version}`);
  const bin = join(dir, name);
  if (!existsSync(bin)) {
    console.log(`bench: building ${pkg}@${version} (cached in ${dir})`);
    execFileSync('go', ['install', `${pkg}@${version}`], { env: { ...process.env, GOBIN: dir }, stdio: 'inherit' });
  }
  return bin;
}

export interface Timed {
  ms: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

export function timeCommand(cmd: string, args: string[], opts: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): Timed {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? repoRoot, input: opts.input, encoding: 'utf8', maxBuffer: 1 << 30, ...(opts.env ? { env: opts.env } : {}) });
  return { ms: performance.now() - t, status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Median wall time of `runs` runs after one warm-up (page cache, compiled-schema caches). */
export function medianOf(runs: number, fn: () => Timed): Timed {
  fn();
  const all = Array.from({ length: runs }, fn).sort((a, b) => a.ms - b.ms);
  return all[Math.floor(all.length / 2)] as Timed;
}

export function listManifestFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listManifestFiles(p));
    else if (/\.(ya?ml|json)$/.test(name) && name !== 'kustomization.yaml') out.push(p);
  }
  return out;
}

// Kind names are enough here: the corpus has no two kinds of one name in different scopes.
const CLUSTER_SCOPED = new Set(BUILTIN_CLUSTER_SCOPED.map((gk) => gk.kind));

/**
 * Copies of the shared corpus until it holds at least `target` resources. Copy i moves namespaced objects to
 * "<ns>-r<i>" and renames cluster-scoped ones, so the replicated set has no duplicate objects; CRDs are kept once
 * (their names are fixed by group and plural) and live in crds/ so both tools can be given them.
 */
export function replicatedCorpus(target: number): { dir: string; resources: number; files: number; bytes: number } {
  const corpus = requireShared();
  const dir = join(cacheDir, 'bench', `corpus-v2-${target}`);
  // Beside the corpus, not in it: kubeconform would read it as a manifest.
  const stamp = `${dir}.json`;
  if (existsSync(stamp)) return JSON.parse(readFileSync(stamp, 'utf8')) as { dir: string; resources: number; files: number; bytes: number };
  rmSync(dir, { recursive: true, force: true });
  const sources = listManifestFiles(corpus).map((p) => ({ rel: relative(corpus, p), docs: parseAllDocuments(readFileSync(p, 'utf8')) }));
  const parsed = sources.map(({ rel, docs }) => ({ rel, objects: (Array.isArray(docs) ? docs : []).map((d) => d.toJS() as Record<string, unknown> | null).filter((o): o is Record<string, unknown> => !!o && typeof o === 'object') }));
  const crds = parsed.flatMap((f) => f.objects.filter((o) => o.kind === 'CustomResourceDefinition'));
  mkdirSync(join(dir, 'crds'), { recursive: true });
  writeFileSync(join(dir, 'crds', 'crds.yaml'), crds.map((o) => stringify(o)).join('---\n'));
  const perCopy = parsed.reduce((n, f) => n + f.objects.filter((o) => o.kind !== 'CustomResourceDefinition').reduce((k, o) => k + (Array.isArray(o.items) ? o.items.length : 1), 0), 0);
  const copies = Math.ceil(target / perCopy);
  let files = 1;
  let bytes = 0;
  for (let i = 0; i < copies; i++) {
    for (const f of parsed) {
      // microservices-demo ships its app twice (kubernetes-manifests/ and the release/ bundle): give each
      // source folder its own namespace suffix so the copies are distinct objects, not duplicates.
      const tag = `${i}${f.rel.includes('release/') ? 'rel' : ''}`;
      const objects = f.objects.filter((o) => o.kind !== 'CustomResourceDefinition').map((o) => renameCopy(o, tag));
      if (objects.length === 0) continue;
      const out = join(dir, `r${i}`, f.rel);
      mkdirSync(dirname(out), { recursive: true });
      const text = objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
      writeFileSync(out, text);
      files++;
      bytes += text.length;
    }
  }
  const info = { dir, resources: copies * perCopy + crds.length, files, bytes };
  writeFileSync(stamp, JSON.stringify(info));
  return info;
}

function renameCopy(o: Record<string, unknown>, i: string): Record<string, unknown> {
  const copy = structuredClone(o);
  const items = Array.isArray(copy.items) ? (copy.items as Record<string, unknown>[]) : [copy];
  for (const item of items) {
    const meta = (item.metadata ?? {}) as Record<string, unknown>;
    if (typeof meta.namespace === 'string') meta.namespace = `${meta.namespace}-r${i}`;
    else if (CLUSTER_SCOPED.has(String(item.kind)) && typeof meta.name === 'string') meta.name = `${meta.name}-r${i}`;
    else if (typeof meta.name === 'string') meta.namespace = `default-r${i}`;
  }
  return copy;
}

export function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}×`;
}
