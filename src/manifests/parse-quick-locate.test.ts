// Top-level keys are located by scanning the text (SourceText.locateTopLevel) instead of building `yaml`'s document;
// the answer must be exactly `yaml`'s. Checked on tricky hand-written documents and on every top-level key of every
// document of the shared corpus and the fixtures, for both targets.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Range } from '../core/types.ts';
import { parseText } from './parse.ts';
import { linkAliases, locateInDocument, parseYamlFile, yamlStats } from './yaml-ast.ts';

/** Every top-level key of every document, located by the manifest and by `yaml` directly; the pairs that differ. */
function disagreements(path: string, text: string): { checked: number; differ: string[] } {
  const { manifests } = parseText(path, text);
  const file = parseYamlFile(text);
  let checked = 0;
  const differ: string[] = [];
  for (const m of manifests) {
    if (m.itemIndex !== undefined) continue;
    const doc = file.docs[m.docIndex];
    if (!doc) continue;
    const links = linkAliases(doc);
    for (const key of Object.keys(m.object)) {
      for (const target of ['key', 'value'] as const) {
        const want: Range = locateInDocument(doc, links, [key], target, file.pos);
        const got = m.locate([key], target);
        checked++;
        if (JSON.stringify(got) !== JSON.stringify(want)) differ.push(`${path}#${m.docIndex} ${key} (${target}): ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
      }
    }
  }
  return { checked, differ };
}

const cases: [string, string][] = [
  ['plain', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  a: eA==\n'],
  ['comments and blank lines, a trailing comment', '# head\napiVersion: v1   # the core group\n\nkind: ConfigMap\n# between\nmetadata: {name: c}\ndata:\n  a: "1"\n'],
  ['CRLF', 'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: c\r\ndata:\r\n  a: b\r\n'],
  ['quoted and flow values (left to yaml)', 'apiVersion: "v1"\nkind: \'ConfigMap\'\nmetadata: {name: c}\ndata: {a: b}\n'],
  ['a multi-line quoted scalar with a key-like line at column 0', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    note: "first line\ndata: not a key\n      last"\ndata:\n  a: b\n'],
  ['a block scalar', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  script: |\n    data: inside\n    kind: inside\n'],
  ['several documents, a document start with content on its line', 'apiVersion: v1\nkind: A\nmetadata: {name: a}\n---\napiVersion: v1\nkind: B\nmetadata: {name: b}\n--- {apiVersion: v1, kind: C, metadata: {name: c}}\n---\n# c\napiVersion: v1\nkind: D\nmetadata:\n  name: d\n'],
  ['a key written twice is an error, not a place', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {}\n'],
  ['numbers, booleans and an empty value', 'apiVersion: v1\nkind: X\nmetadata: {name: x}\nreplicas: 3\nenabled: true\nempty:\nnull_: null\n'],
  ['merge keys and anchors', 'apiVersion: v1\nkind: ConfigMap\nmetadata: &m {name: c}\nx: *m\n'],
];

describe('top-level keys located from the text agree with yaml', () => {
  it.each(cases)('%s', (_name, text) => {
    const { differ, checked } = disagreements('case.yaml', text);
    expect(checked).toBeGreaterThan(0);
    expect(differ).toEqual([]);
  });

  it('a plain document is located without building yaml documents', () => {
    const { manifests } = parseText('s.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  a: eA==\n');
    const before = yamlStats.files;
    expect(manifests[0]?.locate(['apiVersion'], 'value')).toEqual({ start: { line: 1, column: 13 }, end: { line: 1, column: 15 } });
    expect(manifests[0]?.locate(['data'], 'key')).toEqual({ start: { line: 5, column: 1 }, end: { line: 5, column: 5 } });
    expect(yamlStats.files).toBe(before);
    // A nested path still asks yaml.
    manifests[0]?.locate(['metadata', 'name'], 'value');
    expect(yamlStats.files).toBe(before + 1);
  });

  const root = fileURLToPath(new URL('../../', import.meta.url));
  const corpus = join(root, '..', 'shared', 'corpus');
  const yamlFiles = (dir: string): string[] => readdirSync(dir).flatMap((e) => (statSync(join(dir, e)).isDirectory() ? yamlFiles(join(dir, e)) : /\.ya?ml$/.test(e) ? [join(dir, e)] : []));
  it.skipIf(!existsSync(corpus))('on every document of the shared corpus and the fixtures', () => {
    let checked = 0;
    const differ: string[] = [];
    for (const f of [...yamlFiles(corpus), ...yamlFiles(join(root, 'fixtures'))]) {
      const r = disagreements(relative(root, f), readFileSync(f, 'utf8'));
      checked += r.checked;
      differ.push(...r.differ);
    }
    expect(differ).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
  });
});
