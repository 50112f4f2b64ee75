// The launcher (dist/cli/main.js, src/cli/main.ts): what it does before the CLI loads.
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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

  it('loads the CLI bundle with a V8 code cache per command: written by the first run, kept by the next, rewritten when V8 rejects it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeplan-launcher-v8-'));
    const env = { KUBEPLAN_CACHE_DIR: dir };
    const first = runCli(['validate', 'fixtures/validate/broken', '-o', 'json'], { env });
    expect(first.status).toBe(1);
    // Named by the V8 of the Node that runs the tests (runCli uses the same one).
    const cache = join(dir, 'v8', `cli-validate-${process.versions.v8}.cache`);
    expect(statSync(cache).size).toBeGreaterThan(10_000);
    const written = readFileSync(cache);
    // Accepted by the next run: not written again, and the same report.
    const second = runCli(['validate', 'fixtures/validate/broken', '-o', 'json'], { env });
    expect(second.stdout).toBe(first.stdout);
    expect(readFileSync(cache).equals(written)).toBe(true);
    // Plan has a cache of its own.
    expect(runCli(['plan', 'fixtures/example-app/manifests', '--live', 'fixtures/example-app/live'], { env }).status).toBe(0);
    expect(existsSync(join(dir, 'v8', `cli-plan-${process.versions.v8}.cache`))).toBe(true);
    // A damaged cache: V8 rejects it, the run is the same, and the cache is written anew.
    writeFileSync(cache, Buffer.alloc(4096, 7));
    const damaged = runCli(['validate', 'fixtures/validate/broken', '-o', 'json'], { env });
    expect(damaged.status).toBe(1);
    expect(damaged.stdout).toBe(first.stdout);
    expect(damaged.stderr).toBe(first.stderr);
    expect(readFileSync(cache).equals(Buffer.alloc(4096, 7))).toBe(false);
    // Caches off: none.
    const home = mkdtempSync(join(tmpdir(), 'kubeplan-launcher-v8-home-'));
    expect(runCli(['validate', 'fixtures/validate/clean'], { env: { KUBEPLAN_CACHE_DIR: 'off', XDG_CACHE_HOME: home } }).status).toBe(0);
    expect(readdirSync(home)).toEqual([]);
  });
});
