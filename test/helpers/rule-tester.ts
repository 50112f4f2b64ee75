import { parseText } from '../../src/manifests/parse.ts';
import type { Finding } from '../../src/core/types.ts';
import type { Rule, RunSettings } from '../../src/validate/rules/rule.ts';
import { runRules, type RuleConfig } from '../../src/validate/rules/run.ts';

export const defaultSettings: RunSettings = { kubernetesVersion: '1.36', defaultNamespace: 'default' };

export interface CompactFinding {
  rule: string;
  severity: string;
  line: number;
  column: number;
  message: string;
}

/** Run one rule (forced on) over YAML text and return its findings in a compact, assertable form. */
export function runRuleOn(rule: Rule, yaml: string | Record<string, string>, opts: { settings?: Partial<RunSettings>; config?: RuleConfig } = {}): CompactFinding[] {
  const files = typeof yaml === 'string' ? { 'test.yaml': yaml } : yaml;
  const manifests = Object.entries(files).flatMap(([path, text]) => {
    const parsed = parseText(path, text);
    if (parsed.findings.length > 0) throw new Error(`test YAML does not parse: ${parsed.findings.map((f) => `${f.line}:${f.column} ${f.message}`).join('; ')}`);
    return parsed.manifests;
  });
  const config = { [rule.meta.id]: { severity: opts.config?.severity ?? rule.meta.defaultSeverity, ...(opts.config?.options ? { options: opts.config.options } : {}) } };
  return runRules([rule], manifests, { ...defaultSettings, ...opts.settings }, config).map(compact);
}

export function compact(f: Finding): CompactFinding {
  return { rule: f.rule, severity: f.severity, line: f.line, column: f.column, message: f.message };
}

/** Strip a common leading indent so YAML can be written indented inside test tables. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join('\n');
}
