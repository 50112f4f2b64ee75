// `--format github`: GitHub Actions workflow commands, one per finding, which the runner turns into
// annotations on the pull request's changed lines:
//   ::error file=manifests/web.yaml,line=9,col=7,endLine=9,endColumn=12,title=kubeplan (schema)::Deployment shop/web: …
// errors → ::error, warnings → ::warning, infos → ::notice. Suppressed findings get no annotation (they were
// accepted on purpose); a final ::notice says how many were left out, so they are never hidden silently.
// Escaping follows the runner's parser: in the message `%`, CR and LF are percent-encoded; in property
// values `:` and `,` are too, since they delimit properties. Each command is therefore exactly one line.
import type { Finding, Severity, ValidationReport } from '../core/types.ts';
import { messageWithObject, plural } from './common.ts';
import type { ReporterContext } from './types.ts';

export function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

function command(name: string, properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${name}${props === '' ? '' : ` ${props}`}::${escapeData(message)}`;
}

function annotation(f: Finding): string {
  return command(
    COMMAND[f.severity],
    {
      file: f.file,
      line: f.line,
      col: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      title: `kubeplan (${f.rule})`,
    },
    messageWithObject(f),
  );
}

export function github(report: ValidationReport, _ctx?: ReporterContext): string {
  const lines = report.findings.filter((f) => !f.suppressed).map(annotation);
  const suppressed = report.findings.filter((f) => f.suppressed);
  if (suppressed.length > 0) {
    const inline = suppressed.filter((f) => f.suppressed?.kind === 'inline').length;
    const baseline = suppressed.length - inline;
    lines.push(
      command(
        'notice',
        { title: 'kubeplan' },
        `${plural(suppressed.length, 'suppressed finding')} not annotated (${inline} inline, ${baseline} by baseline); run kubeplan validate locally to see them`,
      ),
    );
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
