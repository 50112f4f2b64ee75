// Loading from git: the working tree, the staged index, a revision, or the working tree with "what changed" marked.
// Metadata comes from a handful of git commands through simple-git (ls-files, ls-tree, diff, status: one process
// each, whatever the repo size); blob contents come through one `git cat-file --batch` (BlobReader), never a process
// per file. Display paths are relative to the repository root.

import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, posix, relative } from 'node:path';
import type { SimpleGit } from 'simple-git';
import { fileFinding } from '../core/findings.ts';
import type { Finding, SourceFile } from '../core/types.ts';
import { tooLargeFinding } from '../manifests/parse.ts';
import { BlobReader } from './blob-reader.ts';
import { comparePaths, hasSkippedSegment, isManifestName, type LoadOptions, maxBytesOf, SOURCE_RULES, toPosix } from './common.ts';
import { readEntry } from './fs.ts';
import { globToRegExp, hasGlobMagic } from './glob.ts';
import type { LoadResult, SourceSpec } from './types.ts';

export type GitSpec = Exclude<SourceSpec, { kind: 'paths' }>;

class UsageError extends Error {}

export async function loadGit(spec: GitSpec, options: LoadOptions = {}): Promise<LoadResult> {
  try {
    const repo = await openRepo(spec.repo);
    const filter = makeFilter(spec.paths, repo);
    switch (spec.kind) {
      case 'git-worktree':
        return await loadWorktree(repo, filter, options);
      case 'git-staged':
        return await loadStaged(repo, filter, options);
      case 'git-ref':
        return await loadRef(repo, spec.ref, filter, options);
      case 'git-changed-since':
        return await loadChangedSince(repo, spec.base, filter, options);
    }
  } catch (err) {
    if (err instanceof UsageError) return { ok: false, error: err.message };
    throw err;
  }
}

// --- the repository -----------------------------------------------------------------------------------------------

interface Repo {
  /** simple-git running at the repository root, so every listing is root-relative and covers the whole tree. */
  git: SimpleGit;
  root: string;
  /** The directory the spec named, relative to the root ('' at the root); relative `paths` start there. */
  prefix: string;
}

async function client(dir: string): Promise<SimpleGit> {
  const { simpleGit } = await import('simple-git');
  return simpleGit({
    baseDir: dir,
    // simple-git treats a non-zero exit with an empty stderr (e.g. `rev-parse --verify --quiet`) as success.
    errors: (error, result) => {
      if (error) return error;
      if (result.exitCode !== 0) return Buffer.concat([...result.stdErr, Buffer.from(result.stdErr.length ? '' : `git exited with code ${result.exitCode}`)]);
      return undefined;
    },
  });
}

function gitMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const line = text.split('\n').find((l) => l.trim() !== '') ?? text;
  return line.replace(/^(fatal|error): /, '').trim();
}

async function openRepo(dir: string): Promise<Repo> {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new UsageError(`repository directory not found: ${dir}`);
  let out: string;
  try {
    out = await (await client(dir)).raw(['rev-parse', '--show-toplevel', '--show-prefix']);
  } catch (err) {
    const msg = gitMessage(err);
    if (/not a git repository/i.test(msg)) throw new UsageError(`not a git repository: ${dir}`);
    if (/ENOENT|spawn git/i.test(msg)) throw new UsageError(`cannot run git (is it installed and on PATH?): ${msg}`);
    throw new UsageError(`git: ${msg} (in ${dir})`);
  }
  const [root = '', prefix = ''] = out.split('\n');
  return { git: await client(root), root, prefix: prefix.replace(/\/$/, '') };
}

async function raw(repo: Repo, args: string[]): Promise<string> {
  try {
    return await repo.git.raw(args);
  } catch (err) {
    throw new UsageError(`git ${args[0]}: ${gitMessage(err)}`);
  }
}

/** A commit or tree id for a user-supplied revision, or a usage error naming it. */
async function resolveRev(repo: Repo, rev: string, peel: 'commit' | 'tree', what: string): Promise<string> {
  if (rev === '' || rev.startsWith('-') || /[\0\n]/.test(rev)) throw new UsageError(`invalid ${what}: ${JSON.stringify(rev)}`);
  try {
    const out = (await repo.git.raw(['rev-parse', '--verify', '--quiet', `${rev}^{${peel}}`])).trim();
    if (/^[0-9a-f]{40,64}$/.test(out)) return out;
  } catch {
    // fall through
  }
  throw new UsageError(`unknown ${what} '${rev}': no such ${peel === 'tree' ? 'commit or tree' : 'commit'} in ${repo.root}`);
}

/** `a\0b\0` → ['a', 'b']. */
function splitZ(out: string): string[] {
  const parts = out.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

// --- which paths ----------------------------------------------------------------------------------------------------

interface FilterEntry {
  raw: string;
  /** Root-relative POSIX path ('' = everything), or the pattern for globs. */
  rel: string;
  regex?: RegExp;
}

interface PathFilter {
  /** No paths given: everything. */
  all: boolean;
  entries: FilterEntry[];
}

function makeFilter(paths: readonly string[] | undefined, repo: Repo): PathFilter {
  if (paths === undefined || paths.length === 0) return { all: true, entries: [] };
  const entries = paths.map((p): FilterEntry => {
    const posixInput = toPosix(p);
    let rel: string;
    if (isAbsolute(p)) rel = toPosix(relative(repo.root, p));
    else rel = posix.normalize(posix.join(repo.prefix, posixInput));
    rel = rel.replace(/\/+$/, '');
    if (rel === '.' || rel === '') rel = '';
    if (rel === '..' || rel.startsWith('../') || isAbsolute(rel)) throw new UsageError(`${p} is outside the repository ${repo.root}`);
    return hasGlobMagic(posixInput) ? { raw: p, rel, regex: globToRegExp(rel) } : { raw: p, rel };
  });
  return { all: false, entries };
}

/** Whether a root-relative file is picked by one filter entry. A directory picks manifest files below it, skipping dot-names and node_modules under it. */
function entryPicks(e: FilterEntry, file: string): boolean {
  if (e.regex) return e.regex.test(file);
  if (e.rel === '') return isManifestName(file) && !hasSkippedSegment(file);
  if (file === e.rel) return true;
  if (!file.startsWith(`${e.rel}/`)) return false;
  return isManifestName(file) && !hasSkippedSegment(file.slice(e.rel.length + 1));
}

/** Files the filter picks (everything manifest-like when no paths were given). */
function picks(filter: PathFilter, file: string): boolean {
  if (filter.all) return isManifestName(file) && !hasSkippedSegment(file);
  return filter.entries.some((e) => entryPicks(e, file));
}

/** Whole-tree context plus whatever the user named explicitly (a non-manifest file named on the command line). */
function picksForContext(filter: PathFilter, file: string): boolean {
  return (isManifestName(file) && !hasSkippedSegment(file)) || (!filter.all && picks(filter, file));
}

/** Named paths that match nothing in the listing (existence on disk is checked by the caller where it applies). */
function unmatched(filter: PathFilter, listing: readonly string[]): FilterEntry[] {
  if (filter.all) return [];
  return filter.entries.filter((e) => {
    if (e.rel === '') return false;
    if (e.regex) return !listing.some((f) => e.regex!.test(f));
    return !listing.some((f) => f === e.rel || f.startsWith(`${e.rel}/`));
  });
}

function missingError(entries: FilterEntry[], where: string): UsageError {
  return new UsageError(entries.map((e) => (e.regex ? `no files match ${e.raw} ${where}` : `path not found ${where}: ${e.raw}`)).join('; '));
}

// --- the modes ------------------------------------------------------------------------------------------------------

/** Tracked files plus untracked files that are not ignored, root-relative, deduplicated (unmerged entries repeat). */
async function worktreeListing(repo: Repo): Promise<string[]> {
  return [...new Set(splitZ(await raw(repo, ['ls-files', '-z', '--cached', '--others', '--exclude-standard'])))];
}

interface Loaded {
  files: SourceFile[];
  findings: Finding[];
  /** Paths that turned out to have no file (deleted in the working tree, submodules). */
  absent: Set<string>;
}

async function readWorktreeFiles(repo: Repo, paths: string[], maxBytes: number): Promise<Loaded> {
  const out: Loaded = { files: [], findings: [], absent: new Set() };
  for (const path of [...paths].sort(comparePaths)) {
    const read = await readEntry({ abs: join(repo.root, path), display: path }, maxBytes);
    if ('bytes' in read) out.files.push({ path, bytes: read.bytes });
    else if (read.missing) out.absent.add(path);
    else out.findings.push(read.finding);
  }
  return out;
}

async function loadWorktree(repo: Repo, filter: PathFilter, options: LoadOptions): Promise<LoadResult> {
  const listing = await worktreeListing(repo);
  // A named directory may exist with nothing tracked in it (or only ignored files): that is not an error.
  const missing = unmatched(filter, listing).filter((e) => e.regex || !existsSync(join(repo.root, e.rel)));
  if (missing.length > 0) throw missingError(missing, 'in the working tree');
  const loaded = await readWorktreeFiles(
    repo,
    listing.filter((f) => picks(filter, f)),
    maxBytesOf(options),
  );
  return { ok: true, files: loaded.files, reportOn: null, findings: loaded.findings };
}

/** git modes for regular files; symbolic links (120000) and submodules (160000) have no manifest content. */
const REGULAR_FILE_MODES = new Set(['100644', '100755']);

interface BlobEntry {
  path: string;
  oid: string;
}

async function readBlobs(repo: Repo, entries: BlobEntry[], maxBytes: number): Promise<{ files: SourceFile[]; findings: Finding[] }> {
  const sorted = [...entries].sort((a, b) => comparePaths(a.path, b.path));
  const reader = new BlobReader(repo.root, { maxBytes });
  const files: SourceFile[] = [];
  const findings: Finding[] = [];
  try {
    const objects = await reader.readMany(sorted.map((e) => e.oid));
    sorted.forEach((e, i) => {
      const obj = objects[i];
      if (!obj || obj.type !== 'blob') findings.push(fileFinding(e.path, 1, 1, SOURCE_RULES.unreadable, `cannot read ${e.path}: git object ${e.oid} is missing`));
      else if (obj.bytes === null) findings.push(tooLargeFinding(e.path, obj.size, maxBytes));
      else files.push({ path: e.path, bytes: obj.bytes, oid: e.oid });
    });
  } finally {
    await reader.close();
  }
  return { files, findings };
}

/** `git diff --name-status -z --no-renames` → paths that exist after the change (added, modified, type-changed, unmerged). */
function changedPaths(out: string): { changed: Set<string>; unmerged: Set<string> } {
  const tokens = splitZ(out);
  const changed = new Set<string>();
  const unmerged = new Set<string>();
  for (let i = 0; i < tokens.length; ) {
    const status = tokens[i++] ?? '';
    const letter = status[0];
    if (letter === 'R' || letter === 'C') {
      // Only with rename detection on (we turn it off): old path, then new path.
      i++;
      const to = tokens[i++];
      if (to !== undefined) changed.add(to);
      continue;
    }
    const path = tokens[i++];
    if (path === undefined) break;
    if (letter === 'D') continue;
    if (letter === 'U') unmerged.add(path);
    changed.add(path);
  }
  return { changed, unmerged };
}

async function loadStaged(repo: Repo, filter: PathFilter, options: LoadOptions): Promise<LoadResult> {
  const [lsOut, diffOut] = await Promise.all([
    raw(repo, ['ls-files', '--stage', '-z']),
    // Before the first commit this compares with the empty tree, so every staged file counts as added.
    raw(repo, ['diff', '--cached', '--name-status', '-z', '--no-renames', '--ignore-submodules=all']),
  ]);
  const index = new Map<string, BlobEntry>();
  const conflicted = new Set<string>();
  const listing: string[] = [];
  for (const rec of splitZ(lsOut)) {
    // "<mode> <oid> <stage>\t<path>"
    const tab = rec.indexOf('\t');
    const [mode = '', oid = '', stage = ''] = rec.slice(0, tab).split(' ');
    const path = rec.slice(tab + 1);
    listing.push(path);
    if (stage !== '0') conflicted.add(path);
    else if (REGULAR_FILE_MODES.has(mode)) index.set(path, { path, oid });
  }
  const missing = unmatched(filter, listing);
  if (missing.length > 0) throw missingError(missing, 'in the index');

  const { changed } = changedPaths(diffOut);
  const context = [...index.values()].filter((e) => picksForContext(filter, e.path));
  const { files, findings } = await readBlobs(repo, context, maxBytesOf(options));
  const reportOn = new Set<string>();
  for (const e of context) if (changed.has(e.path) && picks(filter, e.path)) reportOn.add(e.path);
  for (const path of [...conflicted].sort(comparePaths)) {
    if (!picks(filter, path)) continue;
    reportOn.add(path);
    findings.push(fileFinding(path, 1, 1, SOURCE_RULES.mergeConflict, `${path} has unresolved merge conflicts in the index; resolve them and stage the result`));
  }
  return { ok: true, files, reportOn, findings };
}

async function loadRef(repo: Repo, ref: string, filter: PathFilter, options: LoadOptions): Promise<LoadResult> {
  const tree = await resolveRev(repo, ref, 'tree', 'revision');
  const entries: BlobEntry[] = [];
  const listing: string[] = [];
  for (const rec of splitZ(await raw(repo, ['ls-tree', '-r', '-z', '--full-tree', tree]))) {
    // "<mode> <type> <oid>\t<path>"
    const tab = rec.indexOf('\t');
    const [mode = '', type = '', oid = ''] = rec.slice(0, tab).split(' ');
    const path = rec.slice(tab + 1);
    listing.push(path);
    if (type === 'blob' && REGULAR_FILE_MODES.has(mode) && picks(filter, path)) entries.push({ path, oid });
  }
  const missing = unmatched(filter, listing);
  if (missing.length > 0) throw missingError(missing, `at ${ref}`);
  const { files, findings } = await readBlobs(repo, entries, maxBytesOf(options));
  return { ok: true, files, reportOn: null, findings };
}

/**
 * Context: the working tree. Reported: files changed on this branch since it left BASE (`git diff BASE...HEAD`,
 * i.e. against the merge base, as a pull request shows it) plus everything not committed yet (staged, unstaged and
 * untracked-but-not-ignored), so the same command works in CI on a clean checkout and locally mid-edit.
 */
async function loadChangedSince(repo: Repo, base: string, filter: PathFilter, options: LoadOptions): Promise<LoadResult> {
  const baseOid = await resolveRev(repo, base, 'commit', 'base revision');
  let head: string;
  try {
    head = await resolveRev(repo, 'HEAD', 'commit', 'HEAD');
  } catch {
    throw new UsageError(`HEAD has no commits yet in ${repo.root}; --changed-since needs a commit to compare with ${base}`);
  }
  let committedOut: string;
  try {
    committedOut = await repo.git.raw(['diff', '--name-status', '-z', '--no-renames', '--ignore-submodules=all', `${baseOid}...${head}`]);
  } catch (err) {
    const msg = gitMessage(err);
    if (/no merge base/i.test(msg)) throw new UsageError(`${base} and HEAD have no common ancestor (a shallow clone? fetch more history, e.g. git fetch --unshallow)`);
    throw new UsageError(`git diff: ${msg}`);
  }
  const [listing, statusOut] = await Promise.all([
    worktreeListing(repo),
    // --branch adds a "## …" header: never empty output, which simple-git would answer only 50 ms after git exits.
    raw(repo, ['status', '--porcelain=v1', '--branch', '-z', '--untracked-files=all', '--no-renames', '--ignore-submodules=all']),
  ]);
  const missing = unmatched(filter, listing).filter((e) => e.regex || !existsSync(join(repo.root, e.rel)));
  if (missing.length > 0) throw missingError(missing, 'in the working tree');

  const changed = changedPaths(committedOut).changed;
  for (const rec of splitZ(statusOut)) {
    if (rec.startsWith('## ')) continue; // the branch header
    // "XY path"; with rename detection off there is no second path. A deletion has no file to report on.
    const xy = rec.slice(0, 2);
    if (xy.includes('D') && !xy.includes('?')) continue;
    changed.add(rec.slice(3));
  }
  const context = listing.filter((f) => picksForContext(filter, f));
  const loaded = await readWorktreeFiles(repo, context, maxBytesOf(options));
  const reportOn = new Set<string>();
  for (const f of context) if (changed.has(f) && !loaded.absent.has(f) && picks(filter, f)) reportOn.add(f);
  return { ok: true, files: loaded.files, reportOn, findings: loaded.findings };
}
