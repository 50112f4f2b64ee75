import { getArray, getObject, getString, isObject } from '../../../core/objects.ts';
import type { PodTemplate, ResourceGraph } from '../../../graph/index.ts';
import type { Rule } from '../rule.ts';
import { graphOf, isReported, planResolvesDoc, reportMissingRef, ruleMeta, type UnresolvedName } from './support.ts';

export const pvcMissing: Rule = {
  meta: ruleMeta({
    id: 'pvc-missing',
    description: 'A pod template mounts a PersistentVolumeClaim that is not defined in its namespace.',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    body: `
## Why

A pod whose \`persistentVolumeClaim.claimName\` doesn't exist stays \`Pending\` ("persistentvolumeclaim not found").

## What is checked

\`volumes[].persistentVolumeClaim.claimName\` of every pod template, in its effective namespace. For a StatefulSet,
claims its \`volumeClaimTemplates\` create (\`<template>-<statefulset>-<ordinal>\`) and the template names themselves
satisfy the reference.

## Outcomes

- missing while the repo defines PVCs in that namespace: **warning** (PVCs are often pre-provisioned by hand);
- the repo defines none there: **info**.
- a file of the input failed to parse: **info** — the objects it defines are unknown, so nothing is called
  missing (kube-linter #249, #669).
` + planResolvesDoc('the PersistentVolumeClaim is in the live state', 'pvc-missing'),
  }),
  check(ctx) {
    const graph = graphOf(ctx);
    for (const { template: t, namespace: ns, path, name } of unresolvedClaims(graph, (t) => isReported(ctx, t))) {
      reportMissingRef(ctx, graph, t, path, { group: '', kind: 'PersistentVolumeClaim', namespace: ns }, `PersistentVolumeClaim "${name}"`, `is not defined in namespace "${ns}"; ${PVC_CONSEQUENCE}`);
    }
  },
};

export const PVC_CONSEQUENCE = 'pods stay Pending until it exists';

/** Claims pod templates mount that the repo does not define (nor a StatefulSet's volumeClaimTemplates create). */
export function unresolvedClaims(graph: ResourceGraph, only: (node: PodTemplate) => boolean = () => true): UnresolvedName[] {
  const out: UnresolvedName[] = [];
  for (const t of graph.podTemplates()) {
    const ns = t.owner.namespace;
    if (ns === undefined || !t.spec || !only(t)) continue;
    const vcts =
      t.owner.kind === 'StatefulSet'
        ? (getArray(getObject(t.owner.manifest.object, 'spec'), 'volumeClaimTemplates') ?? []).flatMap((v) => {
            const n = isObject(v) ? getString(getObject(v, 'metadata'), 'name') : undefined;
            return n === undefined ? [] : [n];
          })
        : [];
    (getArray(t.spec, 'volumes') ?? []).forEach((vol, i) => {
      if (!isObject(vol)) return;
      const claim = getString(getObject(vol, 'persistentVolumeClaim'), 'claimName');
      if (!claim) return;
      if (graph.find('', 'PersistentVolumeClaim', ns, claim).length > 0) return;
      if (vcts.some((v) => claim === v || new RegExp(`^${escape(v)}-${escape(t.owner.name)}-\\d+$`).test(claim))) return;
      out.push({ template: t, namespace: ns, path: [...t.specPath, 'volumes', i, 'persistentVolumeClaim', 'claimName'], name: claim });
    });
  }
  return out;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
