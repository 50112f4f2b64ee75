import type { Rule } from '../rule.ts';
import { checkNamedRefs } from './named-ref-rule.ts';
import { planResolvesDoc, ruleMeta } from './support.ts';

export const secretRefMissing: Rule = {
  meta: ruleMeta({
    id: 'secret-ref-missing',
    description: 'A pod template references a Secret (or a key of one) that is not defined or produced in its namespace.',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    body: `
## Why

A container whose \`env\`/\`envFrom\` references a missing Secret (or key) fails with \`CreateContainerConfigError\`; a
missing \`secret\` volume keeps the pod in \`ContainerCreating\`; a missing \`imagePullSecrets\` entry breaks pulls from
private registries.

## What is checked

\`env[].valueFrom.secretKeyRef\` (name and key), \`envFrom[].secretRef\`, \`volumes[].secret\` and projected
\`secret\` sources (with \`items[].key\`), and \`imagePullSecrets[].name\` of every pod template, in its effective
namespace. \`optional: true\` references are never reported.

A Secret is satisfied by a Secret in the repo, or by something that produces one: a \`SealedSecret\`, an
\`ExternalSecret\` (\`spec.target.name\`), a cert-manager \`Certificate\` (\`spec.secretName\`) or a kustomize
\`secretGenerator\`.

## Outcomes

- missing Secret or key while the repo defines Secrets (or producers) in the namespace: **warning** — a warning, not an
  error, because Secrets are often created out of band;
- the repo defines none there: **info**.
- a file of the input failed to parse: **info** — the objects it defines are unknown, so nothing is called
  missing (kube-linter #249, #669).
` + planResolvesDoc('the Secret is in the live state (by name; keys and values are not read)', 'secret-ref-missing'),
  }),
  check: (ctx) => checkNamedRefs(ctx, 'Secret'),
};
