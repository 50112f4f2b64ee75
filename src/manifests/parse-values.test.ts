import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, type Pair, parseAllDocuments, Scalar, type Alias } from 'yaml';
import { describe, expect, it } from 'vitest';
import { fileFinding } from '../core/findings.ts';
import { getArray, getString, isObject } from '../core/objects.ts';
import type { Finding, JsonObject, JsonPath, JsonValue, Manifest, Position, Range } from '../core/types.ts';
import { expansionBudget, fastLoad } from './fast-load.ts';
import { decodeBinary, GoBigInt, GoFloat, goFloatKey, GoProblem, goScalarToJson, resolvePlain, resolveTagged } from './go-yaml-scalars.ts';
import { PARSE_RULES, parseText } from './parse.ts';
import { contentStartOf, documentValue, parseYamlFile, yamlStats } from './yaml-ast.ts';

// The two-phase parser: values from js-yaml with go-yaml v2's scalar rules, positions from `yaml` on demand.
// parse.test.ts is the behaviour table; this file pins the go-yaml details, the agreement of the two phases, and
// (on ../shared/corpus) that the lazy parser gives exactly what the eager one it replaced gave.

/** The value of `v:` in a one-key document, through the fast path (parseText) and through the `yaml` path. */
function bothPaths(src: string): { fast: JsonValue | undefined; slow: JsonValue | undefined } {
  const text = `v: ${src}\n`;
  const fast = parseText('t.yaml', text);
  const doc = parseYamlFile(text).docs[0];
  const slow = doc ? documentValue(doc) : undefined;
  return {
    fast: fast.findings.length === 0 ? fast.manifests[0]?.object.v : undefined,
    slow: slow?.ok && isObject(slow.value) ? slow.value.v : undefined,
  };
}

describe('plain scalars resolve as go-yaml v2 resolve() does', () => {
  // [YAML plain scalar, the value Kubernetes gets after sigs.k8s.io/yaml's YAML → JSON]; the Go result in comments.
  const cases: [string, JsonValue][] = [
    // null: resolveMap {"", "~", "null", "Null", "NULL"} → nil
    ['~', null],
    ['null', null],
    ['Null', null],
    ['NULL', null],
    ['nULL', 'nULL'], // not in the table: string
    // bool: resolveMap, YAML 1.1 spellings → true / false
    ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((s): [string, JsonValue] => [s, true]),
    ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((s): [string, JsonValue] => [s, false]),
    ['yEs', 'yEs'], // not in the table: string
    ['tRUE', 'tRUE'],
    // int: strconv.ParseInt(strings.Replace(s, "_", "", -1), 0, 64)
    ['0', 0],
    ['42', 42],
    ['-42', -42],
    ['+1', 1], // ParseInt accepts '+'
    ['-0', 0], // int64 has no negative zero
    ['0644', 420], // leading 0: octal
    ['-0644', -420],
    ['0o17', 15], // Go 1.13+ base prefix
    ['0x1F', 31],
    ['0X1f', 31],
    ['+0x1F', 31],
    ['-0x1F', -31],
    ['0b101', 5],
    ['-0b101', -5],
    ['1_000', 1000], // every underscore is dropped first
    ['1__0_0_0_', 1000],
    ['0x_1F', 31],
    ['+_1', 1],
    ['_1', '_1'], // '_' gives no hint: string
    ['9223372036854775807', 9223372036854775807], // MaxInt64
    ['9223372036854775808', 9223372036854775808], // ParseInt overflows; ParseUint: uint64
    ['18446744073709551615', 18446744073709551615], // MaxUint64
    ['18446744073709551616', 18446744073709551616], // both overflow; yamlStyleFloat matches: float64
    ['+18446744073709551615', 18446744073709551615], // ParseUint takes no sign: float64
    ['0xFFFFFFFFFFFFFFFFF', '0xFFFFFFFFFFFFFFFFF'], // overflows and is no float: string
    ['08', 8], // invalid octal, but yamlStyleFloat: float64 8
    ['0x', '0x'],
    ['0b2', '0b2'],
    ['1:20', '1:20'], // no sexagesimal in go-yaml: string (YAML 1.1 would say 80)
    ['10:30', '10:30'],
    ['190:20:30.15', '190:20:30.15'],
    // float: yamlStyleFloat + strconv.ParseFloat (D/S hints); ParseFloat alone for a leading '.'
    ['1.5', 1.5],
    ['1e3', 1000],
    ['1E3', 1000],
    ['-1.5e-3', -0.0015],
    ['+.5', 0.5],
    ['.5', 0.5],
    ['.5e1', 5],
    ['1.', 1],
    ['1_0.5', 10.5], // underscores dropped on the D/S path
    ['._5', '._5'], // '.' path: ParseFloat without a base prefix takes no underscores
    ['.', '.'],
    ['1e999', '1e999'], // ParseFloat overflow is an error: string
    ['.5e999', '.5e999'],
    ['1e-999', 0], // underflow is not an error
    ['1.2.3', '1.2.3'],
    ['0x1p3', '0x1p3'], // hex floats are not yamlStyleFloat: string
    ['inf', 'inf'],
    ['nan', 'nan'],
    ['-.nan', '-.nan'], // not in the table, not a float: string
    // no timestamps: go-yaml gives interface{} the text
    ['2024-01-01', '2024-01-01'],
    ['2001-12-14T21:59:43.10Z', '2001-12-14T21:59:43.10Z'],
    ['2001-12-14 21:59:43.10 -5', '2001-12-14 21:59:43.10 -5'],
    // strings
    ['nginx:1.27', 'nginx:1.27'],
    ['+', '+'],
    ['yes please', 'yes please'],
    ['<<', '<<'], // as a value: the text
  ];

  it.each(cases)('%j → %j', (src, want) => {
    const v = resolvePlain(src);
    expect(v instanceof GoProblem ? v : goScalarToJson(v)).toEqual(want);
    const { fast, slow } = bothPaths(src);
    expect(fast).toEqual(want);
    expect(slow).toEqual(want);
  });

  it('a lone sign is text (though `v: -` is a sequence entry in YAML)', () => {
    expect(resolvePlain('-')).toBe('-');
    expect(resolvePlain('+')).toBe('+');
  });

  it('keeps integers past 2^53 exact where that matters (mapping keys), nearest double as values', () => {
    expect(resolvePlain('9223372036854775807')).toEqual(new GoBigInt(9223372036854775807n));
    expect(parseText('t.yaml', '9007199254740993: a\n').manifests[0]?.object).toEqual({ '9007199254740993': 'a' });
  });

  it('.inf, -.inf and .nan are floats JSON cannot hold: a finding at the value', () => {
    for (const s of ['.inf', '.Inf', '.INF', '+.inf', '-.inf', '-.INF', '.nan', '.NaN', '.NAN']) {
      expect(resolvePlain(s)).toBeInstanceOf(GoFloat);
      const r = parseText('t.yaml', `apiVersion: v1\nkind: X\nspec:\n  v: ${s}\n`);
      expect(r.manifests).toEqual([]);
      expect(r.findings).toMatchObject([{ line: 4, column: 6, rule: PARSE_RULES.syntax, message: expect.stringMatching(/cannot be represented in JSON/) }]);
    }
  });

  it('quoted and block scalars are always strings', () => {
    expect(parseText('t.yaml', 'a: "yes"\nb: \'0644\'\nc: |\n  1e3\nd: >\n  true\n').manifests[0]?.object).toEqual({ a: 'yes', b: '0644', c: '1e3\n', d: 'true\n' });
  });
});

describe('mapping keys become their JSON text, as sigs.k8s.io/yaml writes them', () => {
  const cases: [string, string][] = [
    ['yes', 'true'], // bool → "true"
    ['Off', 'false'],
    ['y', 'true'],
    ['1', '1'], // int → strconv.Itoa
    ['0644', '420'],
    ['0x1F', '31'],
    ['-7', '-7'],
    ['1.5', '1.5'], // float64 → strconv.FormatFloat(f, 'g', -1, 32)
    ['1.0', '1'],
    ['1e3', '1000'],
    ['1e6', '1e+06'],
    ['1.5e-7', '1.5e-07'],
    ['.5', '0.5'],
    ['0.1', '0.1'],
    ['123456789.5', '1.2345679e+08'], // a float32's shortest digits
    ['.inf', '.inf'], // sigs.k8s.io/yaml spells the specials the YAML way
    ['-.inf', '-.inf'],
    ['.nan', '.nan'],
    ['10:30', '10:30'],
    ['2024-01-01', '2024-01-01'],
    ['9223372036854775807', '9223372036854775807'],
  ];
  it.each(cases)('%j: → %j', (key, want) => {
    const r = parseText('t.yaml', `${key}: x\n`);
    expect(r.findings).toEqual([]);
    expect(Object.keys(r.manifests[0]!.object)).toEqual([want]);
    const doc = parseYamlFile(`${key}: x\n`).docs[0]!;
    const slow = documentValue(doc);
    expect(slow.ok && Object.keys(slow.value as object)).toEqual([want]);
  });

  it('goFloatKey mirrors FormatFloat(f, g, -1, 32)', () => {
    expect([0, -0, 1, 100000, 1e6, 0.0001, 0.00001, 3.14159265358979, 16777217, 1e21, 1e39, -2.5].map(goFloatKey)).toEqual(['0', '-0', '1', '100000', '1e+06', '0.0001', '1e-05', '3.1415927', '1.6777216e+07', '1e+21', '.inf', '-2.5']);
  });

  it('null and collection keys are refused where they are written (both spellings of each)', () => {
    for (const text of ['~: 1\n', 'null: 1\n', 'a: 1\nNULL: 2\n', '? \n: 1\n', '? [a, b]\n: 1\n', '[a, b]: 1\n', '{a: 1}: 2\n', 'k: &k [1]\n*k : 2\n']) {
      const r = parseText('t.yaml', text);
      expect(r.manifests, text).toEqual([]);
      expect(r.findings[0]?.message, text).toMatch(/mapping key/);
    }
    // A quoted "null" is just a key.
    expect(parseText('t.yaml', '"null": 1\n').manifests[0]?.object).toEqual({ null: 1 });
  });
});

describe('explicit tags', () => {
  const cases: [string, JsonValue][] = [
    ['!!str 0644', '0644'], // !!str takes any text
    ['!!str yes', 'yes'],
    ['!!str', ''],
    ['!!int "0644"', 420], // resolved from the text, even quoted
    ['!!int 0x10', 16],
    ['!!float 1', 1], // an int may become a float
    ['!!float "1.5"', 1.5],
    ['!!bool "yes"', true],
    ['!!null ""', null],
    ['!!timestamp 2001-12-14', '2001-12-14'], // text, as go-yaml gives interface{}
    ['!!binary aGVsbG8=', 'hello'], // base64 → the bytes' text (decode.go: resolved = string(data))
    ['!!binary |\n  aGVs\n  bG8=', 'hello'], // line breaks are ignored by base64.StdEncoding
    ['!foo 12', '12'], // a tag go-yaml does not resolve leaves the text
    ['! 12', '12'], // the non-specific tag too
    ['!!set {a, b}', { a: null, b: null }],
    ['!!omap [a: 1, b: 2]', [{ a: 1 }, { b: 2 }]],
    ['!!pairs [a: 1, a: 2]', [{ a: 1 }, { a: 2 }]],
    ['!!map {a: 1}', { a: 1 }],
    ['!!seq [1]', [1]],
    ['!foo {a: 1}', { a: 1 }], // go-yaml ignores tags on collections
    ['!!str {a: 1}', { a: 1 }],
  ];
  it.each(cases)('%j → %j', (src, want) => {
    const r = parseText('t.yaml', `v: ${src}\n`);
    expect(r.findings).toEqual([]);
    expect(r.manifests[0]?.object.v).toEqual(want);
  });

  it('what go-yaml cannot decode is a finding at the value', () => {
    for (const [src, message] of [
      ['!!int abc', 'cannot decode !!str `abc` as a !!int'],
      ['!!bool 1', 'cannot decode !!int `1` as a !!bool'],
      ['!!timestamp soon', 'cannot decode !!str `soon` as a !!timestamp'],
      ['!!binary aGVsbG8', '!!binary value contains invalid base64 data'],
      ['!!binary aGVs bG8=', '!!binary value contains invalid base64 data'],
    ] as const) {
      expect(resolveTagged(src.split(' ')[0]!, src.slice(src.indexOf(' ') + 1))).toHaveProperty('message', message);
      const r = parseText('t.yaml', `apiVersion: v1\nkind: X\nv: ${src}\n`);
      expect(r.manifests, src).toEqual([]);
      expect(r.findings, src).toMatchObject([{ line: 3, rule: PARSE_RULES.syntax }]);
    }
  });

  it('decodeBinary follows base64.StdEncoding', () => {
    expect(decodeBinary('aGk=')).toBe('hi');
    expect(decodeBinary('aGk')).toBeUndefined(); // padding is required
    expect(decodeBinary('a Gk=')).toBeUndefined();
    expect(decodeBinary('aG\r\nk=')).toBe('hi');
  });
});

describe('duplicate keys', () => {
  it('keep the message and report each one where it is written, in block and flow mappings', () => {
    const r = parseText('t.yaml', 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: "1"\n  b: "2"\n  a: "3"\nx: {k: 1, k: 2}\n');
    expect(r.manifests).toEqual([]);
    expect(r.findings.map((f) => [f.line, f.column, f.message])).toEqual([
      [6, 3, 'duplicate mapping key: Kubernetes rejects (or silently overwrites) repeated keys'],
      [7, 11, 'duplicate mapping key: Kubernetes rejects (or silently overwrites) repeated keys'],
    ]);
  });

  it('keys equal only in JSON (1 and "1", 1.0 and 1) are duplicates too', () => {
    expect(parseText('t.yaml', '1: a\n"1": b\n').findings).toMatchObject([{ line: 2, column: 1 }]);
    expect(parseText('t.yaml', '1.0: a\n1: b\n').findings).toMatchObject([{ line: 2, column: 1 }]);
  });

  it('an explicit key may override a merged one', () => {
    expect(parseText('t.yaml', 'a: &a {k: 1, j: 2}\nb:\n  <<: *a\n  k: 3\n').manifests[0]?.object.b).toEqual({ k: 3, j: 2 });
  });
});

describe('aliases and merges', () => {
  it('aliases become copies: changing one place does not change another', () => {
    const m = parseText('t.yaml', 'apiVersion: v1\nkind: X\nbase: &b {labels: {app: web}}\nuse: *b\nmerged:\n  <<: *b\n').manifests[0]!;
    const o = m.object as { base: { labels: { app: string } }; use: { labels: { app: string } }; merged: { labels: { app: string } } };
    expect(o.use).toEqual(o.base);
    o.use.labels.app = 'changed';
    expect(o.base.labels.app).toBe('web');
    expect(o.merged.labels.app).toBe('web');
  });

  it('a billion-laughs document is refused in bounded time and memory, at the alias that blew up', () => {
    const lines = ['apiVersion: v1', 'kind: ConfigMap', 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 30; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(',')}]`);
    const t0 = performance.now();
    const r = parseText('bomb.yaml', lines.join('\n'));
    expect(performance.now() - t0).toBeLessThan(1000); // 10^30 values if expanded
    expect(r.manifests).toEqual([]);
    expect(r.findings).toMatchObject([{ rule: PARSE_RULES.syntax, message: expect.stringMatching(/alias bomb/) }]);
    expect(r.findings[0]!.line).toBeGreaterThan(3);
  });

  it('the fast path measures alias expansion while parsing: the bomb document is refused before any copy', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 30; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(',')}]`);
    const fast = fastLoad(lines.join('\n'));
    expect(fast.ok && fast.docs[0]).toEqual({ ok: false, reason: 'refused', contentStart: 0 });
  });

  it('go-yaml v2 ratio rule: 99% of values may come from aliases in small documents, less in big ones', () => {
    // 500 aliases of a 1,000-element list: 500,000 of ~502,000 values come from aliases (over the ~96% allowed there).
    let text = `l: &l [${Array(1000).fill('1').join(',')}]\n`;
    for (let i = 0; i < 500; i++) text += `k${i}: *l\n`;
    const t0 = performance.now();
    expect(parseText('t.yaml', text).findings).toMatchObject([{ message: expect.stringMatching(/alias bomb/) }]);
    expect(performance.now() - t0).toBeLessThan(2000);
    // 150 uses of one anchor: accepted, as Kubernetes does.
    let ok = 'apiVersion: v1\nkind: X\nl: &l [a, b, c]\n';
    for (let i = 0; i < 150; i++) ok += `k${i}: *l\n`;
    expect(parseText('t.yaml', ok).manifests[0]?.object.k149).toEqual(['a', 'b', 'c']);
  });

  it('past max(200,000, 10 × text length) values after expansion a document is refused, whatever the ratio', () => {
    // 190 aliases of a 2,000-element list: 380,000 values, 95% from aliases (allowed), but over the 200,000 budget.
    let text = `l: &l [${Array(2000).fill('1').join(',')}]\n`;
    for (let i = 0; i < 190; i++) text += `k${i}: *l\n`;
    expect(expansionBudget(text.length)).toBe(200_000);
    expect(parseText('t.yaml', text).findings).toMatchObject([{ message: expect.stringMatching(/alias bomb/) }]);
  });

  it('an anchor that contains itself is refused', () => {
    for (const text of ['a: &x [1, *x]\n', 'a: &x\n  b: *x\n']) {
      expect(parseText('t.yaml', text).findings).toMatchObject([{ message: expect.stringMatching(/contains an alias to itself/) }]);
    }
  });
});

describe('document alignment between js-yaml (values) and yaml (positions)', () => {
  // Each text's documents must line up: same count (js-yaml may add one empty document to a stream with none) and,
  // for every document with content, the same content start.
  const texts = [
    '',
    '\n\n',
    '# only a comment\n',
    'a: 1\n',
    '---\na: 1\n',
    'a: 1\n---\n',
    'a: 1\n---',
    '---\n---\n',
    'a: 1\n---\n---\nb: 2\n',
    'a: 1\n...\n',
    'a: 1\n...\n---\nb: 2\n',
    'a: 1\n...\nb: 2\n',
    'a: 1\n...\n...\nb: 1\n',
    '...\na: 1\n',
    'a: 1\n...\n# trailing\n',
    '# c\n---\na: 1\n',
    '---\na: 1\n---\n# only\n---\nb: 1',
    '--- # c\na: 1\n',
    '--- {a: 1}\n--- [1]\n--- text\n',
    '%YAML 1.1\n---\na: 1\n...\n%YAML 1.1\n---\nb: 2\n',
    '  a: 1\n  b: 2\n',
    'a: 1\n--- \n---\t\nb: 1\n',
    '&x\na: 1\n',
    '--- !!map &x\n  a: 1\n',
    '!foo &a\n\n# c\na: 1',
    '---\n# Source: x\n\n# more\n\napiVersion: v1\n',
    'a: |\n  ---\n  not a separator\nb: 1\n---\nc: 1\n',
    'a: "---"\n---\nb: 1\n',
    'a: 1\r\n---\r\nb: 2\r\n',
    '\ufeffa: 1\n---\nb: 2\n',
    '- a\n- b\n---\nplain text\n---\n~\n---\nc: 1\n',
    '{"apiVersion": "v1"}\n',
  ];

  it.each(texts)('%j', (text) => {
    const fast = fastLoad(text);
    if (!fast.ok) throw fast.error;
    const { docs } = parseYamlFile(text);
    const extra = fast.docs.length - docs.length;
    expect(extra === 0 || (extra === 1 && docs.length === 0)).toBe(true);
    docs.forEach((doc, i) => {
      const f = fast.docs[i]!;
      const empty = doc.contents === null || (isScalar(doc.contents) && (doc.contents.value === null || doc.contents.value === ''));
      expect(f.ok === true || f.reason !== 'empty', `doc ${i} has content`).toBe(!empty);
      if (!empty) expect(f.contentStart, `doc ${i} content start`).toBe(contentStartOf(doc));
    });
  });

  it('docIndex counts empty documents, and a syntax error in one document keeps the others', () => {
    const text = ['apiVersion: v1', 'kind: A', '---', '---', 'apiVersion: v1', 'kind: B', '---', 'a: [1, 2', '---', 'apiVersion: v1', 'kind: D', ''].join('\n');
    const r = parseText('s.yaml', text);
    expect(r.manifests.map((m) => [m.object.kind, m.docIndex, m.position.line])).toEqual([
      ['A', 0, 1],
      ['B', 2, 5],
      ['D', 4, 10],
    ]);
    // yaml reports an unclosed flow sequence where it should have closed (the next ---), as before.
    expect(r.findings).toMatchObject([{ rule: PARSE_RULES.syntax, line: 9, column: 1 }]);
  });
});

describe('positions are lazy', () => {
  const text = ['---', '# Source: c/templates/cm.yaml', 'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: a', '---', 'apiVersion: v1', 'kind: Service', 'metadata: {name: b}', ''].join('\n');

  it('a file whose manifests are never located is never parsed by yaml; a locate() parses its own document once', () => {
    const before = yamlStats.files;
    const r = parseText('l.yaml', text);
    expect(r.manifests.map((m) => [m.position, m.template])).toEqual([
      [{ line: 3, column: 1 }, 'c/templates/cm.yaml'],
      [{ line: 8, column: 1 }, undefined],
    ]);
    expect(yamlStats.files).toBe(before);
    expect(r.manifests[1]!.locate(['metadata', 'name']).start).toEqual({ line: 10, column: 18 });
    expect(yamlStats.files).toBe(before + 1);
    expect(r.manifests[1]!.locate(['metadata'], 'key').start).toEqual({ line: 10, column: 1 });
    expect(yamlStats.files).toBe(before + 1);
    expect(r.manifests[0]!.locate(['metadata', 'name'], 'key').start).toEqual({ line: 6, column: 3 });
    expect(r.manifests[0]!.locate(['spec', 'x']).start).toEqual({ line: 3, column: 1 });
    expect(yamlStats.files).toBe(before + 2);
  });

  it('a refused document is re-read alone; the documents around it stay on the fast path', () => {
    const docs = Array.from({ length: 50 }, (_, i) => `---\n# Source: c/templates/t${i}.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm${i}\n`);
    docs[30] = '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dup\n  name: dup\n';
    const before = yamlStats.files;
    const r = parseText('helm.yaml', docs.join(''));
    expect(r.manifests).toHaveLength(49);
    expect(r.findings).toMatchObject([{ line: 186, column: 3, message: expect.stringMatching(/^duplicate mapping key/) }]);
    expect(yamlStats.files).toBe(before + 1);
    expect(r.manifests[45]!.locate(['metadata', 'name']).start).toEqual({ line: 282, column: 9 }); // document 46
    expect(r.manifests[45]!.template).toBe('c/templates/t46.yaml');
  });
});

describe('malformed and unusual YAML: the same findings and objects as the eager parser', () => {
  // js-yaml and yaml disagree on some syntax; whatever js-yaml cannot read goes to yaml, so what users see must not
  // change. Deliberate differences are listed with the old result.
  const texts = [
    'a: [1, 2\n', 'a: {b: 1\n', 'a:\n\tb: 1\n', 'a: b: c\n', 'a: "unterminated\n', "a: 'x\n", '- a\nb: 1\n', 'a:\n  - b\n  c: 1\n', 'a: *nope\n',
    'a: 1\n a: 2\n', 'key with : colon: 1\n', 'a: @x\n', 'a: `x\n', 'a: |\n b\n  c\n', '? a\n? b\n', '%YAML 2.0\n---\na: 1\n', '%FOO bar\n---\na: 1\n',
    'a: 1\n...\nfoo\n  bar: 1\n', 'a: {b: c, d}\n', 'a: - b\n', 'a:\n- b\n- c\n', 'a: >\n  folded\n  text\nb: 1\n', 'a: "\\x41"\n', 'a: "\\u00e9"\n',
    'a: "\\q"\n', "a: 'it''s'\n", 'a: b\n  c\n', 'a:   # comment\n  b: 1\n', 'a: &x\nb: *x\n', 'a: !<tag:yaml.org,2002:str> 1\n',
    'apiVersion: v1\nkind: X\n---\n{"a": 1, "a": 2}\n', 'a: 1\n---\nb: [\n---\nc: 1\n', 'a:\n  b: 1\n c: 2\n', '- - - a\n', 'a: {{b: 1}: 2}\n',
    'x: ,\n', 'x: [a,,b]\n', 'a: 1 # c\n#c\nb: 2\n', 'a: \u00a0b\n', 'a: "line\n  continued"\n', '--- >\n  text\n', 'a: |-\n  x\n\n', 'a: |+\n  x\n\n',
    'a: |2\n   x\n', '\ta: 1\n', 'a: 1\t\n', 'a: b\n\n\nc: d\n# end', 'a:\r\n  b: 1\r\n  b: 2\r\n',
  ];
  const deliberate = new Map<string, string>([
    // yaml's 1.1 schema left an unresolvable !!int as text; go-yaml refuses it.
    ['a: !!int abc\n', 'cannot decode'],
  ]);
  const summary = (r: { manifests: Manifest[]; findings: Finding[] }) => ({
    findings: r.findings.map((f) => `${f.line}:${f.column} ${f.rule} ${f.message}`),
    objects: r.manifests.map((m) => [m.docIndex, m.position, m.object]),
  });
  it.each(texts)('%j', (text) => {
    expect(summary(parseText('t.yaml', text))).toEqual(summary(eagerParseText('t.yaml', text)));
  });
  it.each([...deliberate])('%j differs on purpose', (text, now) => {
    expect(parseText('t.yaml', text).findings[0]?.message).toMatch(now);
    expect(eagerParseText('t.yaml', text).findings).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// ../shared/corpus: the lazy two-phase parser against the eager one it replaced (kept below as eagerParseText).

const corpusDir = fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
const haveCorpus = existsSync(corpusDir);
if (!haveCorpus) console.warn(`parse-values.test.ts: ${corpusDir} is absent; skipping the corpus comparison`);

function corpusFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) corpusFiles(p, out);
    else if (/\.(ya?ml|json)$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

/** Up to `max` paths into a value (every key and index, breadth first), plus a missing child of some of them. */
function samplePaths(value: JsonValue, max: number): JsonPath[] {
  const out: JsonPath[] = [[]];
  const queue: [JsonPath, JsonValue][] = [[[], value]];
  while (queue.length > 0 && out.length < max) {
    const [path, v] = queue.shift()!;
    if (Array.isArray(v)) v.forEach((c, i) => queue.push([[...path, i], c]));
    else if (isObject(v)) for (const [k, c] of Object.entries(v)) queue.push([[...path, k], c]);
    if (path.length > 0) out.push(path);
    if (out.length % 7 === 0) out.push([...path, 'no-such-field'], [...path, 99999]);
  }
  return out;
}

describe.skipIf(!haveCorpus)('../shared/corpus: lazy parsing gives what eager parsing gave', () => {
  const files = haveCorpus ? corpusFiles(corpusDir) : [];

  it('has files to compare', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('same objects, findings, positions, templates and locate() ranges for every manifest', () => {
    let compared = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const lazy = parseText(f, text);
      const eager = eagerParseText(f, text);
      expect(lazy.findings, f).toEqual(eager.findings);
      expect(lazy.manifests.length, f).toBe(eager.manifests.length);
      lazy.manifests.forEach((m, i) => {
        const e = eager.manifests[i]!;
        expect([m.docIndex, m.itemIndex, m.template, m.position], `${f} #${i}`).toEqual([e.docIndex, e.itemIndex, e.template, e.position]);
        expect(m.object, `${f} #${i}`).toEqual(e.object);
        expect(m.position, `${f} #${i}`).toEqual(e.locate([]).start);
        for (const p of samplePaths(e.object, 300)) {
          for (const target of ['value', 'key'] as const) {
            expect(m.locate(p, target), `${f} #${i} ${JSON.stringify(p)} ${target}`).toEqual(e.locate(p, target));
            compared++;
          }
        }
      });
    }
    expect(compared).toBeGreaterThan(20_000); // ~24,000: ~12,000 paths, as key and as value
  });
});

// The eager parser as it was before the two-phase split (commit 28c980d, parse.ts): kept verbatim for the comparison
// above, with only its exports renamed.
const EAGER_MAX_ALIAS_COUNT = 100;
const EAGER_RULES = PARSE_RULES;
interface ParseResult {
  manifests: Manifest[];
  findings: Finding[];
}

// YAML 1.1 as go-yaml v2 (sigs.k8s.io/yaml) reads it: yes/no/on/off/y/n are booleans, 0644 is octal, `<<` merges.
// Timestamps stay strings: go-yaml v2 keeps timestamp-like text as a string when decoding into interface{}, as
// Kubernetes' YAML-to-JSON conversion does. Sexagesimal numbers (`1:20` = 80) are YAML 1.1 but go-yaml never read
// them, so `12:30` stays the string "12:30".
const notInGoYaml = (tags: unknown[]): unknown[] =>
  tags.filter((t) => {
    if (typeof t !== 'object' || t === null) return true;
    const { tag, format } = t as { tag?: unknown; format?: unknown };
    return tag !== 'tag:yaml.org,2002:timestamp' && format !== 'TIME';
  });

function eagerParseText(path: string, text: string): ParseResult {
  const lineCounter = new LineCounter();
  const manifests: Manifest[] = [];
  const findings: Finding[] = [];
  let docs: Document.Parsed[];
  try {
    const parsed = parseAllDocuments(text, {
      version: '1.1',
      lineCounter,
      // Duplicate keys are found in convertMap with a Set: yaml's own check compares every key with every earlier one,
      // which made a 40,000-key ConfigMap take seconds.
      uniqueKeys: false,
      prettyErrors: false,
      logLevel: 'error',
      customTags: notInGoYaml as never,
    });
    // An EmptyStream (not an array): nothing but comments or whitespace.
    if (!Array.isArray(parsed)) return { manifests, findings };
    docs = parsed;
  } catch (err) {
    return ({ manifests: [], findings: [fileFinding(path, 1, 1, EAGER_RULES.syntax, `cannot parse: ${err instanceof Error ? err.message : String(err)}`)] });
  }
  const pos = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const at = (node: unknown, fallback: number): Position => pos(rangeOf(node)?.[0] ?? fallback);
  let prevEnd = 0;
  docs.forEach((doc, docIndex) => {
    const docStart = prevEnd;
    prevEnd = doc.range[2];
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const p = pos(err.pos[0]);
        findings.push(fileFinding(path, p.line, p.column, EAGER_RULES.syntax, syntaxMessage(err.code, err.message)));
      }
      return;
    }
    if (doc.contents === null || (isScalar(doc.contents) && (doc.contents.value === null || doc.contents.value === ''))) return;
    const links = linkAliases(doc);
    const converted = toJsonDocument(doc, links);
    if (!converted.ok) {
      for (const e of converted.errors) {
        const p = at(e.node, doc.contents.range?.[0] ?? 0);
        findings.push(fileFinding(path, p.line, p.column, EAGER_RULES.syntax, e.message));
      }
      return;
    }
    const start = pos(doc.contents.range?.[0] ?? 0);
    if (!isObject(converted.value)) {
      findings.push(fileFinding(path, start.line, start.column, EAGER_RULES.notObject, `expected a mapping with apiVersion and kind, found ${describeValue(converted.value)}`));
      return;
    }
    const template = helmSource(text, docStart, doc);
    const object = converted.value;
    const locate = (p: JsonPath, target: 'key' | 'value' = 'value'): Range => locateIn(doc, links, p, target, pos);
    const kind = getString(object, 'kind');
    const items = getArray(object, 'items');
    if (kind !== undefined && kind.endsWith('List') && items !== undefined && typeof object.apiVersion === 'string') {
      items.forEach((item, itemIndex) => {
        const itemLocate = (p: JsonPath, target: 'key' | 'value' = 'value'): Range => locate(['items', itemIndex, ...p], target);
        if (!isObject(item)) {
          const r = itemLocate([]);
          findings.push(fileFinding(path, r.start.line, r.start.column, EAGER_RULES.notObject, `${kind} item ${itemIndex} is ${describeValue(item)}, expected an object`));
          return;
        }
        manifests.push(makeManifest(path, docIndex, item, itemLocate, template, itemIndex));
      });
      return;
    }
    manifests.push(makeManifest(path, docIndex, object, locate, template));
  });
  return { manifests, findings };
}

function makeManifest(file: string, docIndex: number, object: JsonObject, locate: Manifest['locate'], template: string | undefined, itemIndex?: number): Manifest {
  const manifest: Manifest = { file, docIndex, object, position: locate([]).start, locate };
  if (itemIndex !== undefined) manifest.itemIndex = itemIndex;
  if (template !== undefined) manifest.template = template;
  return manifest;
}

const DUPLICATE_KEY_MESSAGE = 'duplicate mapping key: Kubernetes rejects (or silently overwrites) repeated keys';

function syntaxMessage(code: string, message: string): string {
  // yaml's messages end with a source excerpt after "at line N, column M:"; our findings carry the position already.
  const first = message.split(/ at line \d+, column \d+/)[0] ?? message;
  if (code === 'DUPLICATE_KEY') return DUPLICATE_KEY_MESSAGE;
  return first.trim();
}

function describeValue(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a sequence';
  return `a ${typeof v}`;
}

function rangeOf(node: unknown): readonly [number, number, number] | undefined {
  return typeof node === 'object' && node !== null && 'range' in node ? ((node as Node).range ?? undefined) : undefined;
}

// ---------------------------------------------------------------------------------------------------------------------
// YAML AST → JSON, as Kubernetes converts YAML (sigs.k8s.io/yaml over go-yaml v2), in time linear in what it produces.
//
// Converting the AST ourselves rather than with yaml's toJS() fixes three problems:
//  - yaml resolves every alias by scanning all earlier anchors and aliases, so n aliases cost O(n²): a 700 KB file with
//    20,000 anchors took 20 s;
//  - its alias limit (count × nested aliases > 100) refused ordinary files that use one anchor 101 times, which
//    Kubernetes accepts;
//  - its duplicate-key check compares each key with every earlier one (disabled above, done here with a Set).
// Alias expansion is bounded with go-yaml v2's own rule, so we refuse exactly the alias bombs Kubernetes refuses.

/** Alias-expanded nodes allowed before the ratio check applies (go-yaml v2: aliasCount > 100 && decodeCount > 1000). */
const ALIAS_RATIO_MIN_DECODES = 1000;
const ALIAS_RATIO_RANGE_LOW = 400_000;
const ALIAS_RATIO_RANGE_HIGH = 4_000_000;

/** The share of decoded nodes that may come from alias expansion: 99% for small documents, down to 10% for huge ones. */
function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= ALIAS_RATIO_RANGE_LOW) return 0.99;
  if (decodeCount >= ALIAS_RATIO_RANGE_HIGH) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - ALIAS_RATIO_RANGE_LOW) / (ALIAS_RATIO_RANGE_HIGH - ALIAS_RATIO_RANGE_LOW));
}

/** Each alias → the node its anchor names (the last one defined before the alias), found in one pass in document order. */
type AliasLinks = Map<Alias, Node>;

function linkAliases(doc: Document.Parsed): AliasLinks {
  const anchors = new Map<string, Node>();
  const links: AliasLinks = new Map();
  const visit = (n: unknown): void => {
    if (isAlias(n)) {
      const target = anchors.get(n.source);
      if (target) links.set(n, target);
      return;
    }
    if ((isScalar(n) || isMap(n) || isSeq(n)) && n.anchor) anchors.set(n.anchor, n);
    if (isMap(n) || isSeq(n)) {
      for (const item of n.items as unknown[]) {
        if (isPair(item)) {
          visit(item.key);
          visit(item.value);
        } else visit(item);
      }
    }
  };
  visit(doc.contents);
  return links;
}

class ConvertError extends Error {
  readonly node: unknown;
  constructor(message: string, node: unknown) {
    super(message);
    this.node = node;
  }
}

interface ConvertState {
  links: AliasLinks;
  decodeCount: number;
  aliasCount: number;
  /** Aliases being expanded, outermost first: the outermost is in the text the user wrote at that spot. */
  aliasStack: Alias[];
  expanding: Set<Node>;
  duplicates: ConvertError[];
}

type Converted = { ok: true; value: JsonValue } | { ok: false; errors: ConvertError[] };

function toJsonDocument(doc: Document.Parsed, links: AliasLinks): Converted {
  const st: ConvertState = { links, decodeCount: 0, aliasCount: 0, aliasStack: [], expanding: new Set(), duplicates: [] };
  try {
    const value = convertNode(doc.contents, st);
    return st.duplicates.length > 0 ? { ok: false, errors: st.duplicates } : { ok: true, value };
  } catch (err) {
    if (err instanceof ConvertError) return { ok: false, errors: [...st.duplicates, err] };
    if (err instanceof RangeError) return { ok: false, errors: [new ConvertError('the document nests too deeply to convert to JSON', doc.contents)] };
    throw err;
  }
}

function convertNode(node: unknown, st: ConvertState): JsonValue {
  st.decodeCount++;
  if (st.aliasStack.length > 0) {
    st.aliasCount++;
    if (st.aliasCount > EAGER_MAX_ALIAS_COUNT && st.decodeCount > ALIAS_RATIO_MIN_DECODES && st.aliasCount / st.decodeCount > allowedAliasRatio(st.decodeCount)) {
      throw new ConvertError(
        `too many alias expansions (${st.aliasCount} of ${st.decodeCount} values come from aliases); refusing a possible alias bomb, as Kubernetes does`,
        st.aliasStack[0],
      );
    }
  }
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return convertAlias(node, st);
  if (isScalar(node)) return scalarToJson(node);
  if (isMap(node)) return convertMap(node.items as unknown[], st);
  if (isSeq(node)) {
    const out: JsonValue[] = [];
    // !!omap and !!pairs hold pairs directly in a sequence; go-yaml reads each as a one-key mapping.
    for (const item of node.items as unknown[]) out.push(isPair(item) ? convertMap([item], st) : convertNode(item, st));
    return out;
  }
  throw new ConvertError('unsupported YAML node', node);
}

function convertAlias(node: Alias, st: ConvertState): JsonValue {
  const target = st.links.get(node);
  if (target === undefined) throw new ConvertError(`alias *${node.source} refers to no anchor defined before it`, node);
  if (st.expanding.has(target)) throw new ConvertError(`anchor &${node.source} contains an alias to itself`, node);
  st.expanding.add(target);
  st.aliasStack.push(node);
  try {
    return convertNode(target, st);
  } finally {
    st.aliasStack.pop();
    st.expanding.delete(target);
  }
}

function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  const v = key.value;
  return (typeof v === 'symbol' && v.description === '<<') || (v === '<<' && (key.type === undefined || key.type === Scalar.PLAIN));
}

function convertMap(items: unknown[], st: ConvertState): JsonObject {
  const out: JsonObject = {};
  const explicit = new Set<string>();
  for (const item of items) {
    if (!isPair(item)) continue;
    if (isMergeKey(item.key)) {
      mergeInto(out, item.value, st);
      continue;
    }
    const key = keyToString(item.key, st.links);
    if (explicit.has(key)) st.duplicates.push(new ConvertError(DUPLICATE_KEY_MESSAGE, item.key));
    explicit.add(key);
    setKey(out, key, convertNode(item.value, st));
  }
  return out;
}

/** `<<: *base` or `<<: [*a, *b]`: copy keys the mapping does not set itself; earlier sources win (YAML merge key spec). */
function mergeInto(out: JsonObject, value: unknown, st: ConvertState): void {
  const sources: unknown[] = isSeq(value) ? (value.items as unknown[]) : [value];
  for (const source of sources) {
    const target = isAlias(source) ? st.links.get(source) : source;
    if (!isMap(target)) throw new ConvertError('a merge key (<<) needs a mapping, an alias of one, or a sequence of them', source ?? value);
    const merged = convertNode(source, st);
    if (!isObject(merged)) continue;
    for (const [k, v] of Object.entries(merged)) if (!Object.hasOwn(out, k)) setKey(out, k, v);
  }
}

function setKey(out: JsonObject, key: string, value: JsonValue): void {
  // A "__proto__" key is data in JSON; plain assignment would set the object's prototype instead.
  if (key === '__proto__') Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  else out[key] = value;
}

/** Mapping keys as sigs.k8s.io/yaml writes them into JSON: booleans and numbers become their text; other keys are refused. */
function keyToString(keyNode: unknown, links: AliasLinks): string {
  const key = keyText(keyNode, links);
  if (typeof key === 'string') return key;
  throw new ConvertError(key.error, keyNode);
}

function keyText(keyNode: unknown, links: AliasLinks): string | { error: string } {
  const node = isAlias(keyNode) ? links.get(keyNode) : keyNode;
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'string') return v;
    if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint') return String(v);
    if (v instanceof Uint8Array) return binaryText(v);
    if (typeof v === 'symbol') return v.description ?? '';
    if (v === null) return { error: 'a null mapping key cannot be converted to JSON; Kubernetes rejects it' };
  }
  return { error: 'a mapping key must be a string, number or boolean to convert to JSON; Kubernetes rejects this one' };
}

function scalarToJson(node: Scalar): JsonValue {
  const v: unknown = node.value;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new ConvertError(`${node.source ?? String(v)} (${String(v)}) cannot be represented in JSON; Kubernetes rejects it`, node);
    return v;
  }
  if (typeof v === 'bigint') return Number(v);
  // go-yaml decodes !!binary into the raw bytes' text, which is what then goes into the JSON.
  if (v instanceof Uint8Array) return binaryText(v);
  if (typeof v === 'symbol') return v.description ?? '';
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

function binaryText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

const SOURCE_COMMENT = /^#\s*Source:\s*(\S.*?)\s*$/m;

/** Helm prefixes each rendered document with `# Source: chart/templates/x.yaml`; findings map back to that template. */
function helmSource(text: string, docStart: number, doc: Document.Parsed): string | undefined {
  // The comment sits between the previous document's end and this one's content, on either side of `---`.
  const contentStart = doc.contents?.range?.[0] ?? doc.range[0];
  const m = SOURCE_COMMENT.exec(text.slice(docStart, contentStart));
  return m?.[1];
}

interface Located {
  node: Node | null;
  pair: Pair | null;
}

function resolveAlias(links: AliasLinks, node: unknown): unknown {
  return isAlias(node) ? (links.get(node) ?? null) : node;
}

function findPair(links: AliasLinks, map: unknown, key: string, depth = 0): Pair | null {
  if (!isMap(map) || depth > 16) return null;
  const merges: unknown[] = [];
  // Explicit keys win over merged ones, and earlier merge sources over later ones, as in convertMap.
  for (const item of map.items) {
    if (!isPair(item)) continue;
    if (isMergeKey(item.key)) {
      if (isSeq(item.value)) merges.push(...(item.value.items as unknown[]));
      else merges.push(item.value);
      continue;
    }
    if (keyText(item.key, links) === key) return item as Pair;
  }
  for (const m of merges) {
    const found = findPair(links, resolveAlias(links, m), key, depth + 1);
    if (found) return found;
  }
  return null;
}

function walk(links: AliasLinks, doc: Document.Parsed, path: JsonPath): Located[] {
  const trail: Located[] = [{ node: doc.contents as Node | null, pair: null }];
  let current: unknown = resolveAlias(links, doc.contents);
  for (const seg of path) {
    if (typeof seg === 'number' && isSeq(current)) {
      const item = current.items[seg];
      if (item === undefined) break;
      trail.push({ node: item as Node, pair: null });
      current = resolveAlias(links, item);
    } else if (isMap(current)) {
      const pair = findPair(links, current, String(seg));
      if (!pair) break;
      trail.push({ node: (pair.value ?? null) as Node | null, pair });
      current = resolveAlias(links, pair.value);
    } else {
      break;
    }
  }
  return trail;
}

function locateIn(doc: Document.Parsed, links: AliasLinks, path: JsonPath, target: 'key' | 'value', pos: (offset: number) => Position): Range {
  const trail = walk(links, doc, path);
  const found = trail.length === path.length + 1;
  const last = trail[trail.length - 1] ?? { node: null, pair: null };
  // For a missing path, point at the key of the deepest ancestor that exists: that is where the user must add it.
  const wantKey = target === 'key' || !found;
  const keyNode = last.pair && isScalar(last.pair.key) ? last.pair.key : null;
  const node = wantKey && keyNode ? keyNode : (last.node ?? keyNode);
  const range = (node as Node | null)?.range ?? doc.contents?.range ?? doc.range;
  return { start: pos(range[0]), end: pos(range[1]) };
}
