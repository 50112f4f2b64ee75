// Inline suppressions: the kubeplan.dev/ignore annotation on an object or on its pod template marks that object's
// findings as suppressed (kept, not dropped: reporters show them as suppressions, SARIF as `suppressions[]`).
import { getObject, getString, isObject, objectRefOf, valueAt } from '../../core/objects.ts';
import type { Finding, JsonPath, Manifest, ObjectRef } from '../../core/types.ts';
import type { ResourceGraph } from '../../graph/index.ts';
import { IGNORE_ANNOTATION, parseIgnoreAnnotation, reasonFor, type IgnoreClause } from './annotation.ts';

/** Where pod templates of built-in workloads keep their metadata (used when no graph is given). */
const TEMPLATE_PATHS: readonly JsonPath[] = [
  ['spec', 'template'],
  ['spec', 'jobTemplate', 'spec', 'template'],
];

export interface IgnoreSite {
  /** Path of the annotation inside the manifest. */
  path: JsonPath;
  value: string;
}

/** Every kubeplan.dev/ignore annotation of a manifest: on the object, and on its pod template(s). */
export function ignoreSites(manifest: Manifest, graph?: ResourceGraph): IgnoreSite[] {
  const sites: IgnoreSite[] = [];
  const at = (base: JsonPath): void => {
    const meta = base.length === 0 ? getObject(manifest.object, 'metadata') : valueAt(manifest.object, [...base, 'metadata']);
    if (!isObject(meta)) return;
    const value = getString(getObject(meta, 'annotations'), IGNORE_ANNOTATION);
    if (value !== undefined) sites.push({ path: [...base, 'metadata', 'annotations', IGNORE_ANNOTATION], value });
  };
  at([]);
  const node = graph?.nodeOf(manifest);
  const templatePaths = node ? graph?.podTemplatesOf(node).map((t) => t.path).filter((p) => p.length > 0) ?? [] : TEMPLATE_PATHS;
  for (const p of templatePaths) at(p);
  return sites;
}

function clausesOf(manifest: Manifest, graph?: ResourceGraph): IgnoreClause[] {
  return ignoreSites(manifest, graph).flatMap((s) => parseIgnoreAnnotation(s.value).clauses);
}

function sameRef(a: ObjectRef, b: ObjectRef | null): boolean {
  return b !== null && a.apiVersion === b.apiVersion && a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');
}

/** The manifest a finding is about: same file and identity; among duplicates, the one starting last before the finding. */
function manifestFor(f: Finding, byFile: ReadonlyMap<string, readonly Manifest[]>): Manifest | undefined {
  if (f.object === null) return undefined;
  const ref = f.object;
  const candidates = (byFile.get(f.file) ?? []).filter((m) => sameRef(ref, objectRefOf(m.object)));
  let best: Manifest | undefined;
  for (const m of candidates) {
    if (m.position.line <= f.line && (!best || m.position.line >= best.position.line)) best = m;
  }
  return best ?? candidates[0];
}

/**
 * Mark findings whose object (or pod template) carries a matching kubeplan.dev/ignore clause as
 * `suppressed: {kind: 'inline', justification}`. Pure; returns new finding objects, never drops any.
 * Findings already suppressed keep their suppression. Malformed clauses suppress nothing (see invalid-suppression).
 */
export function applyInlineSuppressions(findings: readonly Finding[], manifests: readonly Manifest[], graph?: ResourceGraph): Finding[] {
  const byFile = new Map<string, Manifest[]>();
  for (const m of manifests) {
    const list = byFile.get(m.file);
    if (list) list.push(m);
    else byFile.set(m.file, [m]);
  }
  const clauseCache = new Map<Manifest, IgnoreClause[]>();
  return findings.map((f) => {
    if (f.suppressed) return f;
    const m = manifestFor(f, byFile);
    if (!m) return f;
    let clauses = clauseCache.get(m);
    if (!clauses) {
      clauses = clausesOf(m, graph);
      clauseCache.set(m, clauses);
    }
    const reason = reasonFor(clauses, f.rule);
    return reason === undefined ? f : { ...f, suppressed: { kind: 'inline', justification: reason } };
  });
}
