import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPrecompiled, ValidatorCompiler } from './compiler.ts';
import { committedSource } from './source.ts';

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'kubeplan-compiler-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const deployment = (replicas: unknown): unknown => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', bogus: true }] } } },
});

describe('compiled validators', () => {
  it('the committed precompiled module is current (generated for this source and this ajv) and covers every kind', () => {
    const source = committedSource('1.36');
    const pre = openPrecompiled(source.precompiledPath as string, source.id, false);
    expect(pre, 'schemas/compiled is stale: run npm run schemas').toBeDefined();
    expect(Object.keys(pre?.exports ?? {}).length).toBe(source.kinds.length);
    expect(openPrecompiled(source.precompiledPath as string, 'another-source', false)).toBeUndefined();
  });

  it('precompiled and freshly compiled validators give the same errors', () => {
    const source = committedSource('1.36');
    const pre = openPrecompiled(source.precompiledPath as string, source.id, false);
    const mod = pre?.load() ?? {};
    const kind = source.kindByKey.get('apps/v1 Deployment');
    const fromModule = mod[pre?.exports['apps/v1 Deployment'] ?? ''] as ((d: unknown) => boolean) & { errors?: unknown };
    const fresh = new ValidatorCompiler(source, false).definition(kind?.definition ?? '', kind?.schemaHash ?? '');
    for (const doc of [deployment(3), deployment('3'), deployment(null)]) {
      expect(fromModule(doc)).toBe(fresh(doc));
      expect(fromModule.errors ?? null).toEqual(fresh.errors ?? null);
    }
    expect(fresh(deployment('3'))).toBe(false);
  });

  it('caches generated code on disk, loads it without ajv, and adds a V8 code cache after first use', () => {
    const dir = tempDir();
    const source = committedSource('1.33');
    const kind = source.kindByKey.get('apps/v1 Deployment');
    const first = new ValidatorCompiler(source, dir);
    const a = first.definition(kind?.definition ?? '', kind?.schemaHash ?? '');
    const files = readdirSync(join(dir, 'validators'));
    expect(files.filter((f) => f.endsWith('.cjs'))).toHaveLength(1);

    const second = new ValidatorCompiler(source, dir);
    const b = second.definition(kind?.definition ?? '', kind?.schemaHash ?? '');
    expect((second as unknown as { ajv?: unknown }).ajv, 'loaded from disk, no ajv instance').toBeUndefined();
    expect(b(deployment('3'))).toBe(false);
    expect(b.errors).toEqual((a(deployment('3')), a.errors));
    expect(readdirSync(join(dir, 'validators')).filter((f) => f.endsWith('.v8'))).toHaveLength(1);

    const third = new ValidatorCompiler(source, dir);
    const c = third.definition(kind?.definition ?? '', kind?.schemaHash ?? '');
    expect(c(deployment(2))).toBe(false); // the container's bogus field
    expect(c.errors?.map((e) => e.keyword)).toEqual(['additionalProperties']);
  });

  it('a different schema gets a different cache entry', () => {
    const dir = tempDir();
    const compiler = new ValidatorCompiler(committedSource('1.33'), dir);
    compiler.schema({ type: 'object', properties: { a: { type: 'string' } } }, 'hash-a');
    compiler.schema({ type: 'object', properties: { a: { type: 'integer' } } }, 'hash-b');
    expect(readdirSync(join(dir, 'validators')).filter((f) => f.endsWith('.cjs'))).toHaveLength(2);
  });
});
