import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseText } from '../../../manifests/parse.ts';
import { runRules } from '../run.ts';
import { apiServerRules } from './index.ts';

// Real-world manifests that an API server accepts must produce no findings: this guards every rule against
// false positives. Findings listed in EXPECTED are real and explained there.
const corpusDir = fileURLToPath(new URL('../../../../../shared/corpus/', import.meta.url));
const present = existsSync(corpusDir);

/** "file:line rule" → why the finding is right. */
const EXPECTED: Record<string, string> = {};

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) return yamlFiles(p);
      return /\.(ya?ml|json)$/.test(name) ? [p] : [];
    });
}

describe.skipIf(!present)('api-server rules on ../shared/corpus', () => {
  it('find nothing the API server would accept, except the findings listed with a reason', () => {
    const manifests = yamlFiles(corpusDir).flatMap((p) => parseText(relative(corpusDir, p), readFileSync(p, 'utf8')).manifests);
    expect(manifests.length).toBeGreaterThan(100);
    const findings = runRules(apiServerRules, manifests, { kubernetesVersion: '1.36', defaultNamespace: 'default' });
    const got = findings.map((f) => `${f.file}:${f.line} ${f.rule}: ${f.message}`);
    const unexpected = got.filter((g) => !Object.keys(EXPECTED).some((k) => g.startsWith(`${k.split(' ')[0]} ${k.split(' ')[1]}`)));
    expect(unexpected).toEqual([]);
    // Every listed exception still happens (so the list does not rot).
    for (const k of Object.keys(EXPECTED)) expect(got.some((g) => g.startsWith(`${k.split(' ')[0]} ${k.split(' ')[1]}`)), k).toBe(true);
  });
});

describe.skipIf(present)('api-server rules on ../shared/corpus', () => {
  it('skipped: ../shared/corpus is absent (the corpus lives next to the project in CI and dev setups)', () => {
    expect(present).toBe(false);
  });
});
