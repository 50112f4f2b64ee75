// Loading from the file system: files, directories, quoted globs and `-` for stdin.
// Regular files are read synchronously: for thousands of small files that is faster than the thread pool, and the
// CLI has nothing else to do meanwhile. Pipes (`<(helm template …)`, stdin) are streamed with the size limit.

import { closeSync, createReadStream, type Dirent, fstatSync, lstatSync, openSync, readdirSync, readFileSync, realpathSync, type Stats, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileFinding } from '../core/findings.ts';
import type { Finding, SourceFile } from '../core/types.ts';
import { PARSE_RULES, tooLargeFinding } from '../manifests/parse.ts';
import { comparePaths, displayPath, isManifestName, type LoadOptions, maxBytesOf, SKIPPED_DIRECTORIES, toPosix, unreadableFinding } from './common.ts';
import { expandBraces, globBase, globToRegExp, globWantsHidden, hasGlobMagic } from './glob.ts';
import type { LoadResult } from './types.ts';

export const STDIN_PATH = '-';

export interface Entry {
  abs: string;
  display: string;
}

export async function loadPaths(paths: readonly string[], cwdInput: string, options: LoadOptions = {}): Promise<LoadResult> {
  const maxBytes = maxBytesOf(options);
  const cwd = resolve(cwdInput);
  const findings: Finding[] = [];
  const missing: string[] = [];
  const entries = new Map<string, Entry>();
  let wantStdin = false;
  const add = (abs: string): void => {
    if (!entries.has(abs)) entries.set(abs, { abs, display: displayPath(abs, cwd) });
  };

  for (const input of paths) {
    if (input === STDIN_PATH) {
      wantStdin = true;
      continue;
    }
    const abs = resolve(cwd, input);
    let st: Stats | undefined;
    try {
      st = statSync(abs);
    } catch (err) {
      if (isMissing(err)) {
        const link = lstatOrNull(abs);
        if (link?.isSymbolicLink()) {
          findings.push(unreadableFinding(displayPath(abs, cwd), err));
        } else if (hasGlobMagic(input)) {
          let matched: string[];
          try {
            matched = expandGlob(input, cwd, findings);
          } catch (e) {
            return { ok: false, error: e instanceof Error ? e.message : String(e) };
          }
          if (matched.length === 0) missing.push(`no files match ${input}`);
          matched.forEach(add);
        } else {
          missing.push(`path not found: ${input}`);
        }
      } else {
        findings.push(unreadableFinding(displayPath(abs, cwd), err));
      }
      continue;
    }
    if (st.isDirectory()) {
      walk(abs, (_full, name) => isManifestName(name), { pruneHidden: true, maxDepth: Infinity }, cwd, findings).forEach(add);
    } else {
      add(abs);
    }
  }
  if (missing.length > 0) return { ok: false, error: missing.join('; ') };

  const sorted = [...entries.values()].sort((a, b) => comparePaths(a.display, b.display));
  const files: SourceFile[] = [];
  for (const entry of sorted) {
    const read = await readEntry(entry, maxBytes);
    if ('bytes' in read) files.push({ path: entry.display, bytes: read.bytes });
    else findings.push(read.finding);
  }
  if (wantStdin) {
    const read = await readStream(options.stdin ?? process.stdin, maxBytes);
    if ('bytes' in read) files.push({ path: STDIN_PATH, bytes: read.bytes });
    else findings.push(stdinTooLarge(maxBytes));
  }
  files.sort((a, b) => comparePaths(a.path, b.path));
  return { ok: true, files, reportOn: null, findings };
}

function isMissing(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function lstatOrNull(p: string): Stats | null {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}

/** Files matching a glob, as absolute paths. Wildcards skip dot-names; `.git` and `node_modules` are never walked. */
function expandGlob(input: string, cwd: string, findings: Finding[]): string[] {
  const out = new Set<string>();
  for (const alternative of expandBraces(toPosix(input))) {
    const absPattern = toPosix(resolve(cwd, alternative));
    // resolve() normalises `./` and `..` but leaves wildcards alone; the pattern is now an absolute POSIX path.
    const regex = globToRegExp(absPattern);
    const base = globBase(absPattern);
    const below = absPattern.slice(base.length).replace(/^\//, '');
    const maxDepth = below.split('/').includes('**') ? Infinity : below.split('/').length;
    try {
      if (!statSync(base).isDirectory()) continue;
    } catch {
      continue;
    }
    const accept = (full: string): boolean => regex.test(toPosix(full));
    for (const f of walk(base, accept, { pruneHidden: !globWantsHidden(below), maxDepth }, cwd, findings)) out.add(f);
  }
  return [...out];
}

interface WalkOptions {
  pruneHidden: boolean;
  maxDepth: number;
}

/**
 * Regular files under `root` (following symbolic links, each real directory visited once so link loops end) that
 * `accept` takes. `.git` and `node_modules` are skipped, and with pruneHidden every dot-name below the root.
 * Real paths are tracked without a stat per directory: a plain subdirectory's real path is its parent's plus its
 * name; only symbolic links are resolved.
 */
function walk(root: string, accept: (full: string, name: string) => boolean, opts: WalkOptions, cwd: string, findings: Finding[]): string[] {
  const out: string[] = [];
  const visited = new Set<string>();
  const visit = (dir: string, real: string, depth: number): void => {
    if (visited.has(real)) return;
    visited.add(real);
    let names: Dirent[];
    try {
      names = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      findings.push(unreadableFinding(displayPath(dir, cwd), err));
      return;
    }
    names.sort((a, b) => comparePaths(a.name, b.name));
    for (const e of names) {
      if (SKIPPED_DIRECTORIES.has(e.name) || (opts.pruneHidden && e.name.startsWith('.'))) continue;
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (depth + 1 < opts.maxDepth) visit(full, join(real, e.name), depth + 1);
      } else if (e.isSymbolicLink()) {
        let target: Stats;
        let targetReal: string;
        try {
          target = statSync(full);
          targetReal = realpathSync(full);
        } catch (err) {
          // A broken link that looks like a manifest is worth telling about; anything else is noise.
          if (accept(full, e.name)) findings.push(unreadableFinding(displayPath(full, cwd), err));
          continue;
        }
        if (target.isDirectory()) {
          if (depth + 1 < opts.maxDepth) visit(full, targetReal, depth + 1);
        } else if (target.isFile() && accept(full, e.name)) {
          out.push(full);
        }
      } else if (e.isFile() && accept(full, e.name)) {
        out.push(full);
      }
    }
  };
  let rootReal: string;
  try {
    rootReal = realpathSync(root);
  } catch (err) {
    findings.push(unreadableFinding(displayPath(root, cwd), err));
    return out;
  }
  visit(root, rootReal, 0);
  return out;
}

export type ReadOutcome = { bytes: Uint8Array } | { finding: Finding; missing?: boolean };

/** Read one file (a pipe or device is streamed); `missing` is set when no file is there (deleted, or a directory such as a submodule). */
export async function readEntry(entry: Entry, maxBytes: number): Promise<ReadOutcome> {
  let fd: number;
  try {
    fd = openSync(entry.abs, 'r');
  } catch (err) {
    return isMissing(err) ? { finding: unreadableFinding(entry.display, err), missing: true } : { finding: unreadableFinding(entry.display, err) };
  }
  let special = false;
  try {
    const st = fstatSync(fd);
    if (st.isFile()) {
      if (st.size > maxBytes) return { finding: tooLargeFinding(entry.display, st.size, maxBytes) };
      const bytes = readFileSync(fd);
      // The file may have grown since fstat.
      if (bytes.byteLength > maxBytes) return { finding: tooLargeFinding(entry.display, bytes.byteLength, maxBytes) };
      return { bytes };
    }
    if (st.isDirectory()) return { finding: unreadableFinding(entry.display, Object.assign(new Error('is a directory'), { code: 'EISDIR' })), missing: true };
    special = true;
  } catch (err) {
    return { finding: unreadableFinding(entry.display, err) };
  } finally {
    if (!special) closeSync(fd);
  }
  // A pipe or a device named explicitly, e.g. `kubeplan validate <(helm template chart)`: stream it with the limit.
  try {
    const stream = createReadStream('', { fd, autoClose: true });
    const read = await readStream(stream, maxBytes);
    if ('bytes' in read) return read;
    return { finding: fileFinding(entry.display, 1, 1, PARSE_RULES.tooLarge, `${entry.display} is over the ${formatLimit(maxBytes)} limit for one manifest file`) };
  } catch (err) {
    return { finding: unreadableFinding(entry.display, err) };
  }
}

/** Read a stream to its end, or stop as soon as it passes `maxBytes`. */
export async function readStream(stream: NodeJS.ReadableStream, maxBytes: number): Promise<{ bytes: Uint8Array } | { tooLarge: true }> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early destroys the stream, so a huge or endless input is not read on.
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buf.byteLength;
    if (size > maxBytes) return { tooLarge: true };
    chunks.push(buf);
  }
  return { bytes: Buffer.concat(chunks, size) };
}

function stdinTooLarge(maxBytes: number): Finding {
  return fileFinding(STDIN_PATH, 1, 1, PARSE_RULES.tooLarge, `standard input is over the ${formatLimit(maxBytes)} limit for one manifest file`);
}

function formatLimit(n: number): string {
  // Same wording as parse.ts's size findings.
  return tooLargeFinding('', n, n).message.replace(/^file is (.*), over the .*$/, '$1');
}
