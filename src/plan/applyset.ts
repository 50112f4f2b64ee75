// ApplySet (KEP-3659) ownership, as kubectl --applyset writes it, so kubeplan and kubectl agree on
// what belongs to a set: every member carries `applyset.kubernetes.io/part-of: <id>`, and
// <id> = "applyset-" + base64url(sha256("<name>.<namespace>.<kind>.<group>" of the parent)) + "-v1".
// kubeplan's parent is a Secret (kubectl's default) named after the app, e.g. `kubeplan-shop` in the
// app's namespace; apply creates it and records the member kinds on it.
import { createHash } from 'node:crypto';

export const APPLYSET_PART_OF = 'applyset.kubernetes.io/part-of';
export const APPLYSET_ID_LABEL = 'applyset.kubernetes.io/id';
export const APPLYSET_TOOLING = 'applyset.kubernetes.io/tooling';
export const APPLYSET_CONTAINS = 'applyset.kubernetes.io/contains-group-kinds';
/** Opt an object out of pruning: `kubeplan.dev/prune: disabled`. */
export const PRUNE_ANNOTATION = 'kubeplan.dev/prune';

export interface ApplySetParent {
  name: string;
  namespace?: string;
  kind?: string;
  group?: string;
}

export function computeApplySetId(parent: ApplySetParent): string {
  const kind = parent.kind ?? 'Secret';
  const group = parent.group ?? '';
  const gknn = `${parent.name}.${parent.namespace ?? ''}.${kind}.${group}`;
  const hash = createHash('sha256').update(gknn).digest('base64url');
  return `applyset-${hash}-v1`;
}
