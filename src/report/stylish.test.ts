import { describe, expect, it } from 'vitest';
import { DEPLOY, findings, makeReport } from '../../test/fixtures/report/report.ts';
import type { Finding } from '../core/types.ts';
import { colorEnabled, displayWidth, stylish, terminalSafe } from './stylish.ts';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

const expected = `manifests/broken.yaml
  (no object)
    3:1  error    unexpected "<" & '>' in a plain scalar  yaml-syntax
    7:3  error    tab used for indentation                yaml-syntax

manifests/rbac.yaml
  ClusterRole reader
    2:1  info     metadata.labels: 设置 app.kubernetes.io/name  label-value
    8:7  warning  rule grants every verb:                       rbac-wildcard
                    verbs: ["*"]
                  prefer listing them

manifests/shop/deployment.yaml
  Deployment shop/web
     9:13  error    spec.replicas: expected integer, got string "three"                                                    schema
    20:18  info     image nginx:latest uses a mutable tag                                                                  image-tag-latest
    24:9   warning  container "sidecar" has no cpu limit (suppressed inline: sidecar is tiny & bursty; see <ops/runbook>)  resources-limits
    31:11  warning  container "web" has no memory limit                                                                    resources-limits
  Service shop/web
    45:5   error    Service shop/web: selector app=wbe matches no pod template in namespace shop                           service-selector-no-match

manifests/日本 dir/config#1.yaml
  ConfigMap shop/réglages
     5:3  error    key "ключ🔑" is not a valid ConfigMap key: 50% of keys, like a,b:c, must match [-._a-zA-Z0-9]+ (suppressed by baseline: legacy keys; tracked in #123)  configmap-key
    12:5  warning  label value "a\\u001b[2Jb\\u0007" has control characters (suppressed by baseline)                                                                        label-value

✖ 4 errors, 2 warnings, 2 infos in 3 files, 3 suppressed (120 objects in 14 files checked against Kubernetes 1.36)
`;

function finding(over: Partial<Finding>): Finding {
  return { file: DEPLOY, line: 1, column: 1, severity: 'error', rule: 'schema', message: 'bad', object: null, ...over };
}

describe('stylish reporter', () => {
  it('groups by file then object, aligns columns, shows suppressed findings with their reason, and ends with a summary', () => {
    expect(stylish(makeReport(), { color: false })).toBe(expected);
  });

  it('without colour is plain text: no escape sequences at all', () => {
    const text = stylish(makeReport(), { color: false });
    expect(text).not.toMatch(/\u001b/);
  });

  it('with colour uses ANSI styles, and stripping them gives exactly the plain output', () => {
    const text = stylish(makeReport(), { color: true });
    expect(text).toMatch(ANSI);
    expect(text).toContain('\u001b[31merror'); // errors in red
    expect(text).toContain('\u001b[33mwarning'); // warnings in yellow
    expect(text.replace(ANSI, '')).toBe(expected);
  });

  it('dims suppressed rows as a whole instead of colouring their severity', () => {
    const lines = stylish(makeReport(), { color: true }).split('\n');
    const suppressedRow = lines.find((l) => l.includes('sidecar is tiny'));
    expect(suppressedRow?.startsWith('\u001b[2m')).toBe(true);
    expect(suppressedRow).not.toContain('\u001b[33m');
  });

  it('says "no problems" for a clean run and still counts suppressed findings', () => {
    expect(stylish(makeReport([]), { color: false })).toBe('✔ no problems (120 objects in 14 files checked against Kubernetes 1.36)\n');
    const onlySuppressed = makeReport([finding({ suppressed: { kind: 'inline', justification: 'ok' } })], [], { files: 1, objects: 1 });
    const text = stylish(onlySuppressed, { color: false });
    expect(text).toContain('    1:1  error    bad (suppressed inline: ok)  schema\n');
    expect(text.endsWith('✔ no problems, 1 suppressed (1 object in 1 file checked against Kubernetes 1.36)\n')).toBe(true);
  });

  it('uses singular forms and leaves out zero counts', () => {
    const one = stylish(makeReport([finding({ severity: 'warning' })], [], { files: 1, objects: 2 }), { color: false });
    expect(one.endsWith('✖ 1 warning in 1 file (2 objects in 1 file checked against Kubernetes 1.36)\n')).toBe(true);
    const infos = stylish(makeReport([finding({ severity: 'info' }), finding({ severity: 'info', line: 2 })], [], { files: 1, objects: 1 }), { color: false });
    expect(infos.endsWith('ℹ 2 infos in 1 file (1 object in 1 file checked against Kubernetes 1.36)\n')).toBe(true);
  });

  it('colours the summary by the worst severity', () => {
    expect(stylish(makeReport([finding({})]), { color: true })).toContain('\u001b[31m✖ 1 error');
    expect(stylish(makeReport([finding({ severity: 'warning' })]), { color: true })).toContain('\u001b[33m✖ 1 warning');
    expect(stylish(makeReport([]), { color: true })).toContain('\u001b[32m✔ no problems');
  });

  it('cannot be made to emit terminal control sequences by file names, object names or messages', () => {
    const evil = finding({
      file: 'evil\u001b]0;title\u0007.yaml',
      message: 'x\u001b[2J\u009b31m\u202eoops',
      object: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'a\u001b[5m', name: 'b' },
    });
    const text = stylish(makeReport([evil]), { color: false });
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(text).toContain('evil\\u001b]0;title\\u0007.yaml');
    expect(text).toContain('x\\u001b[2J\\u009b31m\\u202eoops');
    expect(text).toContain('ConfigMap a\\u001b[5m/b');
  });

  it('names an object without a name instead of printing a dangling slash', () => {
    const text = stylish(makeReport([finding({ object: { apiVersion: 'v1', kind: 'Pod', namespace: 'ns', name: '' } })]), { color: false });
    expect(text).toContain('  Pod ns/(unnamed)\n');
  });

  it('keeps the fixture honest: every finding of the report is rendered', () => {
    const text = stylish(makeReport(), { color: false });
    for (const f of findings) expect(text).toContain(`${f.line}:${f.column}`);
  });
});

describe('terminalSafe / displayWidth', () => {
  it('escapes controls and bidi overrides but keeps ordinary unicode', () => {
    expect(terminalSafe('a\u001bb\u0000c\u007f\u2066d')).toBe('a\\u001bb\\u0000c\\u007f\\u2066d');
    expect(terminalSafe('ключ 设置 🔑 é')).toBe('ключ 设置 🔑 é');
    expect(terminalSafe('a\tb')).toBe('a b');
  });

  it('counts wide characters as two columns and combining marks as none', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('设置')).toBe(4);
    expect(displayWidth('🔑')).toBe(2);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('ｗｉｄｅ')).toBe(8);
  });
});

describe('colorEnabled', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  const cases: [string, { isTTY?: boolean }, NodeJS.ProcessEnv, boolean | undefined, boolean][] = [
    ['TTY, nothing set', tty, {}, undefined, true],
    ['pipe, nothing set', pipe, {}, undefined, false],
    ['stream without isTTY', {}, {}, undefined, false],
    ['--color wins over NO_COLOR', pipe, { NO_COLOR: '1' }, true, true],
    ['--no-color wins over FORCE_COLOR and a TTY', tty, { FORCE_COLOR: '1' }, false, false],
    ['NO_COLOR disables on a TTY', tty, { NO_COLOR: '1' }, undefined, false],
    ['NO_COLOR wins over FORCE_COLOR', tty, { NO_COLOR: 'true', FORCE_COLOR: '1' }, undefined, false],
    ['empty NO_COLOR is ignored', tty, { NO_COLOR: '' }, undefined, true],
    ['FORCE_COLOR enables on a pipe', pipe, { FORCE_COLOR: '1' }, undefined, true],
    ['FORCE_COLOR=3 enables', pipe, { FORCE_COLOR: '3' }, undefined, true],
    ['FORCE_COLOR wins over TERM=dumb', pipe, { FORCE_COLOR: 'true', TERM: 'dumb' }, undefined, true],
    ['FORCE_COLOR=0 disables even on a TTY', tty, { FORCE_COLOR: '0' }, undefined, false],
    ['FORCE_COLOR=false disables', tty, { FORCE_COLOR: 'false' }, undefined, false],
    ['empty FORCE_COLOR is ignored', pipe, { FORCE_COLOR: '' }, undefined, false],
    ['TERM=dumb disables on a TTY', tty, { TERM: 'dumb' }, undefined, false],
    ['other TERM on a TTY', tty, { TERM: 'xterm-256color' }, undefined, true],
    ['CI does not enable colour on a pipe (unlike picocolors)', pipe, { CI: 'true', GITHUB_ACTIONS: 'true' }, undefined, false],
  ];
  it.each(cases)('%s', (_name, stream, env, flag, want) => {
    expect(colorEnabled(stream, env, flag)).toBe(want);
  });
});
