// `prepare`: build dist/ from src/. Runs after `npm ci` in a checkout, and when a git install (pre-commit's
// `npm install -g git+file://…`) packs this repository. In the latter, npm runs us inside its temporary clone
// with npm_config_global=true inherited, so the clone's devDependencies went to the global prefix instead of
// ./node_modules and tsc is missing here; install them locally first.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const tsc = 'node_modules/typescript/bin/tsc';
if (!existsSync(tsc)) {
  execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--include=dev'], {
    stdio: 'inherit',
    env: { ...process.env, npm_config_global: 'false', npm_config_location: 'project' },
  });
}
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
execFileSync(process.execPath, ['scripts/bundle.mjs'], { stdio: 'inherit' });
