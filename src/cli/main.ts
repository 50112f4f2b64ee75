#!/usr/bin/env node
// The `kubeplan` command. Before the command line itself loads (cli.ts: most of kubeplan, ~30 ms to read and
// compile), this starts what does not need it parsed: V8's settings, and for `kubeplan plan` against a cluster the
// connection worker, which loads client-node meanwhile and is told which kubeconfig to read once the plan command
// runs (src/cluster/connection-spawn.ts). Then it loads the CLI with a V8 code cache (load-cli.ts) and runs it.
import './tune-v8.ts';
import * as nodeModule from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEarly } from '../cluster/connection-spawn.ts';
import { kubeplanCacheDir } from '../core/cache-dir.ts';
import { loadCompiledCli } from './load-cli.ts';

const args = process.argv.slice(2);
if (plansAgainstCluster(args)) startEarly();
const cacheDir = kubeplanCacheDir();
cacheCompiledCode(cacheDir);
// The bundle with a V8 code cache per command (load-cli.ts); from the TypeScript sources, the module itself.
const command = args[0] === 'validate' || args[0] === 'plan' ? args[0] : 'other';
// Per V8 version too: two Node versions sharing a cache directory (CI's two tiers) would reject each other's.
const cacheFile = cacheDir === false ? undefined : join(cacheDir, 'v8', `cli-${command}-${process.versions.v8}.cache`);
const cli = loadCompiledCli(fileURLToPath(new URL('./cli.cjs', import.meta.url)), cacheFile) ?? (await import('./cli.ts'));
await cli.run(process.argv);

/**
 * Node 22.1+ keeps V8's compiled code of the modules it loads itself on disk (module.enableCompileCache): this
 * launcher and the packages the CLI requires (a small validate leaves 33 entries). The CLI bundle has a cache of its
 * own (load-cli.ts). In kubeplan's cache directory; KUBEPLAN_CACHE_DIR=off leaves it off.
 */
function cacheCompiledCode(base: string | false): void {
  const enable = (nodeModule as { enableCompileCache?: (dir?: string) => unknown }).enableCompileCache;
  if (enable === undefined || base === false) return;
  try {
    enable(join(base, 'compile'));
  } catch {
    // an unwritable cache directory costs only the speed-up
  }
}

/**
 * A guess from the raw arguments, for speed only: a worker started for nothing is ended unused, and one not started
 * early is started when the plan command asks for it.
 */
function plansAgainstCluster(args: readonly string[]): boolean {
  if (args[0] !== 'plan') return false;
  return !args.some((a) => a === '--live' || a.startsWith('--live=') || a === '--live-ref' || a.startsWith('--live-ref=') || a === '-h' || a === '--help');
}
