// Loading manifests: the shared front of every command. Paths, stdin and git sources all end as sorted SourceFiles;
// loadManifests parses them in that order.
//
// What each spec loads (`files`) and reports on (`reportOn`, null = everything loaded):
//   paths               the named files (any extension), directories (recursive: .yaml/.yml/.json, skipping .git,
//                       node_modules and dot-names), quoted globs, `-` for stdin; display paths relative to cwd.
//   git-worktree        tracked + untracked-not-ignored manifest files, read from disk.       reportOn null
//   git-ref             the tree at REF (`git ls-tree -r`), read as blobs.                    reportOn null
//   git-staged          the whole index (stage 0), read as blobs, not from the working tree.
//                       reportOn: staged added/modified/renamed(new name)/type-changed files; deletions ignored;
//                       unresolved conflicts are reported as merge-conflict findings.
//   git-changed-since   the working tree as context. reportOn: files changed in BASE...HEAD (against the merge base,
//                       as a pull request shows them) plus everything not committed yet (staged, unstaged, untracked
//                       and not ignored), minus deletions. In CI on a clean checkout that is exactly the PR's files;
//                       locally it includes work in progress.
// In git specs, `paths` (relative to `repo`; files, directories or globs) restrict what is loaded for worktree/ref
// and what is reported for staged/changed-since, where the whole tree stays loaded as context for cross-object
// rules. Git display paths are relative to the repository root. A named file is taken whatever its extension.

import type { Finding, Manifest } from '../core/types.ts';
import { parseSource } from '../manifests/parse.ts';
import { type LoadOptions, maxBytesOf } from './common.ts';
import { loadPaths } from './fs.ts';
import type { LoadManifestsResult, LoadResult, SourceSpec } from './types.ts';

export { BlobReader, type BlobObject, type BlobReaderOptions } from './blob-reader.ts';
export { isManifestName, type LoadOptions, SOURCE_RULE_META, SOURCE_RULES } from './common.ts';
export { STDIN_PATH } from './fs.ts';
export type { LoadManifestsResult, LoadResult, SourceSpec } from './types.ts';

/**
 * Read the files a spec names. Never throws for user errors: a missing path, a bad ref or a directory that is not a
 * git repository come back as `{ ok: false, error }` (exit 2); unreadable or oversized files come back as findings.
 */
export async function loadSources(spec: SourceSpec, io: LoadOptions = {}): Promise<LoadResult> {
  if (spec.kind === 'paths') return loadPaths(spec.paths, spec.cwd, io);
  // simple-git is only imported for git sources.
  const { loadGit } = await import('./git.ts');
  return loadGit(spec, io);
}

/** loadSources, then parseSource on every file in order. Findings cover every file; report those in `reportOn` (null = all). */
export async function loadManifests(spec: SourceSpec, io: LoadOptions = {}): Promise<LoadManifestsResult> {
  const loaded = await loadSources(spec, io);
  if (!loaded.ok) return loaded;
  const maxBytes = maxBytesOf(io);
  const manifests: Manifest[] = [];
  const findings: Finding[] = [...loaded.findings];
  for (const file of loaded.files) {
    const parsed = parseSource(file, maxBytes);
    manifests.push(...parsed.manifests);
    findings.push(...parsed.findings);
  }
  return { ok: true, files: loaded.files, manifests, findings, reportOn: loaded.reportOn };
}
