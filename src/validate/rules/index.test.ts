// docs/rules/README.md is the index of every rule kubeplan reports; it is generated from the rules' metadata.
// Regenerate after adding or changing a rule: UPDATE_RULE_DOCS=1 npx vitest run src/validate/rules/index.test.ts
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RuleMeta } from '../../core/types.ts';
import { inputRuleMetas } from '../input-rules.ts';
import { schemaRuleMetas } from '../schema/index.ts';
import { apiServerRules } from './api-server/index.ts';
import { crossObjectRules } from './cross-object/index.ts';
import { hygieneRules } from './hygiene/index.ts';
import { allRules } from './index.ts';

const indexPath = fileURLToPath(new URL('../../../docs/rules/README.md', import.meta.url));
const docsDir = fileURLToPath(new URL('../../../docs/rules/', import.meta.url));

function section(title: string, intro: string, metas: readonly RuleMeta[]): string {
  const rows = metas.map((m) => {
    const name = existsSync(`${docsDir}${m.id}.md`) ? `[\`${m.id}\`](${m.id}.md)` : `\`${m.id}\``;
    return `| ${name} | ${m.enabledByDefault ? m.defaultSeverity : `off (${m.defaultSeverity} when on)`} | ${m.description.replace(/\|/g, '\\|')} |`;
  });
  return `## ${title}\n\n${intro}\n\n| rule | default | what it finds |\n|---|---|---|\n${rows.join('\n')}\n`;
}

function renderIndex(): string {
  const byFolder = (folder: string): RuleMeta[] => allRules.filter((r) => ruleFolder.get(r.meta.id) === folder).map((r) => r.meta);
  return [
    '# Rules\n\nEvery finding kubeplan reports carries one of these rule ids. Change a severity or turn a rule on or off in\n`.kubeplan.yaml` (`rules: {<id>: off|error|warning|info|on}`); suppress one finding with the `kubeplan.dev/ignore`\nannotation ([suppressions](suppressions.md)). This page is generated from the rules themselves.\n',
    section('Input', 'Files that cannot be read or parsed.', inputRuleMetas),
    section('Schemas', 'The Kubernetes API schemas of the chosen version, and the CRDs of the input.', schemaRuleMetas),
    section('API-server rules', 'What the API server enforces beyond its published schemas (names, labels, ports, quantities, …).', byFolder('api-server')),
    section('Cross-object rules', 'Objects that do not fit together, checked over one resource graph of the whole input.', byFolder('cross-object')),
    section('Hygiene rules', 'Opt-in checks of good practice (the kube-score favourites).', byFolder('hygiene')),
  ].join('\n');
}

// Which folder a rule lives in decides its section; read it from the rule modules' own lists.
const ruleFolder = new Map<string, string>([
  ...apiServerRules.map((r) => [r.meta.id, 'api-server'] as [string, string]),
  ...crossObjectRules.map((r) => [r.meta.id, 'cross-object'] as [string, string]),
  ...hygieneRules.map((r) => [r.meta.id, 'hygiene'] as [string, string]),
]);

describe('docs/rules/README.md', () => {
  it('lists every rule with its default, as generated from the rules', () => {
    const expected = renderIndex();
    if (process.env.UPDATE_RULE_DOCS === '1') writeFileSync(indexPath, expected);
    expect(readFileSync(indexPath, 'utf8')).toBe(expected);
  });

  it('has no two rules with the same id', () => {
    const ids = [...inputRuleMetas, ...schemaRuleMetas, ...allRules.map((r) => r.meta)].map((m) => m.id);
    expect(ids.length).toBe(new Set(ids).size);
  });
});
