import type { Finding, Manifest, SourceFile } from '../core/types.ts';

/** Where manifests come from. Relative `paths` are relative to `cwd` (paths) or to `repo` (git specs). */
export type SourceSpec =
  /** Files, directories (recursive), quoted globs and `-` for stdin. */
  | { kind: 'paths'; paths: string[]; cwd: string }
  /** The working tree as git sees it: tracked files plus untracked files that are not ignored, read from disk. */
  | { kind: 'git-worktree'; repo: string; paths?: string[] }
  /** The staged index (what a commit would contain). The whole index is loaded; only staged files are reported on. */
  | { kind: 'git-staged'; repo: string; paths?: string[] }
  /** The tree at a revision. */
  | { kind: 'git-ref'; repo: string; ref: string; paths?: string[] }
  /** The working tree; only files changed in BASE...HEAD or not yet committed are reported on. */
  | { kind: 'git-changed-since'; repo: string; base: string; paths?: string[] };

export type LoadResult =
  | {
      ok: true;
      /** Sorted by path (code-unit order), one entry per file. */
      files: SourceFile[];
      /**
       * Display paths whose findings are reported; null means every file. In changed-only modes (git-staged,
       * git-changed-since) `files` is the whole tree, loaded as context for cross-object rules, and this is the set of
       * changed files (that also match `paths`): added, modified, renamed (new name) or type-changed; deleted files
       * have nothing to report on. It may name a changed file that is not in `files` because it could not be loaded
       * (unreadable, too large, a merge conflict): its load finding must still be reported.
       */
      reportOn: Set<string> | null;
      /** Findings about files that could not be read (unreadable, too large, merge conflicts), in file order. */
      findings: Finding[];
    }
  /** A usage or configuration error (a missing path, a bad ref, not a git repository): the CLI exits 2 with this message. */
  | { ok: false; error: string };

export type LoadManifestsResult =
  | {
      ok: true;
      files: SourceFile[];
      /** Every object from every loaded file, in file order then document order. */
      manifests: Manifest[];
      /** Load and parse findings for all files; filter with `reportOn` before reporting. */
      findings: Finding[];
      reportOn: Set<string> | null;
    }
  | { ok: false; error: string };
