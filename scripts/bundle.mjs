// The CLI as one file, its launcher as another, and the cluster connection worker as a third.
//
// dist/cli/cli.cjs is rebuilt from src/cli/cli.ts with every module of the project in it. Node's ESM loader reads,
// links and compiles each of the ~140 modules of a validate run separately (~60 ms of a pre-commit hook's ~300 ms);
// one file loads in ~25 ms, and with a V8 code cache in ~15 (src/cli/load-cli.ts: a CommonJS script, because
// vm.Script takes a code cache and needs no experimental flags; the package's import() calls become require()).
// Packages stay imports of node_modules. The rest of dist/ (tsc's output) stays: the validation worker threads run
// it, and the package's own files are found from its root (src/core/package-root.ts).
// dist/cli/main.js (what `kubeplan`, the pre-commit hook and the tests run) is the small launcher (src/cli/main.ts):
// it starts what needs no parsed command line (the connection worker of a plan) before it loads cli.cjs.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli/main.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  packages: 'external',
  legalComments: 'none',
  logLevel: 'warning',
  // The CLI stays a file of its own (cli.cjs, loaded by load-cli.ts); tsc's cli.js is the fallback import.
  plugins: [{ name: 'cli-apart', setup: (b) => b.onResolve({ filter: /^\.\/cli\.ts$/ }, () => ({ path: './cli.js', external: true })) }],
});

await build({
  entryPoints: ['src/cli/cli.ts'],
  outfile: 'dist/cli/cli.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20.19',
  packages: 'external',
  legalComments: 'none',
  logLevel: 'warning',
  // import() of a package becomes require(): a vm.Script has no module loader without an experimental flag.
  supported: { 'dynamic-import': false },
  // Modules find the package's files from import.meta.url (src/core/package-root.ts): the bundle's own URL.
  define: { 'import.meta.url': 'kubeplanBundleUrl' },
  banner: { js: "const kubeplanBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  // The one other use of import.meta (import.meta.resolve in connection-spawn.ts) runs only from the TypeScript sources.
  logOverride: { 'empty-import-meta': 'silent' },
});

// dist/cluster/connection-worker.js: the worker that loads the kubeconfig with @kubernetes/client-node while a plan
// reads the repo. Bundled with the package itself, of which it uses only KubeConfig (src/cluster/kubeconfig-class.ts):
// tree-shaken, that loads in ~50 ms instead of ~300 ms. The package's CommonJS dependencies call require(), which an
// ES module bundle must be given.
await build({
  entryPoints: ['src/cluster/connection-worker.ts'],
  outfile: 'dist/cluster/connection-worker.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  legalComments: 'none',
  logLevel: 'warning',
  banner: { js: "import { createRequire as kubeplanCreateRequire } from 'node:module'; const require = kubeplanCreateRequire(import.meta.url);" },
});
