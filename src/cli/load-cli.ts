// The CLI bundle (dist/cli/cli.cjs, scripts/bundle.mjs) compiled with a V8 code cache: the launcher (main.ts) loads
// it here rather than with import(). Node 20 caches no compiled code between runs, so every run compiled the 770 KB
// bundle, and then each function it called, again. The cache is written when a run ends, so it holds what that command
// compiled (one file per command: validate and plan call different code), and V8 checks it against the source and its
// own version and flags: a cache it rejects (a new kubeplan, another Node) is written anew. A small validate runs ~20
// ms faster.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import vm from 'node:vm';

export type Cli = typeof import('./cli.ts');

/** The bundle's exports, or undefined when there is no bundle (the TypeScript sources run: import cli.ts instead). */
export function loadCompiledCli(bundle: string, cacheFile: string | undefined): Cli | undefined {
  let source: string;
  try {
    source = readFileSync(bundle, 'utf8');
  } catch {
    return undefined;
  }
  let cachedData: Buffer | undefined;
  if (cacheFile !== undefined) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      // none yet: written below
    }
  }
  // The CommonJS wrapper on the source's first line, so that stack traces keep the bundle's line numbers.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle, ...(cachedData ? { cachedData } : {}) });
  if (cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) {
    process.once('exit', () => writeCache(cacheFile, script));
  }
  const module = { exports: {} as Cli };
  const wrapper = script.runInThisContext() as (exports: Cli, require: NodeJS.Require, module: { exports: Cli }, filename: string, dirname: string) => void;
  wrapper(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  return module.exports;
}

/** The code cache as it is at the end of the run; a cache directory that cannot be written costs only the speed-up. */
function writeCache(file: string, script: vm.Script): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, file);
  } catch {
    // read-only or full: the next run compiles again
  }
}
