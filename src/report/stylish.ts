// The default human format, modelled on ESLint's stylish: findings grouped by file, then by object,
// one aligned row per finding (`line:col  severity  message  rule`), and a one-line summary.
//
//   manifests/shop.yaml
//     Deployment shop/web
//        9:7   error    spec.replicas: expected integer, got string  schema
//       31:11  warning  container "web" has no memory limit          resources-limits
//
//   ✖ 1 error, 1 warning in 1 file (3 objects in 2 files checked against Kubernetes 1.36)
//
// Suppressed findings stay in place, dimmed, with how and why they were suppressed; they are never
// dropped silently and they do not count as problems in the summary.
import picocolors from 'picocolors';
import type { Finding, Severity, ValidationReport, ValidationSummary } from '../core/types.ts';
import { describeSuppression, groupBy, objectKey, objectLabel, plural } from './common.ts';
import type { ReporterContext } from './types.ts';

type Colors = ReturnType<typeof picocolors.createColors>;

/**
 * Whether to colour output written to `stream`. First match wins:
 * 1. an explicit `--color` / `--no-color` flag;
 * 2. `NO_COLOR` set and non-empty disables (no-color.org);
 * 3. `FORCE_COLOR` set and non-empty enables, except "0" and "false", which disable (as Node and supports-color read them);
 * 4. `TERM=dumb` disables;
 * 5. otherwise colour exactly when the stream is a TTY.
 * Unlike picocolors' own detection, being in CI does not turn colour on for a pipe.
 */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag?: boolean): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

// C0/C1 controls (ESC starts terminal escape sequences), DEL, and bidirectional overrides (which can make
// text display in a different order than it reads): file names, object names and messages come from the
// repository, so they must not be able to drive the terminal.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** Terminal-safe text: controls become visible `\u001b` escapes, tabs become a space. */
export function terminalSafe(text: string): string {
  return text.replaceAll('\t', ' ').replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;
const EMOJI = /^\p{Emoji_Presentation}$/u;

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Columns a string takes in a terminal: East Asian wide characters and emoji take two, combining marks none. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ZERO_WIDTH.test(ch) || (cp >= 0xfe00 && cp <= 0xfe0f)) continue;
    width += isWide(cp) || EMOJI.test(ch) ? 2 : 1;
  }
  return width;
}

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

function severityLabel(severity: Severity, c: Colors): string {
  const padded = severity.padEnd(7);
  return severity === 'error' ? c.red(padded) : severity === 'warning' ? c.yellow(padded) : c.blue(padded);
}

interface Row {
  finding: Finding;
  position: string;
  /** Message lines after sanitising; continuation lines print below the first, under the message column. */
  lines: string[];
}

function renderFile(file: string, findings: Finding[], c: Colors): string[] {
  const lineWidth = Math.max(...findings.map((f) => String(f.line).length));
  const colWidth = Math.max(...findings.map((f) => String(f.column).length));
  const rows: Row[] = findings.map((f) => {
    const text = f.suppressed ? `${f.message} (${describeSuppression(f.suppressed)})` : f.message;
    return {
      finding: f,
      position: `${String(f.line).padStart(lineWidth)}:${String(f.column).padEnd(colWidth)}`,
      lines: text.split(/\r\n|\r|\n/).map(terminalSafe),
    };
  });
  const messageWidth = Math.max(...rows.map((r) => displayWidth(r.lines[0] ?? '')));
  // Every row sits under an object heading, so all rows share one indentation and one set of columns.
  const indent = '    ';
  const messageColumn = indent.length + rows[0]!.position.length + 2 + 7 + 2;

  const out = [c.underline(terminalSafe(file))];
  for (const group of groupBy(rows, (r) => objectKey(r.finding.object)).values()) {
    const ref = group[0]!.finding.object;
    out.push(`  ${ref === null ? c.dim('(no object)') : c.bold(terminalSafe(objectLabel(ref)))}`);
    for (const row of group) {
      const f = row.finding;
      const [first = '', ...rest] = row.lines;
      if (f.suppressed) {
        out.push(c.dim(`${indent}${row.position}  ${f.severity.padEnd(7)}  ${padEnd(first, messageWidth)}  ${f.rule}`));
        for (const line of rest) out.push(c.dim(' '.repeat(messageColumn) + line));
      } else {
        out.push(`${indent}${c.dim(row.position)}  ${severityLabel(f.severity, c)}  ${padEnd(first, messageWidth)}  ${c.dim(f.rule)}`);
        for (const line of rest) out.push(' '.repeat(messageColumn) + line);
      }
    }
  }
  return out.map((line) => line.trimEnd());
}

function checked(s: ValidationSummary): string {
  return `${plural(s.objects, 'object')} in ${plural(s.files, 'file')} checked against Kubernetes ${s.kubernetesVersion}`;
}

/** The closing line, e.g. `✖ 3 errors, 1 warning in 2 files (120 objects in 14 files checked against Kubernetes 1.36)`. */
export function summaryLine(report: ValidationReport, c: Colors): string {
  const s = report.summary;
  const suppressed = s.suppressed > 0 ? `, ${s.suppressed} suppressed` : '';
  const counts = [
    s.errors > 0 ? plural(s.errors, 'error') : '',
    s.warnings > 0 ? plural(s.warnings, 'warning') : '',
    s.infos > 0 ? plural(s.infos, 'info') : '',
  ].filter((x) => x !== '');
  if (counts.length === 0) return c.green(`✔ no problems${suppressed} (${checked(s)})`);
  const files = new Set(report.findings.filter((f) => !f.suppressed).map((f) => f.file)).size;
  const text = `${counts.join(', ')} in ${plural(files, 'file')}${suppressed} (${checked(s)})`;
  if (s.errors > 0) return c.bold(c.red(`✖ ${text}`));
  if (s.warnings > 0) return c.bold(c.yellow(`✖ ${text}`));
  return c.blue(`ℹ ${text}`);
}

export function stylish(report: ValidationReport, ctx: Pick<ReporterContext, 'color'>): string {
  const c = picocolors.createColors(ctx.color);
  const out: string[] = [];
  for (const [file, findings] of groupBy(report.findings, (f) => f.file)) {
    out.push(...renderFile(file, findings, c), '');
  }
  out.push(summaryLine(report, c));
  return `${out.join('\n')}\n`;
}
