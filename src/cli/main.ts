#!/usr/bin/env node
// The `kubeplan` command. Before the command line itself loads (cli.ts: most of kubeplan, ~30 ms to read and
// compile), this starts what does not need it parsed: V8's settings, and for `kubeplan plan` against a cluster the
// connection worker, which loads client-node meanwhile and is told which kubeconfig to read once the plan command
// runs (src/cluster/connection-spawn.ts).
import './tune-v8.ts';
import * as nodeModule from 'node:module';
import { join } from 'node:path';
import { startEarly } from '../cluster/connection-spawn.ts';
import { kubeplanCacheDir } from '../core/cache-dir.ts';

if (plansAgainstCluster(process.argv.slice(2))) startEarly();
cacheCompiledCode();
await import('./cli.ts');

/**
 * Node 22.1+ keeps V8's compiled code of the modules it loads on disk (module.enableCompileCache): the CLI bundle then
 * loads ~40 ms faster on the next run. Node 20 has no such cache (there the V8 flags of tune-v8.ts do more). In
 * kubeplan's cache directory; KUBEPLAN_CACHE_DIR=off leaves it off.
 */
function cacheCompiledCode(): void {
  const enable = (nodeModule as { enableCompileCache?: (dir?: string) => unknown }).enableCompileCache;
  const base = kubeplanCacheDir();
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
