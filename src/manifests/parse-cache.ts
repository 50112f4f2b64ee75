// Parsed files by git blob id, kept between runs: a pre-commit hook loads the whole index as context and, commit
// after commit, almost every blob is one it parsed before. A blob id names the exact bytes, so a cached parse is
// the parse; reading it back is one JSON.parse instead of YAML parsing every context file again (~5× less CPU on
// the pre-commit bench: 1,000 files, 3,000 objects).
//
// One file per repository under <cache>/parsed/, holding the entries of the blobs the last run used (so it never
// grows past the repository). It is keyed also by a digest of this directory's code: a changed parser never reads
// what an older one wrote. Only files that parsed without a finding are kept; the others are parsed every time.
// Any failure to read or write the cache costs time, never findings.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageModule } from '../core/package-root.ts';
import type { FileRecord } from './parse.ts';

/** A FileRecord without its path: the same blob may sit at several paths. */
export type CachedParse = Omit<FileRecord, 'path'>;

export interface ParseCache {
  get(oid: string): CachedParse | undefined;
  put(oid: string, parse: CachedParse): void;
  /** Write what this run used (hits and new entries) when anything changed; best effort. */
  save(): void;
  readonly stats: { hits: number; misses: number };
}

const FORMAT = 'kubeplan-parse-cache/1';
/** Repositories kept: a new one's file replaces the least recently written (temporary clones come and go). */
export const MAX_REPOSITORIES = 32;

let codeDigestMemo: string | undefined;
/** sha256 over the parser's own code (src/manifests, or its build): cache entries of other parser code are never read. */
function codeDigest(): string {
  if (codeDigestMemo !== undefined) return codeDigestMemo;
  const hash = createHash('sha256').update(FORMAT);
  const dir = dirname(packageModule('manifests/parse'));
  for (const name of readdirSync(dir).sort()) {
    if (!/\.(ts|js)$/.test(name) || /\.test\./.test(name)) continue;
    hash.update(name).update(readFileSync(join(dir, name)));
  }
  codeDigestMemo = hash.digest('hex');
  return codeDigestMemo;
}

/** Whether JSON keeps this value exactly (no NaN, ±Infinity or -0, no "__proto__" key). */
function jsonExact(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every(jsonExact);
  for (const [k, v] of Object.entries(value)) if (k === '__proto__' || !jsonExact(v)) return false;
  return true;
}

/**
 * The cache of one repository (`key`: its absolute root) under `cacheDir`. The file is a header line, then one line
 * per blob: `<oid> <JSON>`; entries are kept as text and parsed only when asked for, so objects handed out (which
 * later stages may hold on to) are never what gets written back.
 */
export function openParseCache(cacheDir: string, key: string): ParseCache {
  const dir = join(cacheDir, 'parsed');
  const file = join(dir, `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.jsonl`);
  const header = `${FORMAT} ${codeDigest()}`;
  const stored = new Map<string, string>();
  let existed = false;
  try {
    const lines = readFileSync(file, 'utf8').split('\n');
    existed = true;
    if (lines[0] === header) {
      for (let i = 1; i < lines.length; i++) {
        const line = lines[i] as string;
        const space = line.indexOf(' ');
        if (space > 0) stored.set(line.slice(0, space), line.slice(space + 1));
      }
    }
  } catch {
    // No cache yet, or an unreadable one: parse everything.
  }
  const used = new Map<string, string>();
  let added = 0;
  const stats = { hits: 0, misses: 0 };
  return {
    stats,
    get(oid) {
      const text = stored.get(oid);
      let hit: CachedParse | undefined;
      if (text !== undefined) {
        try {
          const value = JSON.parse(text) as CachedParse;
          if (Array.isArray(value.manifests)) hit = value;
        } catch {
          // A damaged line: parse the file.
        }
      }
      if (hit === undefined) {
        stats.misses++;
        return undefined;
      }
      stats.hits++;
      used.set(oid, text as string);
      return hit;
    },
    put(oid, parse) {
      if (/\s/.test(oid) || !jsonExact(parse)) return;
      used.set(oid, JSON.stringify(parse));
      added++;
    },
    save() {
      // Entries this run did not use are dropped: files deleted from the repository leave the cache with them.
      if (added === 0 && used.size === stored.size) return;
      try {
        mkdirSync(dir, { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        let out = `${header}\n`;
        for (const [oid, text] of used) out += `${oid} ${text}\n`;
        writeFileSync(tmp, out);
        renameSync(tmp, file);
        if (!existed) prune(dir, file);
      } catch {
        // A read-only or full cache directory only costs speed.
      }
    },
  };
}

/** Keep the MAX_REPOSITORIES most recently written cache files, `current` (just written) among them. */
function prune(dir: string, current: string): void {
  const files = readdirSync(dir)
    .filter((n) => n.endsWith('.jsonl') && join(dir, n) !== current)
    .map((n) => ({ path: join(dir, n), mtime: statSync(join(dir, n)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const f of files.slice(MAX_REPOSITORIES - 1)) unlinkSync(f.path);
}
