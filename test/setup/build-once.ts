import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// CLI tests spawn dist/cli/main.js, exactly what users and the pre-commit hook run (the bundled CLI over tsc's
// dist/); build it once per test run.
// Type errors do not stop the build here (tsc still emits): `npm test` type-checks on its own before vitest,
// and a half-finished file elsewhere in the tree should not hide the results of unrelated tests.
export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) process.stderr.write(`build-once: tsc reported errors (tests continue; npm test type-checks separately):\n${result.stdout}${result.stderr}`);
  // Then the one-file CLI (dist/cli/cli.cjs) and its launcher (dist/cli/main.js) over tsc's output, as `npm run build`
  // makes them (scripts/bundle.mjs).
  const bundled = spawnSync(process.execPath, ['scripts/bundle.mjs'], { cwd: root, encoding: 'utf8' });
  if (bundled.status !== 0) throw new Error(`build-once: bundling the CLI failed:\n${bundled.stdout}${bundled.stderr}`);
  for (const file of ['main.js', 'cli.cjs']) {
    if (!existsSync(fileURLToPath(new URL(`../../dist/cli/${file}`, import.meta.url)))) throw new Error(`build-once: dist/cli/${file} was not produced`);
  }
}
