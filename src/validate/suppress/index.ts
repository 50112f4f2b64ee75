// Suppressions: inline annotations, baselines, and changed-only reporting.
export { IGNORE_ANNOTATION, parseIgnoreAnnotation, reasonFor, type IgnoreClause, type ParsedIgnore } from './annotation.ts';
export { applyInlineSuppressions, ignoreSites, type IgnoreSite } from './inline.ts';
export {
  applyBaseline,
  BASELINE_VERSION,
  createBaseline,
  fingerprint,
  normalizeMessage,
  parseBaseline,
  readBaseline,
  serializeBaseline,
  staleBaselineEntries,
  writeBaseline,
  type Baseline,
  type BaselineEntry,
  type ReadBaselineResult,
} from './baseline.ts';
export { filterToReportedFiles } from './report-on.ts';
