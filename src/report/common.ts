// Helpers shared by the reporters: object naming, grouping, counting.
import { describeRef, groupOf } from '../core/objects.ts';
import type { Finding, ObjectRef, Suppression } from '../core/types.ts';

/** "Deployment shop/web"; an object without a name still gets a readable label. */
export function objectLabel(ref: ObjectRef): string {
  if (ref.name !== '') return describeRef(ref);
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}(unnamed)`;
}

/**
 * Identity of an object as Kubernetes sees it: group, kind, namespace, name (not the version, so moving
 * a manifest from v1beta1 to v1 keeps its identity). Used to group findings and in SARIF fingerprints.
 */
export function objectKey(ref: ObjectRef | null): string {
  if (ref === null) return '';
  return JSON.stringify([groupOf(ref.apiVersion), ref.kind, ref.namespace ?? '', ref.name]);
}

/**
 * The finding's message, prefixed with the object it is about unless the rule already named it.
 * For formats whose viewers show only the message and a line (GitHub annotations, code scanning).
 */
export function messageWithObject(f: Finding): string {
  if (f.object === null) return f.message;
  const label = objectLabel(f.object);
  return f.message.includes(label) ? f.message : `${label}: ${f.message}`;
}

export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

/** "suppressed inline: reason" / "suppressed by baseline" (no reason given). */
export function describeSuppression(s: Suppression): string {
  const how = s.kind === 'inline' ? 'suppressed inline' : 'suppressed by baseline';
  return s.justification.trim() === '' ? how : `${how}: ${s.justification}`;
}

/** Groups in order of first appearance; the report is sorted, so groups come out sorted by their first finding. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }
  return groups;
}

