// The committed schemas/ folder and src/generated/k8s.ts must be exactly what `npm run schemas` produces.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { drift, generateSchemas, ROOT, SCHEMAS, SHARED } from '../../../scripts/generate-schemas.ts';
import type { IndexFile } from './store.ts';

const hasShared = existsSync(join(SHARED, 'openapi'));
if (!hasShared) console.warn(`schema drift: regeneration skipped, ${join(SHARED, 'openapi')} is absent (the specs live in ../shared)`);

let generated: ReturnType<typeof generateSchemas> | undefined;
const regenerate = (): ReturnType<typeof generateSchemas> => (generated ??= generateSchemas());

function filesUnder(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(root, p) : [relative(root, p).split('\\').join('/')];
  });
}

describe('committed schemas', () => {
  it('match the sha256 the generator recorded in schemas/index.json (no hand edits, no partial regeneration)', () => {
    const index = JSON.parse(readFileSync(join(SCHEMAS, 'index.json'), 'utf8')) as IndexFile;
    const onDisk = filesUnder(SCHEMAS).filter((f) => f !== 'index.json');
    expect(onDisk.sort()).toEqual(Object.keys(index.files).sort());
    for (const [name, hash] of Object.entries(index.files)) {
      const bytes = readFileSync(join(SCHEMAS, name));
      const content = name.endsWith('.br') ? brotliDecompressSync(bytes) : bytes;
      expect(createHash('sha256').update(content).digest('hex'), `schemas/${name}`).toBe(hash);
    }
  });

  it('keep every file under 5 MB and the folder small', () => {
    let total = 0;
    for (const f of filesUnder(SCHEMAS)) {
      const size = statSync(join(SCHEMAS, f)).size;
      expect(size, f).toBeLessThan(5 * 1024 * 1024);
      total += size;
    }
    expect(total).toBeLessThan(3 * 1024 * 1024);
  });

  it.runIf(hasShared)(
    'are what the generator produces from ../shared today (schemas/ and src/generated/k8s.ts)',
    async () => {
      const outputs = await regenerate();
      expect(outputs.has('src/generated/k8s.ts')).toBe(true);
      expect(drift(outputs)).toEqual([]);
    },
    120_000,
  );

  it.runIf(hasShared)('drift() notices a changed, a missing and an extra file', async () => {
    const outputs = await regenerate();
    const changed = new Map(outputs);
    const lifecycle = changed.get('schemas/api-lifecycle.json') as string;
    changed.set('schemas/api-lifecycle.json', lifecycle.replace('"removedIn":"1.25"', '"removedIn":"1.26"'));
    changed.set('schemas/not-committed.json', '{}');
    changed.delete('schemas/definitions.json');
    expect(drift(changed)).toEqual([
      'schemas/api-lifecycle.json: differs from the generator\'s output',
      'schemas/not-committed.json: missing',
      'schemas/definitions.json: not produced by the generator',
    ]);
    expect(ROOT).toBe(join(SCHEMAS, '..'));
  }, 120_000);
});
