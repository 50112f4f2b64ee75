// Keys and values are located by scanning the text (quick-locate.ts) instead of building `yaml`'s document; the
// answer must be exactly `yaml`'s. Checked on tricky hand-written documents, on random documents, and on every mapping
// path (string keys through nested objects) of every document of the shared corpus and the fixtures, for both targets.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isObject } from '../core/objects.ts';
import type { JsonObject, JsonPath, Manifest } from '../core/types.ts';
import { parseText } from './parse.ts';
import { quickOptions, quickStats } from './quick-locate.ts';
import { linkAliases, locateInDocument, parseYamlFile, yamlStats } from './yaml-ast.ts';
import { randomFile } from '../../test/helpers/random-yaml.ts';

const MAX_DEPTH = 6;

/** Every path of string keys through nested objects, up to MAX_DEPTH keys long. */
function mappingPaths(obj: JsonObject, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [key, v] of Object.entries(obj)) {
    const path = [...prefix, key];
    out.push(path);
    if (isObject(v) && path.length < MAX_DEPTH) out.push(...mappingPaths(v, path));
  }
  return out;
}

/**
 * Every mapping path of every document (and of every List item), located by the manifest and by `yaml`; the pairs
 * that differ. `extra` paths (missing keys, sequence indexes) are located too. Every answer must be the one `yaml`
 * gives in its place (the quick path turned off: one document's text parsed, as locate() does); an answer from the
 * text must also be the one of `yaml`'s whole-file parse (the two differ on some missing paths, which the text leaves
 * to `yaml`).
 */
function disagreements(path: string, text: string, extra: JsonPath[] = []): { checked: number; differ: string[] } {
  const { manifests } = parseText(path, text);
  quickOptions.enabled = false;
  let slow: Manifest[];
  try {
    slow = parseText(path, text).manifests;
  } finally {
    quickOptions.enabled = true;
  }
  const file = parseYamlFile(text);
  let checked = 0;
  const differ: string[] = [];
  manifests.forEach((m, k) => {
    const doc = file.docs[m.docIndex];
    const s = slow[k];
    if (!doc || !s) return;
    const links = linkAliases(doc);
    const prefix: JsonPath = m.itemIndex === undefined ? [] : ['items', m.itemIndex];
    for (const p of [...mappingPaths(m.object), ...extra]) {
      for (const target of ['key', 'value'] as const) {
        const answered = quickStats.answered;
        const got = JSON.stringify(m.locate(p, target));
        const quick = quickStats.answered > answered;
        quickOptions.enabled = false;
        let want: string;
        try {
          want = JSON.stringify(s.locate(p, target));
        } finally {
          quickOptions.enabled = true;
        }
        const whole = JSON.stringify(locateInDocument(doc, links, [...prefix, ...p], target, file.pos));
        checked++;
        if (got !== want || (quick && got !== whole)) differ.push(`${path}#${m.docIndex} ${JSON.stringify(p)} (${target}${quick ? ', from the text' : ''}): ${got} ≠ ${want}, whole file ${whole}`);
      }
    }
  });
  return { checked, differ };
}

const cases: [string, string][] = [
  ['plain', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  a: eA==\n'],
  ['comments and blank lines, a trailing comment', '# head\napiVersion: v1   # the core group\n\nkind: ConfigMap\n# between\nmetadata: {name: c}\ndata:\n  a: "1"\n'],
  ['CRLF', 'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: c\r\n  labels:\r\n    app: x\r\ndata:\r\n  a: b\r\n  c: |\r\n    text\r\n\r\n'],
  ['a lone CR (a line break to YAML)', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: {a: b}\rdata:\n  a: b\n'],
  ['quoted and flow values', 'apiVersion: "v1"\nkind: \'ConfigMap\'\nmetadata: {name: c}\ndata: {a: b}\nspec:\n  a: "x"  # c\n  b: \'y\'\n  c: "with \\" escape"\n  d: \'it\'\'s\'\n  e: {}\n  f: []\n  g: { }\n'],
  ['a multi-line quoted scalar with a key-like line at column 0', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    note: "first line\ndata: not a key\n      last"\ndata:\n  a: b\n'],
  ['a multi-line quoted scalar with key-like lines at the child indentation', 'apiVersion: v1\nkind: X\nspec:\n  a: "one\n  b: two"\n  c:\n    d: "three\n    e: four"\n    f: 1\n'],
  ['multi-line plain scalars', 'apiVersion: v1\nkind: X\nspec:\n  a: one\n    two\n  b: x\n\n     y z\n  c:\n    d: three\n     four\nlast: word\n  more\n'],
  ['a block scalar', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  script: |\n    data: inside\n    kind: inside\n'],
  ['block scalars whose content looks like keys at the child indentation', 'apiVersion: v1\nkind: X\nspec:\n  a: |\n    b: 1\n    # not a comment\n  c:\n    b: 2\n  d: >-\n    e: 3\n\n    f: 4\n  g:\n    e: 5\n'],
  ['block scalars last in a mapping', 'apiVersion: v1\nkind: X\nspec:\n  a:\n    b: |\n      text\n\n  c:\n    d: |-\n      t\n      \n  e:\n    f: |+\n      keep\n\n  g:\n    h: |2\n       indented\n  i:\n    j: >\n      folded\n         \nk: 1\n'],
  ['several documents, a document start with content on its line', 'apiVersion: v1\nkind: A\nmetadata: {name: a}\n---\napiVersion: v1\nkind: B\nmetadata: {name: b}\n--- {apiVersion: v1, kind: C, metadata: {name: c}}\n---\n# c\napiVersion: v1\nkind: D\nmetadata:\n  name: d\n---   \napiVersion: v1\nkind: E\nmetadata:\n  name: e\n  labels:\n    x: y\n    # indented comment before the next document\n---\napiVersion: v1\nkind: F\nmetadata:\n  labels:\n    x: y\n# a column-0 comment before the next document\n--- # c\napiVersion: v1\nkind: G\nmetadata:\n  labels:\n    x: y\n...\n'],
  ['numbers, booleans and an empty value', 'apiVersion: v1\nkind: X\nmetadata: {name: x}\nreplicas: 3\nenabled: true\nyesish: yes\nfloat: 1.0\nhex: 0x1F\nneg: -1\nempty:\nnull_: null\ntilde: ~\nspec:\n  a: 3\n  b:\n'],
  ['merge keys and anchors', 'apiVersion: v1\nkind: ConfigMap\nmetadata: &m {name: c}\nx: *m\nbase: &b\n  a: 1\n  b: 2\nmerged:\n  <<: *b\n  c: 3\nanchored: &v\n  d: 4\nanchoredValue:\n  e: &s text\n  f: *s\n'],
  ['comments at odd indentation', 'apiVersion: v1\nkind: X\nspec:  # trailing\n      # deep, before the first key\n  a:\n   # between\n    b: 1\n # at one\n  c:\n    d: 2\n      # deeper after the last value\n  e:\n    f: 3\n  # at the mapping indentation after the last value\n  g:\n    h: 4\n   # between after the last value\nz:\n  y: 5\n# column 0 at the end\n'],
  ['blank lines with spaces', 'apiVersion: v1\nkind: X\nspec:\n  \n  a:\n      \n    b: 1\n\n    c: 2\n          \n  d:\n    e: 3\n   \n \nz:\n  v: |\n    text\n      \n  x:\n    w: 1\n'],
  ['blank lines with tabs', 'apiVersion: v1\nkind: X\nspec:\n  \n  a:\n      \n    b: 1\n\t\n    c: 2\n          \n  d:\n    e: 3\n  \t \nz: 1\n'],
  ['keys in a different order than written (integer-like keys)', 'apiVersion: v1\nkind: X\nspec:\n  b: 1\n  10: ten\n  a: 2\n  2: two\nother:\n  1: one\n  x:\n    y: 1\n'],
  ['keys that resolve to something else', 'apiVersion: v1\nkind: X\nspec:\n  on: 1\n  1.5: 3\n  0x10: 4\n  "quoted": 5\n  with space: 7\n  k-1: 8\n  __proto__: 9\n  constructor: 10\nother:\n  yes: 1\n  \'single\': 2\n  n: 3\n  1e3: 4\nplain:\n  x: 1\n  1.5: 2\n'],
  ['sequences of mappings, indentless and indented', 'apiVersion: v1\nkind: X\nspec:\n  containers:\n  - name: a\n    image: x\n  - name: b\n    env:\n    - name: E\n      value: v\n  selector:\n    app: x\n  ports:\n    - port: 80\n      targetPort: 8080\n  last:\n  - z\n'],
  ['empty mappings', 'apiVersion: v1\nkind: NetworkPolicy\nspec:\n  podSelector: {}\n  ingress: []\n  a:\n    b: {}\n  c:\n    d: []\n'],
  ['flow mappings', 'apiVersion: v1\nkind: X\nspec: {a: {b: 1}, c: [1, 2]}\nother:\n  x: {a: 1,\n    b: 2}\n  y: [1,\n  2]\n  z: 3\n'],
  ['a tab in indentation', 'apiVersion: v1\nkind: X\nspec:\n  a: 1\n  b:\n    c: |\n     \ttabbed\n    d: 2\n'],
  ['a document start with properties on its line', '--- !!map\napiVersion: v1\nkind: X\nspec:\n  a: 1\n--- &d\napiVersion: v1\nkind: Y\nspec:\n  b: 2\n--- # comment\napiVersion: v1\nkind: Z\nspec:\n  c: 3\n'],
  ['indented document content', '---\n  apiVersion: v1\n  kind: X\n  spec:\n    a: 1\n'],
  ['a document ending without a line break', 'apiVersion: v1\nkind: X\nspec:\n  a:\n    b: 1'],
  ['__proto__ and constructor keys', 'apiVersion: v1\nkind: X\nspec:\n  __proto__: a\n  constructor: b\n  toString:\n    x: 1\n  hasOwnProperty:\n    __proto__:\n      w: 2\n'],
  ['a block scalar last in the document, without a final line break', 'apiVersion: v1\nkind: X\ndata:\n  a: >\n    folded\n    text'],
  ['a List', 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: a\n  spec:\n    selector:\n      app: a\n- apiVersion: v1\n  kind: Service\n  spec:\n    selector: {app: b}\n'],
  ['explicit keys and properties on keys', 'apiVersion: v1\nkind: X\nspec:\n  ? a\n  : 1\n  b: 2\nother:\n  &k c: 3\n  !!str d: 4\n'],
  ['values with properties', 'apiVersion: v1\nkind: X\nspec: &s\n  a: 1\nother: !!map\n  b: 2\nthird:\n  c: &x 3\n  d: !!str 4\n'],
];

const extraPaths: JsonPath[] = [['spec', 'missing'], ['missing'], ['spec', 'containers', 0], ['spec', 'containers', 0, 'name'], ['items', 0], ['metadata', 'name', 'x']];

describe('keys and values located from the text agree with yaml', () => {
  it.each(cases)('%s', (_name, text) => {
    const { differ, checked } = disagreements('case.yaml', text, extraPaths);
    expect(checked).toBeGreaterThan(0);
    expect(differ).toEqual([]);
  });

  it('common paths are located without building yaml documents', () => {
    const text = [
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\n  labels:\n    app: web\nspec:\n  ports:\n  - port: 80\n    targetPort: 8080\n  selector:\n    app: web\n    tier: "frontend"\n',
      '---\n# Source: chart/templates/np.yaml\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n  policyTypes:\n    - Ingress\n',
      '---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: pdb\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app: web\n\n',
      '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: "1"\n  script: |\n    echo hi\n',
    ].join('');
    const { manifests } = parseText('s.yaml', text);
    const [svc, np, pdb, cm] = manifests;
    const before = yamlStats.files;
    expect(svc?.locate(['apiVersion'], 'value')).toEqual({ start: { line: 1, column: 13 }, end: { line: 1, column: 15 } });
    expect(svc?.locate(['spec', 'selector'], 'value')).toEqual({ start: { line: 13, column: 5 }, end: { line: 15, column: 1 } });
    expect(svc?.locate(['spec', 'selector', 'tier'], 'value')).toEqual({ start: { line: 14, column: 11 }, end: { line: 14, column: 21 } });
    expect(svc?.locate(['metadata', 'name'], 'value')).toEqual({ start: { line: 4, column: 9 }, end: { line: 4, column: 12 } });
    expect(svc?.locate(['metadata', 'labels', 'app'], 'key')).toEqual({ start: { line: 7, column: 5 }, end: { line: 7, column: 8 } });
    expect(np?.locate(['spec', 'podSelector'], 'value')).toEqual({ start: { line: 23, column: 5 }, end: { line: 25, column: 1 } });
    expect(pdb?.locate(['spec', 'selector'], 'value')).toEqual({ start: { line: 35, column: 5 }, end: { line: 37, column: 1 } });
    expect(cm?.locate(['data'], 'value')).toEqual({ start: { line: 44, column: 3 }, end: { line: 47, column: 1 } });
    expect(yamlStats.files).toBe(before);
    // A path through a sequence still asks yaml, once for the document.
    expect(svc?.locate(['spec', 'ports', 0, 'port'], 'value')).toEqual({ start: { line: 10, column: 11 }, end: { line: 10, column: 13 } });
    expect(yamlStats.files).toBe(before + 1);
    // The answers are yaml's.
    const { differ } = disagreements('s.yaml', text);
    expect(differ).toEqual([]);
  });

  const runs = Number(process.env.QUICK_LOCATE_FUZZ ?? 1500);
  it('on random documents', () => {
    const answered = quickStats.answered;
    let checked = 0;
    const differ: string[] = [];
    for (let seed = 1; seed <= runs && differ.length < 5; seed++) {
      const text = randomFile(seed);
      const r = disagreements(`random-${seed}.yaml`, text, extraPaths);
      checked += r.checked;
      differ.push(...r.differ.map((d) => `${d}\n${JSON.stringify(text)}`));
    }
    expect(differ).toEqual([]);
    expect(checked).toBeGreaterThan(runs * 10);
    // The quick path is taken often enough for the comparison to mean something.
    expect(quickStats.answered - answered).toBeGreaterThan(checked / 10);
  }, 30_000 + runs * 10);

  const root = fileURLToPath(new URL('../../', import.meta.url));
  const corpus = join(root, '..', 'shared', 'corpus');
  const yamlFiles = (dir: string): string[] => readdirSync(dir).flatMap((e) => (statSync(join(dir, e)).isDirectory() ? yamlFiles(join(dir, e)) : /\.ya?ml$/.test(e) ? [join(dir, e)] : []));
  it.skipIf(!existsSync(corpus))('on every mapping path of every document of the shared corpus and the fixtures', () => {
    const answered = quickStats.answered;
    let checked = 0;
    const differ: string[] = [];
    for (const f of [...yamlFiles(corpus), ...yamlFiles(join(root, 'fixtures'))]) {
      const r = disagreements(relative(root, f), readFileSync(f, 'utf8'));
      checked += r.checked;
      differ.push(...r.differ);
    }
    expect(differ).toEqual([]);
    expect(checked).toBeGreaterThan(5000);
    expect(quickStats.answered - answered).toBeGreaterThan(checked / 2);
  }, 60_000);
});
