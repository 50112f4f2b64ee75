// Test helper for rule tables: findings as "line:col severity @token", where token is the source text at the
// reported position, so a table shows what each finding points at.
import { defaultSettings } from '../../../../test/helpers/rule-tester.ts';
import type { Finding } from '../../../core/types.ts';
import { parseText } from '../../../manifests/parse.ts';
import type { Rule, RunSettings } from '../rule.ts';
import { runRules, type RunContext } from '../run.ts';

export function tokenAt(text: string, line: number, column: number): string {
  const l = text.split('\n')[line - 1] ?? '';
  const rest = l.slice(column - 1);
  const m = /^("[^"]*"|[^\s,{}[\]]+|[{[])/.exec(rest);
  return m?.[1] ?? rest.slice(0, 12);
}

export function run(rule: Rule, files: string | Record<string, string>, opts: { settings?: Partial<RunSettings>; context?: RunContext } = {}): { findings: Finding[]; texts: Record<string, string> } {
  const texts = typeof files === 'string' ? { 'test.yaml': files } : files;
  const manifests = Object.entries(texts).flatMap(([path, text]) => {
    const parsed = parseText(path, text);
    if (parsed.findings.length > 0) throw new Error(`test YAML does not parse: ${parsed.findings.map((f) => `${path}:${f.line}:${f.column} ${f.message}`).join('; ')}`);
    return parsed.manifests;
  });
  const findings = runRules([rule], manifests, { ...defaultSettings, ...opts.settings }, { [rule.meta.id]: { severity: rule.meta.defaultSeverity } }, opts.context);
  return { findings, texts };
}

/** Run a rule and describe each finding as "line:col severity @token" ("file:" prefix when several files). */
export function findingsAt(rule: Rule, files: string | Record<string, string>, opts: { settings?: Partial<RunSettings>; context?: RunContext } = {}): string[] {
  const { findings, texts } = run(rule, files, opts);
  const multi = Object.keys(texts).length > 1;
  return findings.map((f) => `${multi ? `${f.file}:` : ''}${f.line}:${f.column} ${f.severity} @${tokenAt(texts[f.file] ?? '', f.line, f.column)}`);
}

export function messages(rule: Rule, files: string | Record<string, string>, opts: { settings?: Partial<RunSettings> } = {}): string[] {
  return run(rule, files, opts).findings.map((f) => f.message);
}
