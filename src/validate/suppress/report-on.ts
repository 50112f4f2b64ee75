import type { Finding } from '../../core/types.ts';

/**
 * Changed-only modes (--staged, --changed-since, pre-commit): the graph holds the whole repo so cross-file references
 * resolve, but only findings in the reported files are shown. `reportOn === null` reports everything. Findings with no
 * file (internal errors) are always kept.
 */
export function filterToReportedFiles(findings: readonly Finding[], reportOn: ReadonlySet<string> | null): Finding[] {
  if (reportOn === null) return [...findings];
  return findings.filter((f) => f.file === '' || reportOn.has(f.file));
}
