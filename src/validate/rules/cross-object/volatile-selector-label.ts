import { getArray, getObject, isObject, valueAt } from '../../../core/objects.ts';
import type { JsonPath } from '../../../core/types.ts';
import { describeNode } from '../../../graph/index.ts';
import type { Rule } from '../rule.ts';
import { graphOf, reportAt, ruleMeta } from './support.ts';

/** Label keys whose values change with every release by convention. */
const VOLATILE_KEYS = new Set(['helm.sh/chart', 'app.kubernetes.io/version', 'chart', 'version', 'helm.sh/revision', 'app.kubernetes.io/chart']);
/** A semantic version anywhere in the value: 1.2.3, v1.2.3, web-1.2.3, 1.2.3-rc.1. */
const SEMVER = /(^|[^0-9A-Za-z.])v?\d+\.\d+\.\d+([-_.][0-9A-Za-z]+)*$|^v?\d+\.\d+\.\d+/;

/** Kinds whose selector the API server refuses to change after creation. */
const IMMUTABLE = new Set(['apps/Deployment', 'apps/ReplicaSet', 'apps/StatefulSet', 'apps/DaemonSet', 'batch/Job']);

export const volatileSelectorLabel: Rule = {
  meta: ruleMeta({
    id: 'volatile-selector-label',
    description: "A workload's immutable selector uses a label that changes between releases (chart or app version), so the next upgrade fails.",
    defaultSeverity: 'warning',
    enabledByDefault: true,
    body: `
## Why

\`spec.selector\` of apps/v1 Deployments, ReplicaSets, StatefulSets, DaemonSets (and of Jobs) is **immutable**. A
selector that contains the chart version or the app version changes with every release, and the upgrade fails with
\`spec.selector: Invalid value: …: field is immutable\` — a classic with kustomize \`commonLabels\` (kustomize #1009,
#3718) and Helm charts (gabibbo97/charts #20, zitadel-charts #348; kubernetes #136324).

## What is checked

\`matchLabels\` and \`matchExpressions\` values of those workloads' selectors:

- keys \`helm.sh/chart\`, \`app.kubernetes.io/version\`, \`chart\`, \`version\` (and \`helm.sh/revision\`);
- any value that contains a semantic version (\`1.2.3\`, \`v1.2.3\`, \`web-1.2.3\`).

A value that is part of the workload's own name (Istio-style \`reviews-v1\` selecting \`version: v1\`) is the
workload's identity, not a release label, and is not reported.

Select on stable identity labels instead (\`app.kubernetes.io/name\`, \`app.kubernetes.io/instance\`); keep version labels
on the pod template only.
`,
  }),
  check(ctx) {
    const graph = graphOf(ctx);
    for (const owner of graph.objects) {
      if (!IMMUTABLE.has(`${owner.group}/${owner.kind}`)) continue;
      const sel = graph.workloadSelector(owner);
      if (!sel || sel.defaulted || sel.type !== 'label' || !sel.parsed.ok) continue;
      const raw = valueAt(owner.manifest.object, sel.path);
      if (!isObject(raw)) continue;
      const hits: { path: JsonPath; label: string; why: string }[] = [];
      for (const [k, v] of Object.entries(getObject(raw, 'matchLabels') ?? {})) {
        if (typeof v !== 'string') continue;
        const why = volatility(k, v, owner.name);
        if (why) hits.push({ path: [...sel.path, 'matchLabels', k], label: `${k}=${v}`, why });
      }
      (getArray(raw, 'matchExpressions') ?? []).forEach((e, i) => {
        if (!isObject(e) || typeof e.key !== 'string') return;
        const key = e.key;
        (getArray(e, 'values') ?? []).forEach((v, j) => {
          if (typeof v !== 'string') return;
          const why = volatility(key, v, owner.name);
          if (why) hits.push({ path: [...sel.path, 'matchExpressions', i, 'values', j], label: `${key} ${String(e.operator)} ${v}`, why });
        });
        if (VOLATILE_KEYS.has(key) && (getArray(e, 'values') ?? []).length === 0) hits.push({ path: [...sel.path, 'matchExpressions', i, 'key'], label: key, why: `"${key}" is a release-specific label` });
      });
      for (const h of hits) {
        reportAt(
          ctx,
          owner,
          h.path,
          `${describeNode(owner)}: selector label ${h.label} changes between releases (${h.why}), but a ${owner.kind}'s selector is immutable: the next upgrade fails with "field is immutable". Select on stable labels (app.kubernetes.io/name, app.kubernetes.io/instance)`,
        );
      }
    }
  },
};

function volatility(key: string, value: string, ownerName: string): string | undefined {
  // Istio-style per-version workloads (reviews-v1 selecting version: v1): the version is the workload's identity.
  if (value !== '' && ownerName.includes(value)) return undefined;
  if (VOLATILE_KEYS.has(key)) return `"${key}" is a release-specific label`;
  if (SEMVER.test(value)) return `the value contains a version`;
  return undefined;
}
