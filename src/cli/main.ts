#!/usr/bin/env node
// The `kubeplan` command. Before the command line itself loads (cli.ts: most of kubeplan, ~30 ms to read and
// compile), this starts what does not need it parsed: V8's settings, and for `kubeplan plan` against a cluster the
// connection worker, which loads client-node meanwhile and is told which kubeconfig to read once the plan command
// runs (src/cluster/connection-spawn.ts).
import './tune-v8.ts';
import { startEarly } from '../cluster/connection-spawn.ts';

if (plansAgainstCluster(process.argv.slice(2))) startEarly();
await import('./cli.ts');

/**
 * A guess from the raw arguments, for speed only: a worker started for nothing is ended unused, and one not started
 * early is started when the plan command asks for it.
 */
function plansAgainstCluster(args: readonly string[]): boolean {
  if (args[0] !== 'plan') return false;
  return !args.some((a) => a === '--live' || a.startsWith('--live=') || a === '--live-ref' || a.startsWith('--live-ref=') || a === '-h' || a === '--help');
}
