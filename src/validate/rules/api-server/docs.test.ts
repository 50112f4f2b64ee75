import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { apiServerRules } from './index.ts';

const docsDir = fileURLToPath(new URL('../../../../docs/rules/', import.meta.url));

describe('api-server rule docs', () => {
  it('rule ids are unique kebab-case and the rules are on by default as errors', () => {
    const ids = apiServerRules.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { meta } of apiServerRules) {
      expect(meta.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(meta).toMatchObject({ defaultSeverity: 'error', enabledByDefault: true });
      expect(meta.description).toMatch(/\.$/);
    }
  });

  it.each(apiServerRules.map((r) => [r.meta.id, r] as const))('docs/rules/%s.md is the SARIF help, word for word', (id, rule) => {
    const file = `${docsDir}${id}.md`;
    expect(existsSync(file), `${file} is missing`).toBe(true);
    expect(rule.meta.help).toBe(readFileSync(file, 'utf8'));
    expect(rule.meta.help?.startsWith(`# ${id}\n`)).toBe(true);
  });
});
