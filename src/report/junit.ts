// `--format junit`: JUnit XML for CI test dashboards (GitLab, Jenkins, Azure DevOps, CircleCI).
//
// Decisions:
// - one <testsuite> per file with findings, one <testcase> per object in it (name "Deployment shop/web",
//   classname the file); findings that belong to no object go into a testcase named after the file.
//   Clean files and objects do not appear: the report only carries findings.
// - a testcase fails when it has at least one unsuppressed error: ONE <failure> element listing all of them
//   (message = the first error, body = every error on its own line), so `failures` counts failed testcases
//   and equals the number of <failure> elements, however a consumer counts.
// - warnings, infos and suppressed findings (with how and why) go to the testcase's <system-out>: they do
//   not fail the build, and "skipped" would claim the check did not run, which is false.
// - nothing from the environment (time, hostname) is written, so the output is reproducible.
// - text is XML 1.0-escaped; characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates,
//   U+FFFE/U+FFFF) are written as visible \uXXXX text instead.
import type { Finding, ValidationReport } from '../core/types.ts';
import { describeSuppression, groupBy, objectKey, objectLabel, plural } from './common.ts';
import type { ReporterContext } from './types.ts';

// Not allowed anywhere in an XML 1.0 document, not even as a character reference.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function visible(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Escape for element content. CR is kept as a reference, which parsers would otherwise turn into LF. */
export function xmlText(text: string): string {
  return text
    .replace(NOT_XML, visible)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('\r', '&#13;');
}

/** Escape for a double-quoted attribute; TAB/LF/CR as references so attribute normalisation keeps them. */
export function xmlAttr(text: string): string {
  return xmlText(text).replaceAll('"', '&quot;').replaceAll("'", '&apos;').replaceAll('\t', '&#9;').replaceAll('\n', '&#10;');
}

function attrs(pairs: Record<string, string | number>): string {
  return Object.entries(pairs)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');
}

function findingLine(f: Finding): string {
  const base = `${f.line}:${f.column} ${f.severity} ${f.rule}: ${f.message}`;
  return f.suppressed ? `${base} (${describeSuppression(f.suppressed)})` : base;
}

interface Case {
  name: string;
  file: string;
  line: number;
  errors: Finding[];
  others: Finding[];
}

function testcase(c: Case): string[] {
  // Every testcase has at least one finding (testcases are made from findings), so it is never empty.
  const out = [`    <testcase${attrs({ name: c.name, classname: c.file, file: c.file, line: c.line })}>`];
  const first = c.errors[0];
  if (first !== undefined) {
    const message = c.errors.length === 1 ? first.message : `${first.message} (and ${plural(c.errors.length - 1, 'more error')})`;
    out.push(`      <failure${attrs({ message, type: first.rule })}>${xmlText(c.errors.map(findingLine).join('\n'))}</failure>`);
  }
  if (c.others.length > 0) out.push(`      <system-out>${xmlText(c.others.map(findingLine).join('\n'))}</system-out>`);
  out.push('    </testcase>');
  return out;
}

export function junit(report: ValidationReport, _ctx?: ReporterContext): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const [file, findings] of groupBy(report.findings, (f) => f.file)) {
    const cases: Case[] = [];
    for (const group of groupBy(findings, (f) => objectKey(f.object)).values()) {
      const head = group[0]!;
      cases.push({
        name: head.object === null ? file : objectLabel(head.object),
        file,
        line: head.line,
        errors: group.filter((f) => f.severity === 'error' && !f.suppressed),
        others: group.filter((f) => f.severity !== 'error' || f.suppressed),
      });
    }
    const failed = cases.filter((c) => c.errors.length > 0).length;
    tests += cases.length;
    failures += failed;
    suites.push(
      `  <testsuite${attrs({ name: file, tests: cases.length, failures: failed, errors: 0, skipped: 0 })}>`,
      ...cases.flatMap(testcase),
      '  </testsuite>',
    );
  }
  const s = report.summary;
  const name = `kubeplan (${plural(s.objects, 'object')} in ${plural(s.files, 'file')}, Kubernetes ${s.kubernetesVersion})`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name, tests, failures, errors: 0, skipped: 0 })}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
