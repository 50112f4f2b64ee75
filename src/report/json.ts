// `--format json`: one JSON document, for scripts and jq. The shape is a public contract:
//   {"findings":[{file,line,column,endLine?,endColumn?,severity,rule,message,object,suppressed?}],"summary":{…}}
// Keys are written in a fixed order whatever order the findings were built in, optional keys are
// omitted rather than null (object is the exception: null means "about the file, not an object").
import type { Finding, ObjectRef, Suppression, ValidationReport, ValidationSummary } from '../core/types.ts';
import type { ReporterContext } from './types.ts';

export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  severity: Finding['severity'];
  rule: string;
  message: string;
  object: ObjectRef | null;
  suppressed?: Suppression;
}

export interface JsonReport {
  findings: JsonFinding[];
  summary: ValidationSummary;
}

function jsonObject(ref: ObjectRef | null): ObjectRef | null {
  if (ref === null) return null;
  return ref.namespace === undefined
    ? { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name }
    : { apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace, name: ref.name };
}

function jsonFinding(f: Finding): JsonFinding {
  const out: JsonFinding = { file: f.file, line: f.line, column: f.column } as JsonFinding;
  if (f.endLine !== undefined) out.endLine = f.endLine;
  if (f.endColumn !== undefined) out.endColumn = f.endColumn;
  out.severity = f.severity;
  out.rule = f.rule;
  out.message = f.message;
  out.object = jsonObject(f.object);
  if (f.suppressed !== undefined) out.suppressed = { kind: f.suppressed.kind, justification: f.suppressed.justification };
  return out;
}

/** The document as a value (the CLI or tests may want it without a parse round-trip). */
export function jsonReport(report: ValidationReport): JsonReport {
  const s = report.summary;
  return {
    findings: report.findings.map(jsonFinding),
    summary: {
      files: s.files,
      objects: s.objects,
      errors: s.errors,
      warnings: s.warnings,
      infos: s.infos,
      suppressed: s.suppressed,
      kubernetesVersion: s.kubernetesVersion,
    },
  };
}

export function json(report: ValidationReport, _ctx?: ReporterContext): string {
  return `${JSON.stringify(jsonReport(report), null, 2)}\n`;
}
