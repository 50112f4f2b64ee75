// quick-load.ts reads common YAML without js-yaml, and must read it exactly as js-yaml with go-yaml's scalar rules
// does (values, key order, document starts), or give up. Every text here is read both ways: a table of cases that
// name whether the shortcut takes them, generated documents, and the shared corpus.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rng } from '../../test/helpers/random-yaml.ts';
import { jsYamlLoad } from './fast-load.ts';
import { quickLoad } from './quick-load.ts';

/** Whether the shortcut took the text; when it did, its read must be js-yaml's. */
function quickAgrees(text: string): boolean {
  const quick = quickLoad(text);
  if (quick === undefined) return false;
  const reference = jsYamlLoad(text);
  if (JSON.stringify(quick) !== JSON.stringify(reference)) console.log('MISMATCH', JSON.stringify(text));
  expect(quick).toEqual(reference);
  // Key order too (toEqual ignores it), and what JSON cannot tell apart (-0) is covered by toEqual above.
  expect(JSON.stringify(quick)).toBe(JSON.stringify(reference));
  return true;
}

const cases: [name: string, text: string, taken: boolean][] = [
  ['a Deployment', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n        ports:\n        - containerPort: 80\n          protocol: TCP\n        args: []\n        resources: {}\n', true],
  ['sequences indented under their key', 'a:\n  - x\n  - yy: 1\n    z: 2\n  -\n    w: 3\nb: 1\n', true],
  ['sequence at the key column, then the next key', 'a:\n- 1\n- 2\nb:\n- c: d\n  e: f\ng: h\n', true],
  ['go-yaml scalars', 'k1: yes\nk2: on\nk3: 0644\nk4: 1e3\nk5: 0x1F\nk6: .5\nk7: ~\nk8: null\nk9: 1_000\nk10: 9007199254740993\nk11: 2001-12-14\nk12: -0\nk13: -0.0\nk14: 3.0\nk15: +1\nk16: "yes"\nk17: \'0644\'\nk18: a:b\nk19: http://x/y#z\nk20: <<\nk21: -v\nk22: :8080\nk23: ?x\n', true],
  ['comments everywhere', '# head\napiVersion: v1 # c\n  # odd indentation\nkind: ConfigMap\n\n   \ndata:   # c\n  a: "x"  # c\n  b: \'it\'\'s\'   # c\n  c: x#y\n', true],
  ['documents', '---\na: 1\n---\n# c\nb: 2\n--- # c\nc: 3\n', true],
  ['literal blocks', 'a: |\n  x\n\n  y\nb: |-\n    z\nc: |+\n  w\n\nd:\n- |\n  in a sequence\n- e\n', true],
  ['empty collections', 'a: {}\nb: []\nc: {}  # c\n', true],
  ['keys that look like other things', 'a-b: 1\na.b/c: 2\n"q": 3\n', false],
  ['a root sequence', '- a\n- b: c\n', true],
  ['an unnamed document start then content', '--- \na: 1\n', true],
  ['flow collections', 'a: [1, 2]\n', false],
  ['a flow mapping', 'a: {b: 1}\n', false],
  ['anchors and aliases', 'a: &x 1\nb: *x\n', false],
  ['merge keys', 'a: &x {b: 1}\nc:\n  <<: *x\n', false],
  ['tags', 'a: !!str 1\n', false],
  ['multi-line plain scalars', 'a: one\n  two\n\n  three\n\n\n  - four "5" [6]  \nb:\n- x\n  y\n- k: v\n    w\n  j: 1\n', true],
  ['a comment inside a multi-line plain scalar', 'a: one\n  # c\n  two\n', false],
  ['a comment after a plain scalar, then a continuation-like line', 'a: one\n# c\n  two\n', false],
  ['a key-like continuation', 'a: one\n  two: x\n', false],
  ['multi-line quoted scalars', 'a: "one  \n  two\n\n   three \\"x\\" "  # c\nb: \'it\'\'s  \n\n\n  on\'\nc:\n- "x\n  y"\n', true],
  ['an escaped line break', 'a: "one\\\n  two"\n', false],
  ['an unterminated quoted scalar', 'a: "one\n  two\n', false],
  ['a quoted continuation at the key column', 'a: "one\ntwo"\n', false],
  ['JSON escapes', 'a: "x\\ty\\"z\\u00e9\\\\"\n', true],
  ['other escapes', 'a: "x\\ey"\n', false],
  ['folded blocks', 'a: >\n  x\n  y\n\n  z\n    more\n  w\n\n\n  \tt\nb: >-\n  \tfirst\n  q\nc: >+\n  k\n\n', true],
  ['duplicate keys', 'a: 1\na: 2\n', false],
  ['non-string keys', '1: a\n', false],
  ['a null key', '~: a\n', false],
  ['a boolean key', 'yes: a\n', false],
  ['tabs', 'a:\tb\n', false],
  ['CRLF', 'a: b\r\n', false],
  ['a trailing document start (an empty document)', 'a: 1\n---\n', false],
  ['comments only', '# nothing\n', false],
  ['empty text', '', false],
  ['a scalar document', 'just text\n', false],
  ['a value that is a mapping on one line', 'a: b: c\n', false],
  ['a value ending with a colon', 'a: b:\n', false],
  ['bad indentation', 'a:\n    b: 1\n  c: 2\n', false],
  ['a sequence item at the mapping column after a scalar', 'a: 1\n- b\n', false],
  ['nested compact sequence', '- - a\n', false],
  ['a key with a space before the colon', 'a : 1\n', false],
  ['a colon inside a comment is not a key', '- x # note: y\n', true],
  ['a document end marker', 'a: 1\n...\n', false],
  ['a directive', '%YAML 1.1\n---\na: 1\n', false],
  ['a BOM', '\uFEFFa: 1\n', false],
  ['a control character', 'a: b\u0001\n', false],
  ['a block without content', 'a: |\nb: 1\n', false],
  ['a block with explicit indentation', 'a: |2\n   x\n', false],
  ['the last line without a line break', 'a: 1\nb: x', true],
  ['a header at the last line', 'a: |', false],
  ['__proto__ key', '__proto__: 1\n', false],
  ['deep nesting', `${Array.from({ length: 40 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} x\n`, true],
];

describe('quickLoad reads what js-yaml reads, or gives up', () => {
  it.each(cases)('%s', (_name, text, taken) => {
    expect(quickAgrees(text)).toBe(taken);
    if (!taken) expect(quickLoad(text)).toBeUndefined();
  });

  it('agrees with js-yaml on generated documents', () => {
    const random = rng(7);
    let taken = 0;
    for (let n = 0; n < 4000; n++) if (quickAgrees(generated(random))) taken++;
    // Most of them are plain enough to be taken: the comparison means something.
    expect(taken).toBeGreaterThan(800);
  });
});

const SCALARS = ['1', '-1', '0', '007', '0o17', '0x1f', '1.5', '-.5', '1e3', '1_000', '.inf', '.NaN', 'true', 'False', 'yes', 'Off', 'y', 'n', '~', 'null', 'Null', '', '-', 'a:b', 'a :b', 'a: b', 'a #b', 'a#b', 'http://x', "'q'", "'it''s'", '"d"', '"e\\n"', '"a # b"', "'a: b'", 'x:', '- x', '? x', '&a x', '*a', '!t x', '[]', '{}', '[a]', '{a: 1}', '|', '>', '%x', '@x', '`x', 'text with spaces', 'trailing   ', '2001-12-14', '12:30:45', '+12', '0b101', '9223372036854775808', '<<', '=', 'é'];
const KEYS = ['a', 'b', 'name', 'a.b', 'a-b', 'a/b', 'x1', '1', 'yes', '"q"', 'on', 'a b', 'a:b', '<<', 'null', '~', '-a', 'k'];

/** A document of nested block collections with scalars of every kind, comments, blank lines and the odd mistake. */
function generated(random: () => number): string {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const lines: string[] = [];
  const tidy = random() < 0.5; // half the documents avoid what the shortcut gives up on
  const scalar = (): string => (tidy ? pick(['1', 'true', 'x', 'a-b', '"q"', "'s'", '0644', '1.5', '~', 'yes', 'http://x', 'a#b']) : pick(SCALARS));
  const comment = (): string => (random() < 0.1 ? `  # ${pick(['c', 'a: b', '#'])}` : '');
  const noise = (indent: number): void => {
    const r = random();
    if (r < 0.05) lines.push('');
    else if (r < 0.08) lines.push(`${' '.repeat(Math.floor(random() * (indent + 3)))}# note`);
    else if (r < 0.1) lines.push(' '.repeat(Math.floor(random() * 6)));
  };
  const keys = (): string[] => {
    const count = 1 + Math.floor(random() * 4);
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(tidy ? `k${out.length}` : pick(KEYS));
    return out;
  };
  const node = (indent: number, depth: number): void => {
    // Called after "key:" or "-" with nothing after it on the line.
    const r = random();
    if (depth > 4 || r < 0.1) return;
    if (r < 0.55) mapping(indent + pick([1, 2, 2, 4]), depth + 1, null);
    else sequence(tidy ? indent + 2 : indent + pick([0, 2, 2, 3]), depth + 1);
  };
  const value = (indent: number, depth: number, lead: string): void => {
    const r = random();
    if (r < 0.5) lines.push(`${lead} ${scalar()}${comment()}`);
    else if (r < 0.55) {
      lines.push(`${lead} ${scalar()}`);
      for (let i = Math.floor(random() * 3); i >= 0; i--) lines.push(random() < 0.2 ? '' : `${' '.repeat(indent + pick([0, 1, 2, 4]))}${scalar()}${random() < 0.1 ? '  ' : ''}`);
    } else if (r < 0.58) {
      const q = pick(['"', "'"]);
      lines.push(`${lead} ${q}${pick(['a', 'b  ', '\\"', "''", '# x', 'k: v', ''])}`);
      for (let i = Math.floor(random() * 3); i > 0; i--) lines.push(random() < 0.2 ? '' : `${' '.repeat(indent + pick([0, 1, 2, 4]))}${pick(['c', 'd  ', '\\t', "''", '- e', '# f'])}`);
      lines.push(`${' '.repeat(indent + pick([0, 1, 2]))}${pick(['g', ''])}${q}${pick(['', '  # c', ' x'])}`);
    }
    else if (r < 0.65) {
      lines.push(`${lead} ${pick(['|', '|-', '|+', '|  # c', '>', '>-', '>+'])}`);
      const ci = indent + pick([1, 2, 2]);
      const count = 1 + Math.floor(random() * 3);
      for (let i = 0; i < count; i++) lines.push(random() < 0.2 ? '' : `${' '.repeat(ci + pick([0, 0, 1]))}${pick(['text', 'k: v', '- x', '# c', '\tt'])}`);
    } else {
      lines.push(`${lead}${comment()}`);
      node(indent, depth);
    }
  };
  const mapping = (indent: number, depth: number, firstLead: string | null): void => {
    keys().forEach((k, i) => {
      noise(indent);
      const lead = i === 0 && firstLead !== null ? firstLead : ' '.repeat(indent);
      value(indent, depth, `${lead}${k}:`);
    });
  };
  const sequence = (indent: number, depth: number): void => {
    const count = 1 + Math.floor(random() * 3);
    for (let i = 0; i < count; i++) {
      noise(indent);
      const r = random();
      const dash = `${' '.repeat(indent)}-`;
      if (r < 0.4) mapping(indent + 2, depth + 1, `${dash} `);
      else if (r < 0.8) value(indent, depth, dash);
      else if (!tidy && r < 0.85) lines.push(`${dash} - nested`);
      else lines.push(`${dash} ${scalar()}`);
    }
  };
  const docs = 1 + Math.floor(random() * 3);
  for (let d = 0; d < docs; d++) {
    if (d > 0 || random() < 0.3) lines.push(pick(['---', '--- # c', '---  ']));
    mapping(0, 0, null);
  }
  return lines.join('\n') + pick(['\n', '\n', '']);
}

const corpusDir = fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
const fixturesDir = fileURLToPath(new URL('../../fixtures', import.meta.url));

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yamlFiles(p, out);
    else if (/\.(ya?ml|json)$/.test(e.name)) out.push(p);
  }
  return out;
}

describe('real manifests', () => {
  it('the fixtures: every read the shortcut takes is js-yaml read', () => {
    let taken = 0;
    for (const file of yamlFiles(fixturesDir)) if (quickAgrees(readFileSync(file, 'utf8'))) taken++;
    expect(taken).toBeGreaterThan(0);
  });

  it.skipIf(!existsSync(corpusDir))('../shared/corpus: every read the shortcut takes is js-yaml read, and it takes most files', () => {
    const files = yamlFiles(corpusDir);
    let taken = 0;
    for (const file of files) if (quickAgrees(readFileSync(file, 'utf8'))) taken++;
    expect(taken / files.length).toBeGreaterThan(0.5);
  });
});

describe('the printable-character check', () => {
  it('refuses what js-yaml refuses, and takes paired surrogates (emoji)', () => {
    for (const bad of ['a: \u0000\n', 'a: \u007f\n', 'a: \uFFFE\n', 'a: \uD800\n', 'a: x\uDC00\n', 'a: \u0085\u0086\n']) {
      expect(quickLoad(bad)).toBeUndefined();
      expect(jsYamlLoad(bad).ok).toBe(false);
    }
    expect(quickAgrees('a: 🚀 \u0085 é\n')).toBe(true);
  });
});
