// The launcher (dist/cli/main.js, src/cli/main.ts): what it does before the CLI loads.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const compileCacheSupported = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';

describe('the kubeplan launcher', () => {
  it(`keeps V8's compiled code under the cache directory where Node can (Node 22.1+; this is ${process.version}), and nothing with caches off`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeplan-launcher-'));
    const r = runCli(['validate', 'fixtures/validate/clean'], { env: { KUBEPLAN_CACHE_DIR: dir } });
    expect(r.status, r.stderr).toBe(0);
    const compiled = join(dir, 'compile');
    expect(existsSync(compiled)).toBe(compileCacheSupported);
    if (compileCacheSupported) expect(readdirSync(compiled).length).toBeGreaterThan(0);
    // KUBEPLAN_CACHE_DIR=off: not even in the default place.
    const home = mkdtempSync(join(tmpdir(), 'kubeplan-launcher-home-'));
    const off = runCli(['validate', 'fixtures/validate/clean'], { env: { KUBEPLAN_CACHE_DIR: 'off', XDG_CACHE_HOME: home } });
    expect(off.status, off.stderr).toBe(0);
    expect(readdirSync(home)).toEqual([]);
  });
});
