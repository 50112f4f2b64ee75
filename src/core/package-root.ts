// kubeplan's own files (schemas/, package.json, the config schema, the built worker scripts) are found from the
// package's root, not from the calling module's place: the CLI runs as one bundled file (dist/cli/cli.js, see
// scripts/bundle.mjs) whose modules no longer sit where their sources do, while tests run the TypeScript sources and
// the worker threads run scripts under dist/ (tsc's output, or the bundled connection worker).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory holding kubeplan's package.json, found by walking up from this module. */
export const PACKAGE_ROOT: string = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** Whether this process runs the TypeScript sources (vitest, tsx) rather than the built JavaScript. */
export const FROM_SOURCES: boolean = import.meta.url.endsWith('.ts');

/**
 * A module of the package by its path under src/ without extension (`validate/parallel/worker`): the built
 * JavaScript under dist/ when running it, the TypeScript source when running those.
 */
export function packageModule(pathUnderSrc: string): string {
  return FROM_SOURCES ? join(PACKAGE_ROOT, 'src', `${pathUnderSrc}.ts`) : join(PACKAGE_ROOT, 'dist', `${pathUnderSrc}.js`);
}

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && isKubeplan(manifest)) return dir;
    if (dirname(dir) === dir) throw new Error(`kubeplan: cannot find the package root above ${start}`);
  }
}

function isKubeplan(manifest: string): boolean {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'kubeplan';
  } catch {
    return false;
  }
}
