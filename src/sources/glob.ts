// A small glob matcher for the patterns users quote on the command line (`'manifests/**/*.yaml'`).
// Supported: `*` and `?` (never across `/`), `**` as a whole segment (any number of directories), `[abc]`, `[!a-z]`,
// `{a,b}` (expanded first, may nest and span `/`), and `\` to escape. As in shells and picomatch, wildcards do not
// match a leading `.` in a name: `*.yaml` skips `.hidden.yaml` and `**` skips `.github/`; write the dot to match it.

const MAGIC = /[*?[{]/;

/** Whether `p` is a pattern rather than a plain path. */
export function hasGlobMagic(p: string): boolean {
  return MAGIC.test(p.replace(/\\./g, ''));
}

/** Brace expansion, as a shell does it before matching: `a/{b,c/d}.yaml` → `a/b.yaml`, `a/c/d.yaml`. */
export function expandBraces(pattern: string, limit = 1024): string[] {
  const open = findBraceOpen(pattern);
  if (open === -1) return [pattern];
  const close = findBraceClose(pattern, open);
  if (close === -1) return [pattern];
  const alternatives = splitTopLevelCommas(pattern.slice(open + 1, close));
  if (alternatives.length < 2) {
    // `{x}` is literal text; keep looking after it.
    const rest = expandBraces(pattern.slice(close + 1), limit);
    return rest.map((r) => pattern.slice(0, close + 1) + r);
  }
  const head = pattern.slice(0, open);
  const tail = pattern.slice(close + 1);
  const out: string[] = [];
  for (const alt of alternatives) {
    for (const expanded of expandBraces(head + alt + tail, limit)) {
      out.push(expanded);
      if (out.length > limit) throw new Error(`pattern ${pattern} expands to more than ${limit} alternatives`);
    }
  }
  return out;
}

function findBraceOpen(p: string): number {
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '\\') i++;
    else if (p[i] === '{') return i;
  }
  return -1;
}

function findBraceClose(p: string, open: number): number {
  let depth = 0;
  for (let i = open; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

function splitTopLevelCommas(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}

const SEGMENT = '(?!\\.)[^/]+';

/** A RegExp matching whole POSIX paths against one brace-free pattern. */
function patternToRegExpSource(pattern: string): string {
  const segments = pattern.split('/');
  let out = '';
  let needSlash = false;
  segments.forEach((seg, i) => {
    const last = i === segments.length - 1;
    if (seg === '**') {
      if (i === 0 && last) out += `${SEGMENT}(?:/${SEGMENT})*`;
      else if (i === 0) out += `(?:${SEGMENT}/)*`;
      else out += `(?:/${SEGMENT})*`;
      needSlash = i !== 0;
      return;
    }
    if (needSlash) out += '/';
    out += segmentToRegExpSource(seg);
    needSlash = true;
  });
  return out;
}

function segmentToRegExpSource(seg: string): string {
  let out = '';
  // A leading wildcard must not match a dot: `*.yaml` is not `.x.yaml`.
  if (/^(?:[*?]|\[)/.test(seg)) out += '(?!\\.)';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '\\' && i + 1 < seg.length) {
      out += escapeRegExp(seg[++i]!);
    } else if (c === '*') {
      while (seg[i + 1] === '*') i++;
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const end = classEnd(seg, i);
      if (end === -1) {
        out += '\\[';
        continue;
      }
      let body = seg.slice(i + 1, end);
      let negate = false;
      if (body.startsWith('!') || body.startsWith('^')) {
        negate = true;
        body = body.slice(1);
      }
      out += `(?!/)[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, (m) => `\\${m}`)}]`;
      i = end;
    } else {
      out += escapeRegExp(c);
    }
  }
  return out;
}

/** Index of the `]` closing a class opened at `open`, or -1 (then `[` is literal). A `]` right after `[` or `[!` is literal. */
function classEnd(seg: string, open: number): number {
  let i = open + 1;
  if (seg[i] === '!' || seg[i] === '^') i++;
  if (seg[i] === ']') i++;
  for (; i < seg.length; i++) if (seg[i] === ']') return i;
  return -1;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compile a glob (braces allowed) into a RegExp over whole POSIX paths. */
export function globToRegExp(pattern: string): RegExp {
  const sources = expandBraces(pattern).map(patternToRegExpSource);
  return new RegExp(`^(?:${sources.join('|')})$`);
}

/** The longest leading directory of a brace-free pattern that has no wildcard: where a walk must start. */
export function globBase(pattern: string): string {
  const segments = pattern.split('/');
  const literal: string[] = [];
  for (const seg of segments.slice(0, -1)) {
    if (hasGlobMagic(seg) || seg.includes('\\')) break;
    literal.push(seg);
  }
  if (literal.length === 0) return pattern.startsWith('/') ? '/' : '.';
  const base = literal.join('/');
  return base === '' ? '/' : base;
}

/** Whether the part of the pattern below its base names a dot-file or dot-directory explicitly (`.github/**`). */
export function globWantsHidden(pattern: string): boolean {
  return pattern.split('/').some((seg) => seg.startsWith('.') && seg !== '.' && seg !== '..');
}
