// Baselines: adopt kubeplan on an existing repo by accepting today's findings and failing only on new ones.
// Findings are keyed by a line-independent fingerprint, so edits elsewhere in a file don't resurrect them.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { groupOf } from '../../core/objects.ts';
import type { Finding } from '../../core/types.ts';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  fingerprint: string;
  /** The rest is for humans reading diffs of the baseline file; only fingerprint and count are used for matching. */
  rule: string;
  file: string;
  object?: string;
  message: string;
  /** How many findings share this fingerprint (e.g. the same problem twice in one object). */
  count: number;
}

export interface Baseline {
  version: typeof BASELINE_VERSION;
  entries: BaselineEntry[];
  /** The file it was read from, for the suppression justification. */
  source?: string;
}

export type ReadBaselineResult = { ok: true; baseline: Baseline } | { ok: false; error: string };

/** Drop positions from messages that quote them ("first at a.yaml:12"), so the fingerprint survives line moves. */
export function normalizeMessage(message: string): string {
  return message
    .replace(/(\.(?:ya?ml|json)):\d+(?::\d+)?/gi, '$1')
    .replace(/\bline \d+(?:, column \d+)?/gi, 'line')
    .replace(/\s+/g, ' ')
    .trim();
}

function objectKey(f: Finding): string {
  const o = f.object;
  return o === null ? '' : `${groupOf(o.apiVersion)}/${o.kind}/${o.namespace ?? ''}/${o.name}`;
}

/**
 * Line-independent identity of a finding: rule + file + object (API group, kind, namespace, name — not the version)
 * + the message without positions. sha256, hex, 32 characters.
 */
export function fingerprint(f: Finding): string {
  return createHash('sha256')
    .update(JSON.stringify(['kubeplan-finding/v1', f.rule, f.file, objectKey(f), normalizeMessage(f.message)]))
    .digest('hex')
    .slice(0, 32);
}

function describeObject(f: Finding): string | undefined {
  const o = f.object;
  return o === null ? undefined : `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

/** A baseline of the given findings, leaving out inline-suppressed ones (the annotation already accepts them). */
export function createBaseline(findings: readonly Finding[]): Baseline {
  const byFp = new Map<string, BaselineEntry>();
  for (const f of findings) {
    if (f.suppressed?.kind === 'inline') continue;
    const fp = fingerprint(f);
    const prev = byFp.get(fp);
    if (prev) {
      prev.count++;
      continue;
    }
    const obj = describeObject(f);
    byFp.set(fp, { fingerprint: fp, rule: f.rule, file: f.file, ...(obj !== undefined ? { object: obj } : {}), message: normalizeMessage(f.message), count: 1 });
  }
  const entries = [...byFp.values()].sort((a, b) => cmp(a.file, b.file) || cmp(a.rule, b.rule) || cmp(a.object ?? '', b.object ?? '') || cmp(a.message, b.message) || cmp(a.fingerprint, b.fingerprint));
  return { version: BASELINE_VERSION, entries };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function serializeBaseline(b: Baseline): string {
  const out = {
    version: b.version,
    description: 'kubeplan baseline: findings accepted when this file was written; `kubeplan validate --baseline <file>` marks them suppressed. Regenerate with --update-baseline.',
    entries: b.entries,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

export function parseBaseline(text: string, source?: string): ReadBaselineResult {
  const where = source ?? 'baseline';
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `${where}: not valid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, error: `${where}: expected a JSON object with "version" and "entries"` };
  const d = data as Record<string, unknown>;
  if (d.version !== BASELINE_VERSION) return { ok: false, error: `${where}: unsupported baseline version ${JSON.stringify(d.version)} (this kubeplan reads version ${BASELINE_VERSION}); regenerate it with --update-baseline` };
  if (!Array.isArray(d.entries)) return { ok: false, error: `${where}: "entries" must be a list` };
  const entries: BaselineEntry[] = [];
  for (const [i, e] of d.entries.entries()) {
    if (typeof e !== 'object' || e === null || typeof (e as Record<string, unknown>).fingerprint !== 'string') return { ok: false, error: `${where}: entry ${i} has no "fingerprint"` };
    const r = e as Record<string, unknown>;
    const count = typeof r.count === 'number' && Number.isInteger(r.count) && r.count >= 1 ? r.count : 1;
    entries.push({
      fingerprint: r.fingerprint as string,
      rule: typeof r.rule === 'string' ? r.rule : '',
      file: typeof r.file === 'string' ? r.file : '',
      ...(typeof r.object === 'string' ? { object: r.object } : {}),
      message: typeof r.message === 'string' ? r.message : '',
      count,
    });
  }
  return { ok: true, baseline: { version: BASELINE_VERSION, entries, ...(source !== undefined ? { source } : {}) } };
}

export function readBaseline(path: string): ReadBaselineResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, error: code === 'ENOENT' ? `baseline file ${path} does not exist; create it with --update-baseline` : `cannot read baseline ${path}: ${(err as Error).message}` };
  }
  return parseBaseline(text, path);
}

export function writeBaseline(path: string, findings: readonly Finding[]): void {
  writeFileSync(path, serializeBaseline(createBaseline(findings)));
}

/** Mark findings the baseline accepts as `suppressed: {kind: 'baseline'}`; each entry absorbs at most `count` findings. Pure. */
export function applyBaseline(findings: readonly Finding[], baseline: Baseline): Finding[] {
  const remaining = new Map<string, number>();
  for (const e of baseline.entries) remaining.set(e.fingerprint, (remaining.get(e.fingerprint) ?? 0) + e.count);
  const justification = `accepted in baseline${baseline.source ? ` ${baseline.source}` : ''}`;
  return findings.map((f) => {
    if (f.suppressed) return f;
    const fp = fingerprint(f);
    const left = remaining.get(fp) ?? 0;
    if (left <= 0) return f;
    remaining.set(fp, left - 1);
    return { ...f, suppressed: { kind: 'baseline', justification } };
  });
}

/** Baseline entries no current finding matches any more: fixed findings, ready to be pruned with --update-baseline. */
export function staleBaselineEntries(findings: readonly Finding[], baseline: Baseline): BaselineEntry[] {
  const seen = new Map<string, number>();
  for (const f of findings) {
    if (f.suppressed?.kind === 'inline') continue;
    const fp = fingerprint(f);
    seen.set(fp, (seen.get(fp) ?? 0) + 1);
  }
  return baseline.entries.filter((e) => (seen.get(e.fingerprint) ?? 0) === 0);
}
