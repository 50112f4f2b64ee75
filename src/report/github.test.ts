import { describe, expect, it } from 'vitest';
import { BROKEN, ctx, DEPLOY, makeReport, RBAC, UNICODE } from '../../test/fixtures/report/report.ts';
import type { Finding } from '../core/types.ts';
import { escapeData, escapeProperty, github } from './github.ts';

interface Command {
  name: string;
  props: Record<string, string>;
  message: string;
}

// Reads a line the way the Actions runner does: `::name k=v,k=v::data`, properties split on ',' and '=',
// then %-unescaped. If our escaping were wrong, a ':' or ',' in a value would split it here too.
function parse(line: string): Command {
  const m = /^::([a-z]+)(?: ([^:]*))?::(.*)$/s.exec(line);
  if (!m) throw new Error(`not a workflow command: ${line}`);
  const unescape = (s: string): string =>
    s.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%3A', ':').replaceAll('%2C', ',').replaceAll('%25', '%');
  const props: Record<string, string> = {};
  for (const pair of (m[2] ?? '').split(',').filter((p) => p !== '')) {
    const eq = pair.indexOf('=');
    props[pair.slice(0, eq)] = unescape(pair.slice(eq + 1));
  }
  const data = m[3]!.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%25', '%');
  return { name: m[1]!, props, message: data };
}

function commands(text: string): Command[] {
  return text.trimEnd().split('\n').map(parse);
}

describe('github reporter', () => {
  it('writes one annotation per unsuppressed finding, with severity mapped to error/warning/notice', () => {
    const report = makeReport();
    const cmds = commands(github(report, ctx));
    const annotations = cmds.filter((c) => c.props.file !== undefined);
    expect(annotations).toHaveLength(report.findings.filter((f) => !f.suppressed).length);
    expect(annotations.map((c) => c.name)).toEqual(['error', 'error', 'notice', 'warning', 'error', 'notice', 'warning', 'error']);
    expect(annotations.some((c) => c.props.file === UNICODE)).toBe(false);
  });

  it('carries file, line, col, endLine, endColumn and a title naming the rule', () => {
    const cmds = commands(github(makeReport(), ctx));
    const schema = cmds.find((c) => c.props.title === 'kubeplan (schema)');
    expect(schema).toEqual({
      name: 'error',
      props: { file: DEPLOY, line: '9', col: '13', endLine: '9', endColumn: '20', title: 'kubeplan (schema)' },
      message: 'Deployment shop/web: spec.replicas: expected integer, got string "three"',
    });
    const noEnd = cmds.find((c) => c.props.file === BROKEN);
    expect(Object.keys(noEnd!.props)).toEqual(['file', 'line', 'col', 'title']);
  });

  it('names the object once: prefixes it unless the rule message already does', () => {
    const cmds = commands(github(makeReport(), ctx));
    expect(cmds.find((c) => c.props.title === 'kubeplan (service-selector-no-match)')?.message).toBe(
      'Service shop/web: selector app=wbe matches no pod template in namespace shop',
    );
    expect(cmds.find((c) => c.props.file === BROKEN)?.message).toBe('unexpected "<" & \'>\' in a plain scalar');
  });

  it('keeps every command on one line and round-trips newlines, CR and % in messages', () => {
    const text = github(makeReport(), ctx);
    expect(text.trimEnd().split('\n').every((l) => l.startsWith('::'))).toBe(true);
    const rbac = commands(text).find((c) => c.props.file === RBAC && c.name === 'warning');
    expect(rbac?.message).toBe('ClusterRole reader: rule grants every verb:\n  verbs: ["*"]\r\nprefer listing them');
  });

  it('escapes ":" and "," in property values so a path cannot inject properties', () => {
    const f: Finding = { file: 'odd,line=1:x%41.yaml', line: 3, column: 4, severity: 'warning', rule: 'r', message: '50% done, ::error::not a command', object: null };
    const text = github(makeReport([f]), ctx);
    expect(text).toBe('::warning file=odd%2Cline=1%3Ax%2541.yaml,line=3,col=4,title=kubeplan (r)::50%25 done, ::error::not a command\n');
    const [cmd] = commands(text);
    expect(cmd?.props).toEqual({ file: 'odd,line=1:x%41.yaml', line: '3', col: '4', title: 'kubeplan (r)' });
    expect(cmd?.message).toBe('50% done, ::error::not a command');
  });

  it('counts suppressed findings in a final notice instead of annotating them', () => {
    const cmds = commands(github(makeReport(), ctx));
    const last = cmds.at(-1);
    expect(last?.name).toBe('notice');
    expect(last?.props).toEqual({ title: 'kubeplan' });
    expect(last?.message).toContain('3 suppressed findings not annotated (1 inline, 2 by baseline)');
  });

  it('writes nothing for a clean run', () => {
    expect(github(makeReport([]), ctx)).toBe('');
  });
});

describe('workflow command escaping', () => {
  it('escapes data: % first, then CR and LF', () => {
    expect(escapeData('100%\r\n%0A')).toBe('100%25%0D%0A%250A');
    expect(escapeData('a:b,c')).toBe('a:b,c');
  });
  it('escapes properties: also ":" and ","', () => {
    expect(escapeProperty('C:\\a,b%\n')).toBe('C%3A\\a%2Cb%25%0A');
  });
});
