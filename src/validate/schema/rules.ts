import type { RuleMeta } from '../../core/types.ts';

export const SCHEMA_RULES = {
  schema: 'schema',
  unknownField: 'unknown-field',
  missingSchema: 'missing-schema',
  removedApi: 'removed-api',
  deprecatedApi: 'deprecated-api',
  invalidCrdSchema: 'invalid-crd-schema',
} as const;

export const schemaRuleMetas: RuleMeta[] = [
  {
    id: 'schema',
    description: 'The object does not match the Kubernetes API schema of its kind (wrong type, missing required field, value not allowed).',
    defaultSeverity: 'error',
    enabledByDefault: true,
    help: `# schema

Every object is validated against the OpenAPI schema of its \`apiVersion\` and \`kind\` for the target Kubernetes
version (\`--kubernetes-version\`, default the newest supported), or against the schema of its CustomResourceDefinition.

Reported: wrong types (\`replicas: "3"\`), missing required fields (a container without \`name\`), values outside an
enum, a pattern, a format (\`date-time\`, \`byte\` …) or a range.

Explicit \`null\` on an optional field is accepted, because the API server treats it as unset. int-or-string fields
(\`targetPort\`, \`maxSurge\`) accept both forms, and resource quantities accept strings and numbers (their grammar is
checked by a separate rule).

\`\`\`yaml
spec:
  replicas: "3"   # expected integer, got string "3"
\`\`\`
`,
  },
  {
    id: 'unknown-field',
    description: 'A field that the schema of the kind does not define (usually a typo or wrong indentation).',
    defaultSeverity: 'error',
    enabledByDefault: true,
    help: `# unknown-field

The API server's strict field validation (\`kubectl apply --validate=strict\`) rejects fields the schema does not
define; with the default "warn" mode it drops them silently, so a typo such as \`contianers\` or a block indented at
the wrong level never takes effect. The finding points at the key and suggests the closest known field.

Objects marked \`x-kubernetes-preserve-unknown-fields\` in their schema accept any field. With \`strict: false\`
unknown fields are reported as warnings instead of errors.
`,
  },
  {
    id: 'missing-schema',
    description: 'No schema is known for the apiVersion and kind: not a built-in kind of the target Kubernetes version, and no CustomResourceDefinition for it was loaded.',
    defaultSeverity: 'error',
    enabledByDefault: true,
    help: `# missing-schema

kubeplan knows the built-in kinds of Kubernetes 1.29 to 1.36 and the kinds defined by any CustomResourceDefinition in
the input or passed with \`--crd PATH\`. An object of any other kind cannot be validated.

Fix: add the CRD (\`--crd crds/\`), correct the \`apiVersion\`/\`kind\` (they are case-sensitive), or pass
\`--ignore-missing-schemas\` to report these objects as information only.
`,
  },
  {
    id: 'removed-api',
    description: 'The apiVersion of this kind is no longer served by the target Kubernetes version.',
    defaultSeverity: 'error',
    enabledByDefault: true,
    help: `# removed-api

The API server of the target version does not serve this apiVersion any more, so applying the object fails with
"no matches for kind". The message names the release that removed it and the apiVersion to use instead, following the
Kubernetes deprecation guide (https://kubernetes.io/docs/reference/using-api/deprecation-guide/).

\`\`\`yaml
apiVersion: policy/v1beta1   # removed in 1.25; use policy/v1
kind: PodDisruptionBudget
\`\`\`
`,
  },
  {
    id: 'deprecated-api',
    description: 'The apiVersion of this kind is deprecated in the target Kubernetes version and will be removed.',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    help: `# deprecated-api

The target version still serves this apiVersion but marks it deprecated (the API server answers with a warning), or a
more mature version of the same kind is available. Move to the replacement before the removal release.
`,
  },
  {
    id: 'invalid-crd-schema',
    description: 'A CustomResourceDefinition schema that the API server would reject or that kubeplan cannot fully check.',
    defaultSeverity: 'error',
    enabledByDefault: true,
    help: `# invalid-crd-schema

\`apiextensions.k8s.io/v1\` requires a *structural* schema for every version: a valid \`type\` on every field (except
where \`x-kubernetes-int-or-string\` or \`x-kubernetes-preserve-unknown-fields\` is set), \`items\` as one schema, and an
object at the root. Such CRDs are rejected by the API server.

A \`pattern\` written in Go regular-expression syntax that has no JavaScript equivalent is reported as a warning: the
CRD is fine, but values are not checked against that pattern.
`,
  },
];
