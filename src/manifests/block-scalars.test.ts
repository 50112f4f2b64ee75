// Lifting block scalars (block-scalars.ts) must never change what a text means: every case here is read twice, by
// liftedLoad with every literal block lifted (minimum size 1) and by js-yaml on the text as it is (jsYamlLoad), and
// the two must be identical (values, document starts, errors alike). The table names where lifting must happen and where it must not.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rng } from '../../test/helpers/random-yaml.ts';
import { jsYamlLoad, liftedLoad } from './fast-load.ts';
import { liftBlockScalars, MIN_LIFTED_BLOCK, originalOffset } from './block-scalars.ts';

const ALL = 1;

function expectSameRead(text: string): void {
  const plain = jsYamlLoad(text);
  const lifted = liftedLoad(text, ALL) ?? plain;
  if (!plain.ok) {
    expect(lifted.ok).toBe(false);
    return;
  }
  expect(lifted).toEqual(plain);
}

interface Case {
  name: string;
  text: string;
  /** Whether some block is lifted (and its placeholder accepted), or the text is read as it is. */
  lifts: boolean;
}

const cases: Case[] = [
  { name: 'clip chomping', text: 'data:\n  a: |\n    line 1\n    line 2\n\n\nb: 1\n', lifts: true },
  { name: 'strip chomping', text: 'data:\n  a: |-\n    line 1\n\n    line 3\n\n', lifts: true },
  { name: 'keep chomping with trailing empty lines', text: 'data:\n  a: |+\n    x\n\n  \n\nb: 1\n', lifts: true },
  { name: 'keep chomping at the end of the text', text: 'a: |+\n  x\n\n', lifts: true },
  { name: 'no final line break', text: 'a: |\n  x\n  y', lifts: true },
  { name: 'leading empty lines become line breaks', text: 'a: |\n\n  \n  x\nb: 2\n', lifts: true },
  { name: 'leading empty line more indented than the content (js-yaml ends the block)', text: 'a: |\n      \n  x\n', lifts: false },
  { name: 'lines more indented, and whitespace-only lines longer than the indentation', text: 'a: |\n  x\n    y\n     \n  z\n', lifts: true },
  { name: 'tab after the indentation is content', text: 'a: |\n  \tx\n  y\n', lifts: true },
  { name: 'tab inside the indentation ends the block', text: 'a: |\n  x\n \ty\n', lifts: false },
  { name: 'a header comment', text: 'a: |-   # a comment\n  x\n', lifts: true },
  { name: 'compact mapping in a sequence', text: 'items:\n- name: x\n  data: |\n    hello\n- name: y\n  data: |-\n      deeper\n', lifts: true },
  { name: 'nested sequences of mappings', text: '- - k: |\n      v\n    j: 1\n', lifts: true },
  { name: 'content at the key column is not content', text: 'a:\n  b: |\n  c: 1\n', lifts: false },
  { name: 'content less indented than the key column ends an empty block', text: '- a:\n    b: |\n   c\n', lifts: false },
  { name: 'content one column deeper than the key', text: 'a:\n  b: |\n   one space\n  c: 1\n', lifts: true },
  { name: 'a header-like line inside a block is content', text: 'a: |\n  b: |\n    c\n  d\ne: 1\n', lifts: true },
  { name: 'folded block holding a header-like line', text: 'a: >\n  b: |\n    c\n  d\ne: |\n  f\n', lifts: true },
  { name: 'explicit indentation indicator stays for js-yaml', text: 'a: |2\n    x\n  y\n', lifts: false },
  { name: 'both chomping indicators: js-yaml refuses', text: 'a: |-+\n  x\n', lifts: false },
  { name: 'a header inside a multi-line double-quoted scalar', text: 'a: "x\n  b: |\n    c\n  "\nd: 1\n', lifts: false },
  { name: 'a header inside a multi-line single-quoted scalar', text: "a: 'x\n  b: |\n    c\n  '\n", lifts: false },
  { name: 'a header inside a flow mapping (an error either way)', text: 'a: {b: |\n    c\n  }\n', lifts: false },
  { name: 'a header in a comment', text: '# a: |\n#   b\nc: |\n  d\n', lifts: true },
  { name: 'a header after a plain multi-line scalar start', text: 'a: x\n  b: |\n    c\n', lifts: false },
  { name: 'anchored block stays', text: 'a: &x |\n  v\nb: *x\n', lifts: false },
  { name: 'tagged block stays', text: 'a: !!str |\n  v\n', lifts: false },
  { name: 'several documents keep their starts', text: 'a: |\n  x\n---\nb: |\n  y\n---\n# c\nc: 1\n', lifts: true },
  { name: 'CRLF line breaks stay for js-yaml', text: 'a: |\r\n  x\r\n', lifts: false },
  { name: 'a document marker at column 0 ends the block', text: 'a: |\n  x\n---\nb: 1\n', lifts: true },
  { name: 'a block that is a whole document is not a mapping value', text: '--- |\n  x\n', lifts: false },
  { name: 'a private-use character in the text turns lifting off', text: 'a: |\n  \uE0000{\n', lifts: false },
  { name: 'a duplicate key after a lifted block (js-yaml fails: read again as it is)', text: 'a: |\n  x\na: 2\n', lifts: false },
  { name: 'a syntax error after a lifted block (js-yaml fails: read again as it is)', text: 'a: |\n  x\nb: [\n', lifts: false },
  { name: 'bad indentation after a block (js-yaml fails: read again as it is)', text: 'a:\n  b: |\n      x\n    c: 1\n', lifts: false },
  { name: 'unicode content', text: 'a: |\n  é ✓ 🚀\n  \u2028 line separator\n', lifts: false },
];

describe('lifting literal block scalars reads every text as js-yaml does', () => {
  it.each(cases)('$name', ({ text, lifts }) => {
    expectSameRead(text);
    // "lifts": a block was lifted and js-yaml read its placeholder in place, so the lifted read is the one used.
    expect(liftedLoad(text, ALL) !== undefined).toBe(lifts);
  });

  it('maps offsets after a placeholder back to the original text', () => {
    const text = 'a: |\n  xxxx\n  yyyy\nb: 1\n';
    const lifted = liftBlockScalars(text, ALL);
    if (lifted === undefined) throw new Error('expected a lifted block');
    const inLifted = lifted.text.indexOf('b: 1');
    expect(originalOffset(lifted, inLifted)).toBe(text.indexOf('b: 1'));
    expect(originalOffset(lifted, 0)).toBe(0);
  });

  it('leaves blocks under the minimum size to js-yaml', () => {
    const small = `a: |\n${'  x\n'.repeat(10)}`;
    expect(liftBlockScalars(small)).toBeUndefined();
    const big = `a: |\n${'  xxxxxxxx\n'.repeat(Math.ceil(MIN_LIFTED_BLOCK / 8))}`;
    expect(liftBlockScalars(big)?.values.length).toBe(1);
  });

  it('agrees with js-yaml on generated documents', () => {
    const random = rng(20261122);
    let used = 0;
    for (let n = 0; n < 4000; n++) {
      const text = generated(random);
      expectSameRead(text);
      if (liftedLoad(text, ALL) !== undefined) used++;
    }
    // Enough of them take the lifted path for the comparison to mean something.
    expect(used).toBeGreaterThan(600);
  });
});

/** A document of nested mappings and sequences with block scalars of random shapes, and some noise that matters. */
function generated(random: () => number): string {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const lines: string[] = [];
  // A third of the documents carry constructs that trip lifting or js-yaml; the rest should mostly take the lifted path.
  const noisy = random() < 0.33;
  const noise = (p: number): boolean => noisy && random() < p;
  const headers = ['|', '|-', '|+', '>', '>-', '|2', '|-  # c', '|\t'];
  const block = (indent: number): void => {
    const contentIndent = indent + (noisy ? pick([0, 1, 2, 2, 2, 4]) : pick([1, 2, 2, 2, 4]));
    const count = 1 + Math.floor(random() * 5);
    for (let i = 0; i < count; i++) {
      const kind = random();
      if (kind < 0.15) lines.push('');
      else if (kind < 0.25) lines.push(' '.repeat(Math.floor(random() * (contentIndent + 3))));
      else if (kind < 0.3) lines.push(`${' '.repeat(contentIndent)}\tTAB`);
      else if (noise(0.3)) lines.push(`${' '.repeat(Math.max(0, contentIndent - 1))}less`);
      else if (kind < 0.4) lines.push(`${' '.repeat(contentIndent)}k: |`);
      else lines.push(`${' '.repeat(contentIndent + pick([0, 0, 0, 2]))}${pick(['text', '{"a": 1}', 'a: b', '- x', '# not a comment', '"q'])}`);
    }
  };
  const mapping = (indent: number, depth: number, firstPrefix: string): void => {
    const keys = 1 + Math.floor(random() * 4);
    for (let k = 0; k < keys; k++) {
      const lead = k === 0 ? firstPrefix : ' '.repeat(indent);
      const key = `k${k}`;
      const r = random();
      if (r < 0.45) {
        lines.push(`${lead}${key}: ${pick(headers)}`);
        block(indent + 1);
      } else if (r < 0.6 && depth < 3) {
        lines.push(`${lead}${key}:`);
        mapping(indent + 2, depth + 1, ' '.repeat(indent + 2));
      } else if (r < 0.75 && depth < 3) {
        lines.push(`${lead}${key}:`);
        const items = 1 + Math.floor(random() * 3);
        const seqIndent = indent + pick([0, 2]);
        for (let i = 0; i < items; i++) mapping(seqIndent + 2, depth + 1, `${' '.repeat(seqIndent)}- `);
      } else if (r < 0.8 && noise(0.5)) {
        lines.push(`${lead}${key}: "multi`);
        lines.push(`${' '.repeat(indent + 2)}${key}x: |`);
        lines.push(`${' '.repeat(indent + 2)}end"`);
      } else if (r < 0.85 && noise(0.5)) {
        lines.push(`${lead}${key}: {a: |`);
        lines.push(`${' '.repeat(indent + 4)}in flow}`);
      } else lines.push(`${lead}${key}: ${pick(['1', 'yes', 'plain', "'q'", '~'])}`);
    }
  };
  const docs = 1 + Math.floor(random() * 3);
  for (let d = 0; d < docs; d++) {
    if (d > 0) lines.push(pick(['---', '--- # c', '...\n---']));
    mapping(0, 0, '');
  }
  return lines.join('\n') + pick(['\n', '', '\n\n']);
}

const corpusDir = fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
const haveCorpus = existsSync(corpusDir);

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yamlFiles(p, out);
    else if (/\.(ya?ml)$/.test(e.name)) out.push(p);
  }
  return out;
}

describe.skipIf(!haveCorpus)('../shared/corpus: lifted reads equal plain reads', () => {
  it('every YAML file', () => {
    let lifted = 0;
    for (const file of yamlFiles(corpusDir)) {
      const text = readFileSync(file, 'utf8');
      expectSameRead(text);
      if (liftBlockScalars(text) !== undefined) lifted++;
    }
    // The corpus's dashboards and configuration files are what this is for.
    expect(lifted).toBeGreaterThan(0);
  });
});
