// Random YAML files for differential tests: block mappings with the things that make reading lines wrong (comments at
// odd indentation, blank lines with spaces, multi-line and block scalars, flow collections, anchors, merge keys,
// sequences, CRLF, odd keys), in random places. Not always valid YAML; the same seed gives the same file.

/** A seeded random number generator (mulberry32): the same seed gives the same sequence, for reproducible tests. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PLAIN_KEYS = ['a', 'b', 'c', 'name', 'app', 'spec', 'selector', 'labels', 'data', 'app.kubernetes.io/name', 'x_y', 'k-1'];
const ODD_KEYS = ['on', 'yes', 'true', 'y', '1', '10', '01', '1.5', '0x10', '"quoted"', "'sq'", 'with space', '__proto__', 'constructor', '<<', '? ex'];
const SCALARS = ['x', 'web', 'two words', '3', '0x1F', '1.0', 'yes', 'true', '~', 'null', '-1', '"dq"', "'sq'", '"a # b"', '"esc\\"aped"', "'it''s'", 'a #comment', '{}', '[]', '{a: 1}', '[1, 2]', '*anc', '&anc v', '!!str 5', '""', 'a\u2028b', 'a\u0085b', '"a\tb"'];

/**
 * A random file of one to three documents, each a block mapping. `wild` (0 to 1, drawn from the seed) sets how often
 * the things that make a document not plain show up (tabs in indentation, under-indented continuation lines, lone
 * CRs, odd keys): low for most files, so that most of them still exercise the quick path.
 */
export function randomFile(seed: number): string {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const chance = (p: number): boolean => r() < p;
  const sp = (n: number): string => ' '.repeat(Math.max(0, n));
  const wild = r() < 0.5 ? 0 : r();

  const decor = (indent: number, out: string[]): void => {
    if (chance(0.08)) out.push(`${sp(Math.floor(r() * (indent + 5)))}# comment`);
    if (chance(0.08)) out.push(pick(['', '', sp(Math.floor(r() * 8)), '\r']));
    if (chance(0.05 * wild)) out.push(pick(['\t', ' \t ', `${sp(indent)}\t# tabbed comment`]));
  };

  const blockScalar = (indent: number, out: string[], head: string): void => {
    const header = pick(['|', '|-', '|+', '>', '>-', '|2', '| # h', '>+']);
    out.push(`${head} ${header}`);
    const inner = indent + 1 + Math.floor(r() * 3);
    const n = 1 + Math.floor(r() * 3);
    for (let i = 0; i < n; i++) {
      const line = pick(['text', 'name: x', '# not a comment', '', '', sp(Math.floor(r() * 6)), 'a: b', '  deeper: y', wild > 0 ? 'echo "unclosed' : 'echo "closed"', wild > 0 ? '\ttab' : 'tab']);
      out.push(line === '' || line.trim() === '' ? line : sp(inner) + line);
    }
  };

  const sequence = (indent: number, depth: number, out: string[]): void => {
    const items = 1 + Math.floor(r() * 3);
    for (let k = 0; k < items; k++) {
      const item = r();
      if (item < 0.4) out.push(`${sp(indent)}- ${pick(SCALARS)}`);
      else if (item < 0.5) out.push(`${sp(indent)}-`);
      else {
        out.push(`${sp(indent)}- name: ${pick(SCALARS)}`);
        if (chance(0.6)) out.push(`${sp(indent + 2)}value: ${pick(SCALARS)}`);
        if (chance(0.3) && depth < 4) {
          out.push(`${sp(indent + 2)}nested:`);
          mapping(indent + 4, depth + 1, out);
        }
      }
    }
  };

  const mapping = (indent: number, depth: number, out: string[]): void => {
    const n = 1 + Math.floor(r() * (depth === 0 ? 5 : 4));
    const used = new Set<string>();
    for (let i = 0; i < n; i++) {
      decor(indent, out);
      let key = chance(0.3 * wild) ? pick(ODD_KEYS) : pick(PLAIN_KEYS);
      if (used.has(key)) key = `${key}${i}`;
      used.add(key);
      const head = `${sp(indent)}${key}:`;
      const kinds: [number, () => void][] = [
        [depth < 5 ? 40 : 0, () => {
          out.push(head + (chance(0.1) ? ' # c' : chance(0.05) ? ' &anc' : chance(0.05) ? ' !!map' : chance(0.05) ? '   ' : ''));
          mapping(indent + pick([1, 2, 2, 2, 3, 4]), depth + 1, out);
        }],
        [10, () => {
          out.push(head);
          sequence(chance(0.5) ? indent : indent + 2, depth, out);
        }],
        [8, () => blockScalar(indent, out, head)],
        [8, () => out.push(`${head} first\n${sp(indent + 1 + Math.floor(r() * 3))}${pick(['second', 'k: v', 'more words', '# c'])}`)],
        [4, () => out.push(head + pick(['', ' ', ' # c']))],
        [30, () => out.push(`${head} ${pick(SCALARS)}${chance(0.15) ? pick([' # trailing', '   ', '\t# t', '\t']) : ''}`)],
        // Multi-line quoted scalars and flow collections (the document is then left to yaml), under-indented ones too.
        [2 * wild, () => out.push(`${head} "first\n${sp(indent + 1 + Math.floor(r() * 3))}${pick(['second"', 'k: v"', '# c"'])}`)],
        [5 * wild, () => out.push(`${head} "first\n${sp(Math.floor(r() * (indent + 4)))}${pick(['second"', 'k: v"', '# c"'])}`)],
        [2 * wild, () => out.push(`${head} {a: 1,\n${sp(indent + 1 + Math.floor(r() * 3))}b: 2}`)],
        [4 * wild, () => out.push(`${head} [a,\n${sp(Math.floor(r() * (indent + 3)))}b]`)],
      ];
      if (key === '<<') out.push(`${head} ${pick(['*anc', '{m: 1}', '[*anc]'])}`);
      else {
        let w = r() * kinds.reduce((sum, [k]) => sum + k, 0);
        for (const [k, emit] of kinds) {
          w -= k;
          if (w < 0) {
            emit();
            break;
          }
        }
      }
    }
    decor(indent, out);
  };

  const docs: string[] = [];
  const ndocs = 1 + Math.floor(r() * 3);
  for (let d = 0; d < ndocs; d++) {
    const out: string[] = [];
    if (d > 0 || chance(0.2)) out.push(pick(['---', '---', '--- # c', '---   ', '# before\n---', '---\n# Source: x.yaml', '  # indented before\n---']));
    if (chance(0.3)) out.push('anc: &anc {m: 1}');
    const list = chance(0.1);
    out.push('apiVersion: v1', `kind: ${list ? 'List' : 'X'}`);
    if (list) {
      out.push('items:');
      sequence(chance(0.5) ? 0 : 2, 1, out);
    }
    mapping(0, 0, out);
    if (chance(0.05)) out.push('...');
    docs.push(out.join('\n'));
  }
  let text = docs.join('\n') + (chance(0.8) ? '\n' : '');
  if (chance(0.15)) text = text.replace(/\r?\n/g, '\r\n');
  if (chance(0.05 * wild)) text = text.replace(/\n(?=#)/, '\r');
  return text;
}
