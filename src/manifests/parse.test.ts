import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../core/types.ts';
import { MAX_FILE_BYTES, PARSE_RULES, parseSource, parseText } from './parse.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The single object a text parses to (fails the test on findings). */
function one(text: string) {
  const r = parseText('t.yaml', text);
  expect(r.findings).toEqual([]);
  expect(r.manifests).toHaveLength(1);
  return r.manifests[0]!;
}

function findingsOf(text: string) {
  return parseText('t.yaml', text).findings.map((f) => ({ line: f.line, column: f.column, rule: f.rule, message: f.message }));
}

describe('YAML 1.1 scalars, as Kubernetes (go-yaml v2) reads them', () => {
  const cases: [string, JsonValue][] = [
    ['yes', true],
    ['Yes', true],
    ['on', true],
    ['ON', true],
    ['y', true],
    ['no', false],
    ['off', false],
    ['Off', false],
    ['n', false],
    ['true', true],
    ['False', false],
    ['"yes"', 'yes'],
    ["'on'", 'on'],
    ['0644', 420],
    ['"0644"', '0644'],
    ['08', 8],
    ['0x1F', 31],
    ['0b101', 5],
    ['1_000', 1000],
    ['+12', 12],
    ['1e3', 1000],
    ['1.5', 1.5],
    ['~', null],
    ['null', null],
    ['', null],
    ['2024-01-01', '2024-01-01'],
    ['2001-12-14t21:59:43.10-05:00', '2001-12-14t21:59:43.10-05:00'],
    ['2001-12-14 21:59:43.10 -5', '2001-12-14 21:59:43.10 -5'],
    // YAML 1.1 sexagesimal; go-yaml never supported it, so clock times stay text.
    ['1:20', '1:20'],
    ['12:30:00', '12:30:00'],
    ['190:20:30.15', '190:20:30.15'],
    ['yes please', 'yes please'],
    // go-yaml decodes !!binary and puts the bytes' text into the JSON.
    ['!!binary aGVsbG8=', 'hello'],
  ];
  it.each(cases)('value %j → %j', (src, want) => {
    expect(one(`apiVersion: v1\nkind: ConfigMap\nv: ${src}\n`).object.v).toEqual(want);
  });

  it('booleans and numbers as mapping keys become their JSON text, as sigs.k8s.io/yaml writes them', () => {
    expect(one('on: a\nn: b\n1: c\n1.5: d\n"yes": e\n').object).toEqual({ true: 'a', false: 'b', '1': 'c', '1.5': 'd', yes: 'e' });
  });

  it('keeps document key order and stores "__proto__" as data', () => {
    const m = one('b: 1\na: 2\n__proto__: {polluted: true}\n');
    expect(Object.keys(m.object)).toEqual(['b', 'a', '__proto__']);
    expect(Object.getPrototypeOf(m.object)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses values JSON cannot hold, at their position', () => {
    expect(findingsOf('apiVersion: v1\nkind: X\nspec:\n  v: .inf\n')).toEqual([{ line: 4, column: 6, rule: PARSE_RULES.syntax, message: '.inf (Infinity) cannot be represented in JSON; Kubernetes rejects it' }]);
    expect(findingsOf('x: .nan\n')[0]?.message).toMatch(/NaN/);
  });

  it('refuses null and collection keys, which have no JSON form', () => {
    expect(findingsOf('a: 1\n~: 2\n')).toMatchObject([{ line: 2, column: 1, message: expect.stringMatching(/null mapping key/) }]);
    expect(findingsOf('? [a, b]\n: 1\n')).toMatchObject([{ line: 1, column: 3, message: expect.stringMatching(/mapping key must be/) }]);
  });

  it('!!set reads as a mapping of nulls and !!omap as one-key mappings, as go-yaml reads them', () => {
    expect(one('s: !!set {a, b}\no: !!omap [p: 1, q: 2]\n').object).toEqual({ s: { a: null, b: null }, o: [{ p: 1 }, { q: 2 }] });
  });
});

describe('duplicate keys', () => {
  it('reports the repeated key with its line and column, and drops the document', () => {
    const r = parseText('t.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: {}\n  name: b\n');
    expect(r.manifests).toEqual([]);
    expect(r.findings).toMatchObject([{ file: 't.yaml', line: 6, column: 3, rule: 'yaml-syntax', message: expect.stringMatching(/^duplicate mapping key/) }]);
  });

  it('reports every duplicate in a document, not just the first', () => {
    expect(findingsOf('a: 1\nb: 2\na: 3\nc: {x: 1, x: 2}\n').map((f) => [f.line, f.column])).toEqual([
      [3, 1],
      [4, 11],
    ]);
  });

  it('catches keys that differ in YAML but are the same key in JSON (yes / on / true)', () => {
    expect(findingsOf('yes: 1\non: 2\n')).toMatchObject([{ line: 2, column: 1 }]);
    expect(findingsOf('true: 1\n"true": 2\n')).toMatchObject([{ line: 2, column: 1 }]);
  });

  it('finds duplicates in JSON files too', () => {
    expect(findingsOf('{"apiVersion": "v1", "kind": "A", "kind": "B"}')).toMatchObject([{ line: 1, column: 35 }]);
  });

  it('is linear: a 40,000-key mapping parses in well under a second', () => {
    let text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n';
    for (let i = 0; i < 40_000; i++) text += `  key${i}: v${i}\n`;
    const t0 = performance.now();
    const m = one(text);
    const ms = performance.now() - t0;
    expect(Object.keys(m.object.data as object)).toHaveLength(40_000);
    expect(ms).toBeLessThan(3000); // ~300 ms here; yaml's own quadratic check took ~5 s
  });
});

describe('aliases', () => {
  const billionLaughs = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: lol}',
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
  ].join('\n');

  it('refuses a billion-laughs document quickly, pointing at the alias that blew up', () => {
    const t0 = performance.now();
    const r = parseText('bomb.yaml', billionLaughs);
    const ms = performance.now() - t0;
    expect(r.manifests).toEqual([]);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ rule: 'yaml-syntax', message: expect.stringMatching(/alias bomb/) });
    expect(r.findings[0]!.line).toBeGreaterThan(4);
    // 9^9 strings if expanded; refused after a few thousand values (~5 ms warm).
    expect(ms).toBeLessThan(500);
  });

  it('refuses a merge-key bomb (each level merging the two before it) quickly', () => {
    let text = 'a0: &a0 {x0: 1}\na1: &a1 {x1: 1}\n';
    for (let i = 2; i < 40; i++) text += `a${i}: &a${i} {<<: [*a${i - 1}, *a${i - 2}], x${i}: 1}\n`;
    const t0 = performance.now();
    expect(findingsOf(text)).toMatchObject([{ message: expect.stringMatching(/alias bomb/) }]);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('accepts ordinary heavy use of anchors, as Kubernetes does (one anchor used 150 times, 120 merges)', () => {
    let text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  base: &b hello\n';
    for (let i = 0; i < 150; i++) text += `  k${i}: *b\n`;
    expect(Object.keys(one(text).object.data as object)).toHaveLength(151);
    let merges = 'apiVersion: v1\nkind: X\ndefaults: &d {a: 1, b: 2}\nitems2:\n';
    for (let i = 0; i < 120; i++) merges += `- {<<: *d, n: ${i}}\n`;
    expect(one(merges).object.items2).toHaveLength(120);
  });

  it('resolves many distinct anchors in linear time', () => {
    let text = 'apiVersion: v1\nkind: ConfigMap\ndata:\n';
    for (let i = 0; i < 20_000; i++) text += `  a${i}: &x${i} v${i}\n  b${i}: *x${i}\n`;
    const t0 = performance.now();
    const m = one(text);
    expect((m.object.data as Record<string, string>).b19999).toBe('v19999');
    expect(performance.now() - t0).toBeLessThan(5000); // ~0.5 s here; yaml's toJS took 20 s
  });

  it('an alias refers to the latest anchor of that name before it', () => {
    expect(one('a: &x 1\nb: *x\nc: &x 2\nd: *x\n').object).toEqual({ a: 1, b: 1, c: 2, d: 2 });
  });

  it('refuses an anchor that contains an alias to itself', () => {
    expect(findingsOf('a: &x [1, *x]\n')).toHaveLength(1);
  });
});

describe('merge keys <<', () => {
  // (Not x/y/z keys: in YAML 1.1 `y` is the boolean true.)
  const text = ['apiVersion: v1', 'kind: X', 'base: &base', '  p: 1', '  q: 2', 'other: &other {q: 20, r: 30}', 'obj:', '  <<: [*base, *other]', '  q: 3', ''].join('\n');

  it('merges keys the mapping does not set; earlier sources win; explicit keys win whatever their place', () => {
    expect(one(text).object.obj).toEqual({ p: 1, q: 3, r: 30 });
    expect(one('a: &a {k: merged}\nb:\n  k: explicit\n  <<: *a\n').object.b).toEqual({ k: 'explicit' });
  });

  it('locates merged fields where they are written, explicit ones in place', () => {
    const m = one(text);
    expect(m.locate(['obj', 'p']).start).toEqual({ line: 4, column: 6 });
    expect(m.locate(['obj', 'p'], 'key').start).toEqual({ line: 4, column: 3 });
    expect(m.locate(['obj', 'q']).start).toEqual({ line: 9, column: 6 });
    expect(m.locate(['obj', 'r']).start).toEqual({ line: 6, column: 26 });
  });

  it('a quoted "<<" is an ordinary key', () => {
    expect(one('a: &a {k: 1}\nb: {"<<": *a}\n').object.b).toEqual({ '<<': { k: 1 } });
  });

  it('refuses merging a scalar', () => {
    expect(findingsOf('a: &a 1\nb: {<<: *a}\n')).toMatchObject([{ message: expect.stringMatching(/merge key/) }]);
  });
});

describe('encoding and size', () => {
  it('a NUL byte makes the file binary, with its position', () => {
    const r = parseSource({ path: 'b.yaml', bytes: enc('a: 1\nb: x\0y\n') });
    expect(r.manifests).toEqual([]);
    expect(r.findings).toMatchObject([{ file: 'b.yaml', line: 2, column: 5, rule: 'file-encoding', message: expect.stringMatching(/binary/) }]);
  });

  it('invalid UTF-8 is refused with the byte and its position', () => {
    const bytes = new Uint8Array([...enc('apiVersion: v1\nkind: X\nv: caf'), 0xe9, ...enc('\n')]); // Latin-1 é
    expect(parseSource({ path: 'l1.yaml', bytes }).findings).toMatchObject([{ line: 3, column: 7, rule: 'file-encoding', message: expect.stringMatching(/0xe9 at offset 29/) }]);
  });

  it('a truncated multi-byte sequence at the end is found', () => {
    const bytes = new Uint8Array([...enc('a: '), 0xe2, 0x82]);
    expect(parseSource({ path: 't.yaml', bytes }).findings).toMatchObject([{ line: 1, column: 4, rule: 'file-encoding' }]);
  });

  it('a UTF-8 BOM is skipped', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...enc('apiVersion: v1\nkind: X\n')]);
    const r = parseSource({ path: 'bom.yaml', bytes });
    expect(r.findings).toEqual([]);
    expect(r.manifests[0]?.position).toEqual({ line: 1, column: 1 });
  });

  it('a file over the limit is refused without parsing, with readable sizes', () => {
    const r = parseSource({ path: 'big.yaml', bytes: enc('a: 1\n'.repeat(300)) }, 1024);
    expect(r.manifests).toEqual([]);
    expect(r.findings).toMatchObject([{ line: 1, column: 1, rule: 'file-too-large', message: 'file is 1.5 KiB, over the 1.0 KiB limit for one manifest file' }]);
    expect(parseSource({ path: 'x', bytes: enc('abc') }, 2).findings[0]?.message).toBe('file is 3 bytes, over the 2 bytes limit for one manifest file');
    expect(MAX_FILE_BYTES).toBe(32 * 1024 * 1024);
  });

  it('CRLF line endings give the same positions', () => {
    expect(findingsOf('apiVersion: v1\r\nkind: A\r\nmetadata:\r\n  name: a\r\n  name: b\r\n')).toMatchObject([{ line: 5, column: 3 }]);
  });
});

describe('documents', () => {
  it('skips empty and comment-only documents but keeps counting them', () => {
    const text = ['# leading comment', '---', '---', '# only a comment', '---', 'apiVersion: v1', 'kind: A', '---', '', '...', '---', 'apiVersion: v1', 'kind: B', '---', '~', ''].join('\n');
    const r = parseText('m.yaml', text);
    expect(r.findings).toEqual([]);
    expect(r.manifests.map((m) => [m.object.kind, m.docIndex, m.position.line])).toEqual([
      ['A', 2, 6],
      ['B', 4, 12],
    ]);
  });

  it('an empty or comment-only file has nothing', () => {
    expect(parseText('e.yaml', '')).toEqual({ manifests: [], findings: [] });
    expect(parseText('e.yaml', '# nothing\n\n# here\n')).toEqual({ manifests: [], findings: [] });
  });

  it('a syntax error drops only its own document', () => {
    const r = parseText('s.yaml', 'apiVersion: v1\nkind: A\n---\na: [1, 2\n---\napiVersion: v1\nkind: C\n');
    expect(r.manifests.map((m) => m.object.kind)).toEqual(['A', 'C']);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ rule: 'yaml-syntax', line: 5, column: 1 }); // where the flow sequence should have closed
    expect(r.findings[0]!.message).not.toMatch(/at line/);
  });

  it('tabs used as indentation are a syntax error', () => {
    expect(findingsOf('a:\n\tb: 1\n')).toMatchObject([{ line: 2, column: 1, rule: 'yaml-syntax' }]);
  });

  it('non-mapping documents are not objects', () => {
    expect(findingsOf('just text\n')).toMatchObject([{ rule: 'not-an-object', message: 'expected a mapping with apiVersion and kind, found a string' }]);
    expect(findingsOf('- a\n- b\n')).toMatchObject([{ rule: 'not-an-object', message: expect.stringMatching(/a sequence/) }]);
  });

  it('parses JSON files (one object, with positions)', () => {
    const m = one('{\n  "apiVersion": "v1",\n  "kind": "ConfigMap",\n  "metadata": {"name": "j"},\n  "data": {"mode": "0644", "n": 0644}\n}\n');
    expect(m.object).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'j' }, data: { mode: '0644', n: 420 } });
    expect(m.locate(['metadata', 'name']).start).toEqual({ line: 4, column: 24 });
  });
});

describe('Lists', () => {
  it('expands kind: List into its items, each with its own position and itemIndex', () => {
    const text = ['apiVersion: v1', 'kind: List', 'items:', '- apiVersion: v1', '  kind: ConfigMap', '  metadata: {name: a}', '- apiVersion: apps/v1', '  kind: Deployment', '  metadata:', '    name: b', ''].join('\n');
    const r = parseText('l.yaml', text);
    expect(r.findings).toEqual([]);
    expect(r.manifests.map((m) => [m.object.kind, m.itemIndex, m.docIndex, m.position])).toEqual([
      ['ConfigMap', 0, 0, { line: 4, column: 3 }],
      ['Deployment', 1, 0, { line: 7, column: 3 }],
    ]);
    expect(r.manifests[1]!.locate(['metadata', 'name']).start).toEqual({ line: 10, column: 11 });
  });

  it('expands *List kinds (DeploymentList) and reports non-object items where they are', () => {
    const text = ['apiVersion: apps/v1', 'kind: DeploymentList', 'items:', '  - apiVersion: apps/v1', '    kind: Deployment', '    metadata: {name: a}', '  - 3', ''].join('\n');
    const r = parseText('l.yaml', text);
    expect(r.manifests.map((m) => m.object.metadata)).toEqual([{ name: 'a' }]);
    expect(r.findings).toMatchObject([{ line: 7, column: 5, rule: 'not-an-object', message: 'DeploymentList item 1 is a number, expected an object' }]);
  });

  it('a List without items, or a kind that merely ends in List with no apiVersion, stays one object', () => {
    expect(parseText('l.yaml', 'apiVersion: v1\nkind: List\n').manifests).toHaveLength(1);
    expect(parseText('l.yaml', 'kind: PodList\nitems: [{a: 1}]\n').manifests).toHaveLength(1);
  });
});

describe('Helm # Source: comments', () => {
  it('maps each rendered document to its template, and only documents that have one', () => {
    const text = [
      '---',
      '# Source: shop/templates/service.yaml',
      'apiVersion: v1',
      'kind: Service',
      '---',
      '# Source: shop/templates/deployment.yaml',
      'apiVersion: apps/v1',
      'kind: Deployment',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      '',
    ].join('\n');
    const r = parseText('-', text);
    expect(r.manifests.map((m) => [m.object.kind, m.template, m.position.line])).toEqual([
      ['Service', 'shop/templates/service.yaml', 3],
      ['Deployment', 'shop/templates/deployment.yaml', 7],
      ['ConfigMap', undefined, 10],
    ]);
  });

  it('a comment before the first --- counts too; text inside a block scalar does not', () => {
    const r = parseText('-', '# Source: c/templates/a.yaml\napiVersion: v1\nkind: A\ndata:\n  x: |\n    # Source: not/this.yaml\n---\napiVersion: v1\nkind: B\n');
    expect(r.manifests.map((m) => m.template)).toEqual(['c/templates/a.yaml', undefined]);
  });
});

describe('locate()', () => {
  const text = [
    'apiVersion: apps/v1', // 1
    'kind: Deployment', // 2
    'metadata:', // 3
    '  name: web', // 4
    'spec:', // 5
    '  template:', // 6
    '    spec:', // 7
    '      containers:', // 8
    '        - name: app', // 9
    '          image: nginx', // 10
    '        - name: side', // 11
    '          ports: [{containerPort: 80}]', // 12
    '',
  ].join('\n');
  const m = one(text);
  const at = (path: (string | number)[], target?: 'key' | 'value') => {
    const r = m.locate(path, target);
    return [r.start.line, r.start.column, r.end.line, r.end.column];
  };

  it('values and keys', () => {
    expect(at(['metadata', 'name'])).toEqual([4, 9, 4, 12]);
    expect(at(['metadata', 'name'], 'key')).toEqual([4, 3, 4, 7]);
    expect(at(['kind'], 'key')).toEqual([2, 1, 2, 5]);
  });

  it('sequence items and fields inside them', () => {
    expect(at(['spec', 'template', 'spec', 'containers', 1]).slice(0, 2)).toEqual([11, 11]);
    expect(at(['spec', 'template', 'spec', 'containers', 0, 'image'])).toEqual([10, 18, 10, 23]);
    expect(at(['spec', 'template', 'spec', 'containers', 1, 'ports', 0, 'containerPort'])).toEqual([12, 35, 12, 37]);
  });

  it('a missing path points at the key of the nearest ancestor that exists', () => {
    expect(at(['metadata', 'namespace']).slice(0, 2)).toEqual([3, 1]);
    expect(at(['spec', 'template', 'spec', 'containers', 0, 'resources', 'limits']).slice(0, 2)).toEqual([9, 11]);
    expect(at(['spec', 'template', 'spec', 'containers', 5]).slice(0, 2)).toEqual([8, 7]);
    expect(at(['status']).slice(0, 2)).toEqual([1, 1]);
  });

  it('the object position is its first key', () => {
    expect(m.position).toEqual({ line: 1, column: 1 });
  });

  it('follows aliases to where the value is written', () => {
    const a = one('apiVersion: v1\nkind: X\nshared: &s {image: nginx}\nc: *s\n');
    expect(a.locate(['c', 'image']).start).toEqual({ line: 3, column: 20 });
  });
});
