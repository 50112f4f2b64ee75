// docs/rules/<id>.md is the same markdown as RuleMeta.help (shown by --help and in SARIF help.markdown).
// Regenerate after editing a rule's doc: UPDATE_RULE_DOCS=1 npx vitest run src/validate/rules/cross-object/docs.test.ts
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hygieneRules } from '../hygiene/index.ts';
import { crossObjectRules } from './index.ts';

const docsDir = fileURLToPath(new URL('../../../../docs/rules/', import.meta.url));
const rules = [...crossObjectRules, ...hygieneRules];

describe('rule docs', () => {
  it('ids are unique kebab-case and every rule has help', () => {
    const ids = rules.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of rules) {
      expect(r.meta.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(r.meta.help?.startsWith(`# ${r.meta.id}\n`)).toBe(true);
      expect(r.meta.description.length).toBeGreaterThan(20);
    }
  });

  it.each(rules.map((r) => [r.meta.id, r] as const))('docs/rules/%s.md matches RuleMeta.help', (id, rule) => {
    const path = `${docsDir}${id}.md`;
    if (process.env.UPDATE_RULE_DOCS === '1') {
      mkdirSync(docsDir, { recursive: true });
      writeFileSync(path, rule.meta.help ?? '');
    }
    expect(existsSync(path), `${path} is missing; run with UPDATE_RULE_DOCS=1`).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(rule.meta.help);
  });

  it('docs/rules/suppressions.md documents the annotation syntax the parser implements', () => {
    const text = readFileSync(`${docsDir}suppressions.md`, 'utf8');
    expect(text).toContain('kubeplan.dev/ignore');
    expect(text).toContain('--update-baseline');
  });
});
