import { objectRefOf } from './objects.ts';
import type { Finding, JsonPath, Manifest, ObjectRef, Severity } from './types.ts';

export interface FindingAt {
  manifest: Manifest;
  path: JsonPath;
  /** Point at the mapping key (e.g. an unknown field) rather than its value. */
  target?: 'key' | 'value';
  rule: string;
  severity: Severity;
  message: string;
}

/** A finding anchored at a path inside a manifest, carrying that manifest's identity. */
export function findingAt({ manifest, path, target, rule, severity, message }: FindingAt): Finding {
  const range = manifest.locate(path, target ?? 'value');
  return {
    file: manifest.file,
    line: range.start.line,
    column: range.start.column,
    endLine: range.end.line,
    endColumn: range.end.column,
    severity,
    rule,
    message,
    object: objectRefOf(manifest.object),
  };
}

/** A finding about a file as a whole or a position in it that no object owns (syntax errors, unreadable files). */
export function fileFinding(file: string, line: number, column: number, rule: string, message: string, object: ObjectRef | null = null): Finding {
  return { file, line, column, severity: 'error', rule, message, object };
}

const severityOrder: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Deterministic order: by file, line, column, then rule; reporters and tests rely on it. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  if (a.severity !== b.severity) return severityOrder[a.severity] - severityOrder[b.severity];
  if (a.rule !== b.rule) return a.rule < b.rule ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}
