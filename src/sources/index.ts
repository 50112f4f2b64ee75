// Loading manifests: the shared front of every command. Paths, stdin and git sources all end as sorted SourceFiles;
// loadManifests parses them in that order.

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
