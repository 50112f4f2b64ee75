// Go (RE2) regular expressions, as CRD `pattern`s are written, → JavaScript RegExp.
//
// The API server compiles patterns with Go's regexp package. JavaScript rejects or misreads some RE2 syntax:
// `(?i)` flag groups (prometheus-operator CRDs use `^(?i)(abort|warn)?$`), `(?P<name>…)`, `\z`, `\A`, `\Q…\E`,
// POSIX classes (`[[:alpha:]]`), `\pL`, and escaped punctuation that the `u` flag refuses (`\-`, `\"`).
// Where JavaScript cannot express a construct exactly, the translation errs on the permissive side: a flag group in
// the middle of a pattern applies to the whole pattern. A pattern that still does not compile is not checked at all
// (and reported once as `invalid-crd-schema` warning by the CRD loader) rather than failing every object.

export type Translation = { ok: true; source: string; flags: string } | { ok: false; reason: string };

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7f',
  blank: '\\t ',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** Characters JavaScript lets you escape with a backslash under the `u` flag (outside a class; `-` also inside). */
const JS_SYNTAX = new Set([...'^$\\.*+?()[]{}|/']);

const hex = (c: string): string => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

function escapeLiteral(text: string): string {
  let out = '';
  for (const c of text) out += /[A-Za-z0-9_ ]/.test(c) ? c : c.charCodeAt(0) < 0x80 ? hex(c) : c;
  return out;
}

const translations = new Map<string, Translation>();

/** Translate a Go pattern (memoised: CRDs repeat the same patterns hundreds of times). */
export function translateGoRegExp(pattern: string): Translation {
  let t = translations.get(pattern);
  if (t === undefined) {
    t = translate(pattern);
    translations.set(pattern, t);
  }
  return t;
}

function translate(pattern: string): Translation {
  const flags = new Set<string>();
  let out = '';
  let inClass = false;
  let i = 0;
  const n = pattern.length;
  while (i < n) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const d = pattern[i + 1];
      if (d === undefined) return { ok: false, reason: 'trailing backslash' };
      if (d === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const lit = end < 0 ? pattern.slice(i + 2) : pattern.slice(i + 2, end);
        out += escapeLiteral(lit);
        i = end < 0 ? n : end + 2;
        continue;
      }
      if (!inClass && d === 'z') {
        out += '$';
        i += 2;
        continue;
      }
      if (!inClass && d === 'A') {
        out += '^';
        i += 2;
        continue;
      }
      if (d === 'C') return { ok: false, reason: '\\C (any byte) has no JavaScript equivalent' };
      if (d === 'p' || d === 'P') {
        let name: string;
        let len: number;
        if (pattern[i + 2] === '{') {
          const close = pattern.indexOf('}', i + 3);
          if (close < 0) return { ok: false, reason: 'unterminated \\p{' };
          name = pattern.slice(i + 3, close);
          len = close + 1 - i;
        } else {
          name = pattern[i + 2] ?? '';
          len = 3;
        }
        const neg = name.startsWith('^');
        if (neg) name = name.slice(1);
        const upper = d === 'P' !== neg ? 'P' : 'p';
        // One or two letters is a general category (L, Lu); anything else is a script (Greek, Han).
        out += /^[A-Z][a-z]?$/.test(name) ? `\\${upper}{${name}}` : `\\${upper}{Script=${name}}`;
        flags.add('u');
        i += len;
        continue;
      }
      if (/[0-7]/.test(d) && d !== '0') {
        // Go reads \1..\7 as octal escapes (RE2 has no backreferences).
        const m = /^[0-7]{1,3}/.exec(pattern.slice(i + 1)) as RegExpExecArray;
        out += `\\x${parseInt(m[0], 8).toString(16).padStart(2, '0')}`;
        i += 1 + m[0].length;
        continue;
      }
      if (/[A-Za-z0-9]/.test(d)) {
        out += `\\${d}`;
      } else if (JS_SYNTAX.has(d) || (inClass && d === '-')) {
        out += `\\${d}`;
      } else {
        // Go allows escaping any punctuation; JavaScript's `u` mode does not.
        out += d.charCodeAt(0) < 0x80 ? hex(d) : d;
      }
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === '[' && pattern[i + 1] === ':') {
        const close = pattern.indexOf(':]', i + 2);
        if (close < 0) return { ok: false, reason: 'unterminated POSIX class' };
        const name = pattern.slice(i + 2, close);
        if (name.startsWith('^')) return { ok: false, reason: `negated POSIX class [:${name}:]` };
        const expansion = POSIX[name];
        if (expansion === undefined) return { ok: false, reason: `unknown POSIX class [:${name}:]` };
        out += expansion;
        i = close + 2;
        continue;
      }
      if (c === '[') {
        out += '\\[';
        i++;
        continue;
      }
      if (c === ']') inClass = false;
      out += c;
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      i++;
      // A leading `]` (or `^]`) is a literal in Go.
      if (pattern[i] === '^') {
        out += '^';
        i++;
      }
      if (pattern[i] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      if (pattern[i + 2] === 'P' && pattern[i + 3] === '<') {
        out += '(?<';
        i += 4;
        continue;
      }
      if (pattern[i + 2] === '<' || pattern[i + 2] === ':') {
        out += pattern.slice(i, i + 3);
        i += 3;
        continue;
      }
      const m = /^\(\?([imsU]*)(?:-([imsU]*))?([:)])/.exec(pattern.slice(i));
      if (!m) return { ok: false, reason: `unsupported group syntax at offset ${i}` };
      const on = m[1] ?? '';
      if (on.includes('U')) return { ok: false, reason: 'the U (ungreedy) flag has no JavaScript equivalent' };
      // Widening a flag to the whole pattern only ever accepts more strings; turning a flag off is ignored.
      for (const f of on) flags.add(f);
      out += m[3] === ':' ? '(?:' : '';
      i += m[0].length;
      continue;
    }
    out += c;
    i++;
  }
  if (inClass) return { ok: false, reason: 'missing closing ]' };
  const tryFlags = (f: string): boolean => {
    try {
      new RegExp(out, f);
      return true;
    } catch {
      return false;
    }
  };
  const base = [...flags].filter((f) => f !== 'u').sort().join('');
  if (tryFlags(`${base}u`)) return { ok: true, source: out, flags: `${base}u` };
  if (!flags.has('u') && tryFlags(base)) return { ok: true, source: out, flags: base };
  try {
    new RegExp(out, `${base}u`);
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
  return { ok: false, reason: 'does not compile' };
}

const ACCEPT_ALL = { test: (): boolean => true, toString: (): string => '/(?:)/unchecked' };
const cache = new Map<string, { test(s: string): boolean }>();

/** ajv `code.regExp` engine: Go pattern in, RegExp-like out; untranslatable patterns accept everything. */
export function goRegExp(pattern: string, _flags?: string): { test(s: string): boolean } {
  let rx = cache.get(pattern);
  if (rx === undefined) {
    const t = translateGoRegExp(pattern);
    rx = t.ok ? new RegExp(t.source, t.flags) : ACCEPT_ALL;
    cache.set(pattern, rx);
  }
  return rx;
}
goRegExp.code = 'require("kubeplan:regexp").goRegExp';
