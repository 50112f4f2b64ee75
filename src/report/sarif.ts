// `--format sarif`: a SARIF 2.1.0 log with one run, for GitHub code scanning and other SARIF viewers.
//
// Decisions (see docs of GitHub's "SARIF support for code scanning" and OASIS SARIF 2.1.0):
// - tool.driver.rules lists every rule that ran (from report.rules), plus a minimal descriptor for any rule
//   id that appears only in findings (parse errors, internal errors), so every result's ruleIndex is valid.
// - artifactLocation.uri is the display path as a relative URI reference (POSIX, each segment
//   percent-encoded); GitHub resolves it against the repository root. Absolute paths under ctx.cwd are made
//   relative; other absolute paths become file: URIs.
// - regions carry startLine/startColumn and, when known, endLine/endColumn (exclusive, like our ranges);
//   columns count UTF-16 code units, declared once as run.columnKind.
// - the object is a logical location: kind "resource", fullyQualifiedName "Deployment shop/web",
//   with apiVersion/kind/namespace/name in its property bag.
// - partialFingerprints["kubeplan/v1"] hashes rule, file, object identity (group, kind, namespace, name)
//   and message, never the line, so moving YAML around keeps the alert; a ":n" suffix numbers identical
//   findings in report order.
// - suppressed findings stay as results with suppressions [{kind: inSource|external, status: accepted}],
//   so code scanning shows them as dismissed instead of losing them.
import { createHash } from 'node:crypto';
import { isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, RuleMeta, Severity, ValidationReport } from '../core/types.ts';
import { messageWithObject, objectKey, objectLabel } from './common.ts';
import type { ReporterContext } from './types.ts';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const FINGERPRINT_KEY = 'kubeplan/v1';

type SarifLevel = 'error' | 'warning' | 'note';

export function sarifLevel(severity: Severity): SarifLevel {
  return severity === 'info' ? 'note' : severity;
}

/** Repo-relative POSIX path → URI reference, each segment percent-encoded (spaces, '#', '%', ':' and non-ASCII included). */
export function artifactUri(file: string, cwd: string): string {
  let path = file;
  if (isAbsolute(path)) {
    const rel = relative(cwd, path);
    if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return pathToFileURL(path).href;
    path = sep === '/' ? rel : rel.split(sep).join('/');
  }
  return path.split('/').map(encodeURIComponent).join('/');
}

/** First paragraph of the rule's help that is not a heading, as plain text for fullDescription. */
function firstParagraph(markdown: string): string | undefined {
  for (const block of markdown.split(/\n\s*\n/)) {
    const text = block.trim();
    if (text !== '' && !text.startsWith('#')) return text.replace(/\s*\n\s*/g, ' ');
  }
  return undefined;
}

interface SarifRule {
  id: string;
  shortDescription: { text: string };
  fullDescription?: { text: string };
  help?: { text: string; markdown: string };
  defaultConfiguration: { level: SarifLevel };
}

function sarifRule(meta: RuleMeta): SarifRule {
  const rule: SarifRule = { id: meta.id, shortDescription: { text: meta.description } } as SarifRule;
  const help = meta.help?.trim();
  if (help) {
    const full = firstParagraph(help);
    if (full !== undefined && full !== meta.description) rule.fullDescription = { text: full };
    rule.help = { text: help, markdown: help };
  }
  // No `enabled`: a rule listed here ran, and some consumers skip results of rules marked disabled by default.
  rule.defaultConfiguration = { level: sarifLevel(meta.defaultSeverity) };
  return rule;
}

function fingerprint(f: Finding): string {
  const identity = JSON.stringify([f.rule, f.file, objectKey(f.object), f.message]);
  return createHash('sha256').update(identity).digest('hex').slice(0, 32);
}

function region(f: Finding): Record<string, number> {
  const startLine = Math.max(1, Math.trunc(f.line));
  const startColumn = Math.max(1, Math.trunc(f.column));
  const r: Record<string, number> = { startLine, startColumn };
  if (f.endLine !== undefined && f.endLine >= startLine) {
    r.endLine = Math.trunc(f.endLine);
    if (f.endColumn !== undefined && f.endColumn >= 1 && (f.endLine > startLine || f.endColumn >= startColumn)) {
      r.endColumn = Math.trunc(f.endColumn);
    }
  }
  return r;
}

/** The SARIF log as a value. */
export function sarifLog(report: ValidationReport, ctx: ReporterContext): Record<string, unknown> {
  const rules: SarifRule[] = [];
  const ruleIndex = new Map<string, number>();
  const addRule = (meta: RuleMeta): void => {
    if (ruleIndex.has(meta.id)) return;
    ruleIndex.set(meta.id, rules.length);
    rules.push(sarifRule(meta));
  };
  for (const meta of report.rules) addRule(meta);
  for (const f of report.findings) {
    addRule({ id: f.rule, description: `kubeplan rule ${f.rule}`, defaultSeverity: f.severity, enabledByDefault: true });
  }

  const seen = new Map<string, number>();
  const results = report.findings.map((f) => {
    const hash = fingerprint(f);
    const occurrence = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, occurrence);
    const location: Record<string, unknown> = {
      physicalLocation: { artifactLocation: { uri: artifactUri(f.file, ctx.cwd) }, region: region(f) },
    };
    if (f.object !== null) {
      const { apiVersion, kind, namespace, name } = f.object;
      location.logicalLocations = [
        {
          name: name === '' ? '(unnamed)' : name,
          fullyQualifiedName: objectLabel(f.object),
          kind: 'resource',
          properties: namespace === undefined ? { apiVersion, kind, name } : { apiVersion, kind, namespace, name },
        },
      ];
    }
    const result: Record<string, unknown> = {
      ruleId: f.rule,
      ruleIndex: ruleIndex.get(f.rule),
      level: sarifLevel(f.severity),
      message: { text: messageWithObject(f) },
      locations: [location],
      partialFingerprints: { [FINGERPRINT_KEY]: `${hash}:${occurrence}` },
    };
    if (f.suppressed !== undefined) {
      const suppression: Record<string, string> = { kind: f.suppressed.kind === 'inline' ? 'inSource' : 'external', status: 'accepted' };
      if (f.suppressed.justification.trim() !== '') suppression.justification = f.suppressed.justification;
      result.suppressions = [suppression];
    }
    return result;
  });

  const driver: Record<string, unknown> = { name: 'kubeplan', version: ctx.toolVersion };
  if (ctx.informationUri !== undefined) driver.informationUri = ctx.informationUri;
  driver.rules = rules;
  const s = report.summary;
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver },
        results,
        columnKind: 'utf16CodeUnits',
        properties: { kubernetesVersion: s.kubernetesVersion, files: s.files, objects: s.objects },
      },
    ],
  };
}

export function sarif(report: ValidationReport, ctx: ReporterContext): string {
  return `${JSON.stringify(sarifLog(report, ctx), null, 2)}\n`;
}
