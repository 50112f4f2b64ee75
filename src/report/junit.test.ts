import { DOMParser, type Element } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { BROKEN, ctx, DEPLOY, makeReport, RBAC, UNICODE } from '../../test/fixtures/report/report.ts';
import type { Finding } from '../core/types.ts';
import { junit, xmlAttr, xmlText } from './junit.ts';

function parse(xml: string): Element {
  const problems: string[] = [];
  const doc = new DOMParser({ onError: (level, message) => problems.push(`${level}: ${message}`) }).parseFromString(xml, 'text/xml');
  expect(problems).toEqual([]);
  return doc.documentElement!;
}

const children = (el: Element, tag: string): Element[] => Array.from(el.childNodes).filter((n): n is Element => n.nodeType === 1 && (n as Element).tagName === tag);
const num = (el: Element, attr: string): number => Number(el.getAttribute(attr));

// XML 1.0 `Char` production: what a conforming document may contain at all. xmldom is lenient here, so check it directly.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

describe('junit reporter', () => {
  const report = makeReport();
  const xml = junit(report, ctx);
  const root = parse(xml);
  const suites = children(root, 'testsuite');

  it('is a well-formed document with an XML declaration and a <testsuites> root', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(root.tagName).toBe('testsuites');
    expect(xml).not.toMatch(NOT_XML_CHAR);
  });

  it('has one testsuite per file with findings, one testcase per object, and a file testcase for object-less findings', () => {
    expect(suites.map((s) => s.getAttribute('name'))).toEqual([BROKEN, RBAC, DEPLOY, UNICODE]);
    const names = (file: string): (string | null)[] => children(suites.find((s) => s.getAttribute('name') === file)!, 'testcase').map((t) => t.getAttribute('name'));
    expect(names(BROKEN)).toEqual([BROKEN]);
    expect(names(RBAC)).toEqual(['ClusterRole reader']);
    expect(names(DEPLOY)).toEqual(['Deployment shop/web', 'Service shop/web']);
    expect(names(UNICODE)).toEqual(['ConfigMap shop/réglages']);
  });

  it('keeps tests/failures attributes consistent with the elements, per suite and in total', () => {
    let tests = 0;
    let failures = 0;
    for (const suite of suites) {
      const cases = children(suite, 'testcase');
      const failed = cases.filter((c) => children(c, 'failure').length > 0);
      expect(num(suite, 'tests')).toBe(cases.length);
      expect(num(suite, 'failures')).toBe(failed.length);
      expect(num(suite, 'errors')).toBe(0);
      expect(num(suite, 'skipped')).toBe(0);
      for (const c of cases) expect(children(c, 'failure').length).toBeLessThanOrEqual(1);
      tests += cases.length;
      failures += failed.length;
    }
    expect(num(root, 'tests')).toBe(tests);
    expect(num(root, 'failures')).toBe(failures);
    expect([tests, failures]).toEqual([5, 3]);
  });

  it('fails a testcase only for unsuppressed errors; warnings, infos and suppressed findings go to system-out', () => {
    const deploy = children(suites.find((s) => s.getAttribute('name') === DEPLOY)!, 'testcase')[0]!;
    const failure = children(deploy, 'failure')[0]!;
    expect(failure.getAttribute('type')).toBe('schema');
    expect(failure.getAttribute('message')).toBe('spec.replicas: expected integer, got string "three"');
    expect(failure.textContent).toBe('9:13 error schema: spec.replicas: expected integer, got string "three"');
    expect(children(deploy, 'system-out')[0]!.textContent).toBe(
      [
        '20:18 info image-tag-latest: image nginx:latest uses a mutable tag',
        '24:9 warning resources-limits: container "sidecar" has no cpu limit (suppressed inline: sidecar is tiny & bursty; see <ops/runbook>)',
        '31:11 warning resources-limits: container "web" has no memory limit',
      ].join('\n'),
    );
    const suppressedError = children(suites.find((s) => s.getAttribute('name') === UNICODE)!, 'testcase')[0]!;
    expect(children(suppressedError, 'failure')).toHaveLength(0);
    expect(children(suppressedError, 'system-out')[0]!.textContent).toContain('(suppressed by baseline: legacy keys; tracked in #123)');
    expect(children(suppressedError, 'skipped')).toHaveLength(0);
  });

  it('lists every error of a testcase in its single failure', () => {
    const broken = children(suites[0]!, 'testcase')[0]!;
    const failure = children(broken, 'failure')[0]!;
    expect(failure.getAttribute('message')).toBe('unexpected "<" & \'>\' in a plain scalar (and 1 more error)');
    expect(failure.textContent).toBe('3:1 error yaml-syntax: unexpected "<" & \'>\' in a plain scalar\n7:3 error yaml-syntax: tab\tused for indentation');
  });

  it('round-trips quotes, ampersands, entity-like text, CR/LF/TAB and unicode through attributes and text', () => {
    const tricky = 'a "quoted" \'single\' <tag> & &amp; &lt; ]]> \t tab\nline\r\nend ключ🔑 设置';
    const f: Finding = { file: 'x & "y".yaml', line: 1, column: 1, severity: 'error', rule: 'r<&>', message: tricky, object: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'n"s', name: '<&>' } };
    const doc = parse(junit(makeReport([f]), ctx));
    const suite = children(doc, 'testsuite')[0]!;
    const testcase = children(suite, 'testcase')[0]!;
    const failure = children(testcase, 'failure')[0]!;
    expect(suite.getAttribute('name')).toBe('x & "y".yaml');
    expect(testcase.getAttribute('name')).toBe('ConfigMap n"s/<&>');
    expect(failure.getAttribute('type')).toBe('r<&>');
    expect(failure.getAttribute('message')).toBe(tricky);
    expect(failure.textContent).toBe(`1:1 error r<&>: ${tricky}`);
  });

  it('writes characters XML 1.0 cannot carry as visible escapes, keeping the document valid', () => {
    const f: Finding = { file: 'c.yaml', line: 1, column: 1, severity: 'error', rule: 'r', message: 'bell\u0007 esc\u001b nul\u0000 lone\ud800 ok🔑 \ufffe', object: null };
    const xml = junit(makeReport([f]), ctx);
    expect(xml).not.toMatch(NOT_XML_CHAR);
    const failure = children(children(children(parse(xml), 'testsuite')[0]!, 'testcase')[0]!, 'failure')[0]!;
    expect(failure.getAttribute('message')).toBe('bell\\u0007 esc\\u001b nul\\u0000 lone\\ud800 ok🔑 \\ufffe');
  });

  it('writes a valid empty document for a clean run', () => {
    const empty = parse(junit(makeReport([]), ctx));
    expect(children(empty, 'testsuite')).toHaveLength(0);
    expect([num(empty, 'tests'), num(empty, 'failures')]).toEqual([0, 0]);
    expect(empty.getAttribute('name')).toBe('kubeplan (120 objects in 14 files, Kubernetes 1.36)');
  });
});

describe('XML escaping', () => {
  it('escapes markup in text and additionally quotes and whitespace in attributes', () => {
    expect(xmlText('<a> & "b"\r')).toBe('&lt;a&gt; &amp; "b"&#13;');
    expect(xmlAttr('<a> & "b" \'c\'\t\n\r')).toBe('&lt;a&gt; &amp; &quot;b&quot; &apos;c&apos;&#9;&#10;&#13;');
  });
});
