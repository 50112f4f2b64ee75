import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// CLI tests spawn dist/cli/main.js, exactly what users and the pre-commit hook run; build it once per test run.
export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(process.execPath, [fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url)), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}
