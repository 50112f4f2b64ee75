import { isAbsolute, relative, sep } from 'node:path';
import { fileFinding } from '../core/findings.ts';
import type { Finding, RuleMeta } from '../core/types.ts';
import { MAX_FILE_BYTES } from '../manifests/parse.ts';

/** Rule ids of the findings loaders produce (parse.ts owns yaml-syntax, file-encoding, file-too-large, not-an-object). */
export const SOURCE_RULES = {
  unreadable: 'file-unreadable',
  mergeConflict: 'merge-conflict',
} as const;

export const SOURCE_RULE_META: RuleMeta[] = [
  { id: SOURCE_RULES.unreadable, description: 'A manifest file could not be read (permissions, a broken symbolic link, an I/O error).', defaultSeverity: 'error', enabledByDefault: true },
  { id: SOURCE_RULES.mergeConflict, description: 'A staged file still has unresolved merge conflicts in the index.', defaultSeverity: 'error', enabledByDefault: true },
];

export interface LoadOptions {
  /** Where `-` reads from; process.stdin by default. */
  stdin?: NodeJS.ReadableStream;
  /** Files (and stdin, and blobs) larger than this are not read; they get a file-too-large finding. Default MAX_FILE_BYTES. */
  maxFileBytes?: number;
}

export function maxBytesOf(options: LoadOptions): number {
  return options.maxFileBytes ?? MAX_FILE_BYTES;
}

const MANIFEST_EXTENSION = /\.(?:ya?ml|json)$/i;

/** Files that directory walks and git listings pick up: `.yaml`, `.yml`, `.json`. Explicitly named files are read whatever their name. */
export function isManifestName(name: string): boolean {
  return MANIFEST_EXTENSION.test(name);
}

/** Directories never walked into: VCS metadata and dependency trees. */
export const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules']);

/**
 * Whether a walk or a listing skips this name. Besides `.git` and `node_modules`, names starting with a dot are skipped:
 * in a manifest repo they are tool configuration (`.github/workflows/*.yml`, `.pre-commit-config.yaml`, `.kubeplan.yaml`),
 * not Kubernetes objects. A path the user names explicitly (or a glob that spells the dot) is still read.
 */
export function isSkippedName(name: string): boolean {
  return SKIPPED_DIRECTORIES.has(name) || name.startsWith('.');
}

/** Whether any segment of a relative POSIX path is skipped. */
export function hasSkippedSegment(relPath: string): boolean {
  if (relPath === '') return false;
  return relPath.split('/').some(isSkippedName);
}

const SEP_CODE = sep.charCodeAt(0);

/** Display path: POSIX separators, relative to `base` (the cwd, or the repo root for git sources). */
export function displayPath(abs: string, base: string): string {
  // Fast path for the common case (a file under base); path.relative normalises both paths on every call.
  if (abs.startsWith(base) && abs.charCodeAt(base.length) === SEP_CODE && !abs.includes(`${sep}.`)) {
    const rest = abs.slice(base.length + 1);
    return sep === '/' ? rest : rest.split(sep).join('/');
  }
  const rel = relative(base, abs);
  if (rel === '') return '.';
  // On Windows a path on another drive has no relative form.
  const shown = isAbsolute(rel) ? abs : rel;
  return sep === '/' ? shown : shown.split(sep).join('/');
}

export function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

export function unreadableFinding(path: string, err: unknown): Finding {
  return fileFinding(path, 1, 1, SOURCE_RULES.unreadable, `cannot read ${path}: ${describeIoError(err)}`);
}

export function describeIoError(err: unknown): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'no such file (a broken symbolic link?)';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'EISDIR':
      return 'is a directory';
    case 'EIO':
      return 'I/O error';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

/** Code-unit order, the same order compareFindings uses for files. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Run `fn` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
