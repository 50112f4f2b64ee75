import type { Rule } from '../rule.ts';
import { checkNamedRefs } from './named-ref-rule.ts';
import { planResolvesDoc, ruleMeta } from './support.ts';

export const configmapRefMissing: Rule = {
  meta: ruleMeta({
    id: 'configmap-ref-missing',
    description: 'A pod template references a ConfigMap (or a key of one) that is not defined in its namespace.',
    defaultSeverity: 'error',
    enabledByDefault: true,
    body: `
## Why

A container whose \`env\`/\`envFrom\` references a missing ConfigMap (or key) fails with
\`CreateContainerConfigError\`; a missing \`configMap\` volume keeps the pod in \`ContainerCreating\`.

## What is checked

In every pod template (Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, Pods, configured CRDs), in its
effective namespace:

- \`env[].valueFrom.configMapKeyRef\` (name and key), \`envFrom[].configMapRef\` of containers, init containers and
  ephemeral containers;
- \`volumes[].configMap\` and \`volumes[].projected.sources[].configMap\`, including \`items[].key\`.

A reference with \`optional: true\` is never reported. The ConfigMap may come from a ConfigMap in the repo, a kustomize
\`configMapGenerator\` (keys from \`literals\`/\`files\` when known), or the cluster (\`kube-root-ca.crt\` exists in every
namespace).

## Outcomes

- missing ConfigMap or key, while the repo defines ConfigMaps in that namespace: **error**;
- the repo defines no ConfigMaps there: **info** (it is created outside the repo).
- a file of the input failed to parse: **info** — the objects it defines are unknown, so nothing is called
  missing (kube-linter #249, #669).
` + planResolvesDoc('the ConfigMap is in the live state (keys are not checked there)', 'configmap-ref-missing'),
  }),
  check: (ctx) => checkNamedRefs(ctx, 'ConfigMap'),
};
