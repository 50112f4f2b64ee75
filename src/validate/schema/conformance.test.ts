// Conformance table: tricky cases from research/validators.md §9, each with the expected rule ids and lines.
// "KC" notes say what kubeconform (default / -strict) does, where kubeplan must agree or deliberately differ.
// Lines are marked in the YAML with `# @name` comments; a case lists `{ rule, at: 'name' }` for each finding.

import { describe, expect, it } from 'vitest';
import { parseText } from '../../manifests/parse.ts';
import type { Finding, Severity } from '../../core/types.ts';
import { createSchemaValidator, type SchemaValidatorOptions } from './index.ts';

interface Expected {
  rule: string;
  at: string;
  severity?: Severity;
  /** Substrings the message must contain. */
  message?: string | string[];
}

interface Case {
  id: string;
  name: string;
  yaml: string;
  expect: Expected[];
  opts?: SchemaValidatorOptions;
  /** Extra CRD documents registered as if passed with --crd. */
  crds?: string;
}

function dedent(s: string): string {
  const lines = s.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/** Line numbers of `# @name` markers. */
function markers(text: string): Map<string, number> {
  const out = new Map<string, number>();
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/# @([\w-]+)/g)) out.set(m[1] as string, i + 1);
  });
  return out;
}

function run(c: Case): Finding[] {
  const text = dedent(c.yaml);
  const parsed = parseText('case.yaml', text);
  if (parsed.findings.length > 0) throw new Error(`case ${c.id} does not parse: ${parsed.findings.map((f) => `${f.line}: ${f.message}`).join('; ')}`);
  const v = createSchemaValidator({ cacheDir: false, ...c.opts });
  const findings: Finding[] = [];
  if (c.crds) findings.push(...v.registerCrds(parseText('crds.yaml', dedent(c.crds)).manifests));
  findings.push(...v.registerCrds(parsed.manifests));
  for (const m of parsed.manifests) findings.push(...v.validate(m));
  return findings;
}

const WIDGET_CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
  creationTimestamp: null
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [size]
              properties:
                size: {type: integer, minimum: 1, maximum: 10}
                color: {type: string, enum: [red, green]}
                port: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}
                mode: {type: string, pattern: '^(?i)(abort|warn)?$'}
                month: {type: string, pattern: '^((?i)january|february)$'}
                interval: {type: string, format: duration}
                note: {type: string, nullable: true}
                owner: {type: string}
                custom: {type: string, format: made-up-format}
                extra:
                  type: object
                  x-kubernetes-preserve-unknown-fields: true
                  properties:
                    known: {type: string}
                template:
                  type: object
                  x-kubernetes-embedded-resource: true
                  x-kubernetes-preserve-unknown-fields: true
                labels:
                  type: object
                  additionalProperties: {type: string}
                items:
                  type: array
                  items: {type: object, required: [name], properties: {name: {type: string}}}
            status:
              type: object
              x-kubernetes-preserve-unknown-fields: true
    - name: v2alpha1
      served: false
      storage: false
      schema:
        openAPIV3Schema: {type: object}
`;

const widget = (spec: string): string => `
apiVersion: example.com/v1
kind: Widget
metadata: {name: w, namespace: default}
spec:
${dedent(spec)
  .split('\n')
  .map((l) => `  ${l}`)
  .join('\n')}
`;

const cases: Case[] = [
  // A. Documents and streams
  {
    id: 'A3',
    name: 'kind: List is expanded and each item validated at its own lines',
    yaml: `
      apiVersion: v1
      kind: List
      items:
        - apiVersion: v1
          kind: ConfigMap
          metadata: {name: a}
        - apiVersion: apps/v1
          kind: Deployment
          metadata: {name: b}
          spec:
            replicas: two # @replicas
            selector: {matchLabels: {app: b}}
            template:
              metadata: {labels: {app: b}}
              spec: {containers: [{name: c, image: nginx}]}
    `,
    expect: [{ rule: 'schema', at: 'replicas', message: 'spec.replicas: expected integer, got string "two"' }],
  },
  { id: 'A3-empty', name: 'an empty List holds nothing to validate', yaml: 'apiVersion: v1\nkind: List\nitems: []\n', expect: [] },
  {
    id: 'A4',
    name: 'one invalid object in a multi-document file fails alone (KC: port: sds)',
    yaml: `
      apiVersion: v1
      kind: Service
      metadata: {name: ok}
      spec: {ports: [{port: 80}]}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: bad}
      spec:
        ports:
          - port: sds # @port
    `,
    expect: [{ rule: 'schema', at: 'port', message: 'spec.ports[0].port: expected integer, got string "sds"' }],
  },
  {
    id: 'A7',
    name: 'missing apiVersion and kind',
    yaml: `
      metadata: {name: x} # @root
    `,
    expect: [
      { rule: 'schema', at: 'root', message: 'missing required field "apiVersion"' },
      { rule: 'schema', at: 'root', message: 'missing required field "kind"' },
    ],
  },
  {
    id: 'A6',
    name: 'kind: (null)',
    yaml: `
      apiVersion: v1
      kind: # @kind
      metadata: {name: x}
    `,
    expect: [{ rule: 'schema', at: 'kind', message: 'missing required field "kind"' }],
  },
  // B. Resource identification and schema resolution
  {
    id: 'B1',
    name: 'kind: configmap (wrong case) has no schema, with a hint',
    yaml: `
      apiVersion: v1 # @api
      kind: configmap
      metadata: {name: x}
    `,
    expect: [{ rule: 'missing-schema', at: 'api', message: ['no schema for v1 configmap', 'did you mean "ConfigMap"?'] }],
  },
  {
    id: 'B2',
    name: 'apps/v1beta2 Deployment is a removed API (KC: "could not find schema", or skipped with -ignore-missing-schemas)',
    yaml: `
      apiVersion: apps/v1beta2 # @api
      kind: Deployment
      metadata: {name: x}
    `,
    opts: { ignoreMissingSchemas: true },
    expect: [{ rule: 'removed-api', at: 'api', severity: 'error', message: 'apps/v1beta2 Deployment was removed in Kubernetes 1.16; use apps/v1' }],
  },
  {
    id: 'B2-pdb',
    name: 'policy/v1beta1 PodDisruptionBudget names the release and the replacement',
    yaml: `
      apiVersion: policy/v1beta1 # @api
      kind: PodDisruptionBudget
      metadata: {name: x}
      spec: {minAvailable: 1}
    `,
    expect: [{ rule: 'removed-api', at: 'api', message: 'policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25; use policy/v1' }],
  },
  {
    id: 'B2-psp',
    name: 'a removed API without a replacement says what to do instead',
    yaml: `
      apiVersion: policy/v1beta1 # @api
      kind: PodSecurityPolicy
      metadata: {name: x}
    `,
    expect: [{ rule: 'removed-api', at: 'api', message: ['removed in Kubernetes 1.25', 'Pod Security Admission'] }],
  },
  {
    id: 'B3',
    name: 'custom resource without a CRD is missing-schema, with the message users need',
    yaml: `
      apiVersion: example.com/v1 # @api
      kind: Widget
      metadata: {name: w}
    `,
    expect: [
      {
        rule: 'missing-schema',
        at: 'api',
        severity: 'error',
        message: 'no schema for example.com/v1 Widget: not a built-in kind of Kubernetes 1.36 and no CRD for it was loaded; pass --crd or --ignore-missing-schemas',
      },
    ],
  },
  {
    id: 'B3-ignore',
    name: 'ignoreMissingSchemas downgrades missing-schema to info',
    yaml: `
      apiVersion: example.com/v1 # @api
      kind: Widget
      metadata: {name: w}
    `,
    opts: { ignoreMissingSchemas: true },
    expect: [{ rule: 'missing-schema', at: 'api', severity: 'info', message: 'not validated' }],
  },
  {
    id: 'B3-crd',
    name: 'a CRD passed like --crd registers its kind (KC needs a converted schema)',
    crds: WIDGET_CRD,
    yaml: widget('size: 3'),
    expect: [],
  },
  {
    id: 'B3-unserved',
    name: 'a CRD version that is not served has no schema, and the message names the served ones',
    crds: WIDGET_CRD,
    yaml: `
      apiVersion: example.com/v2alpha1 # @api
      kind: Widget
      metadata: {name: w}
    `,
    expect: [{ rule: 'missing-schema', at: 'api', message: 'the CRD widgets.example.com serves v1, not v2alpha1' }],
  },
  {
    id: 'B4',
    name: 'a valid CRD manifest validates against the apiextensions schema, recursive JSONSchemaProps included (KC: no schema)',
    yaml: WIDGET_CRD,
    expect: [],
  },
  {
    id: 'B5',
    name: 'CRD with type: strign is rejected like the API server does (KC: no schema)',
    yaml: `
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: things.example.com}
      spec:
        group: example.com
        names: {kind: Thing, plural: things}
        scope: Cluster
        versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      name:
                        type: strign # @type
                      count: {minimum: 1} # @untyped
                      tags:
                        type: array
                        items: {type: string, propertes: {}} # @typo
                      flag:
                        type: 42 # @num
    `,
    expect: [
      { rule: 'invalid-crd-schema', at: 'type', message: 'unsupported type "strign"' },
      { rule: 'invalid-crd-schema', at: 'untyped', message: 'type is required here' },
      { rule: 'unknown-field', at: 'typo', message: ['unknown field "propertes"', 'did you mean "properties"?'] },
      { rule: 'schema', at: 'num', message: 'type: expected string, got integer 42' },
      { rule: 'invalid-crd-schema', at: 'num', message: 'unsupported type 42' },
    ],
  },
  {
    id: 'B5-cr',
    name: 'custom resources of a malformed CRD are still validated with what is well-formed, and nothing throws',
    yaml: `
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: things.example.com}
      spec:
        group: example.com
        names: {kind: Thing, plural: things}
        scope: Cluster
        versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    required: name # @required
                    properties:
                      name: {type: strign} # @strign
                      e: {type: string, enum: abc} # @enum
                      m: {type: integer, minimum: "5"} # @minimum
      ---
      apiVersion: example.com/v1
      kind: Thing
      metadata: {name: t}
      spec: {name: 1, e: xyz, m: seven, other: 1} # @cr
    `,
    expect: [
      { rule: 'schema', at: 'required', message: 'spec.required: expected array, got string "name"' },
      { rule: 'invalid-crd-schema', at: 'strign', message: 'unsupported type "strign"' },
      { rule: 'schema', at: 'enum', message: 'enum: expected array, got string "abc"' },
      { rule: 'schema', at: 'minimum', message: 'minimum: expected number, got string "5"' },
      { rule: 'schema', at: 'cr', message: 'spec.m: expected integer, got string "seven"' },
      { rule: 'unknown-field', at: 'cr', message: 'spec.other: unknown field "other"' },
    ],
  },
  {
    id: 'B11',
    name: 'generateName without name is fine',
    yaml: `
      apiVersion: batch/v1
      kind: Job
      metadata: {generateName: pi-}
      spec:
        template:
          spec:
            restartPolicy: Never
            containers: [{name: pi, image: perl}]
    `,
    expect: [],
  },
  // C. YAML semantics
  {
    id: 'C2',
    name: 'ConfigMap data keys that YAML reads as numbers or booleans are stringified',
    yaml: `
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: x}
      data:
        5: five
        3.14: pi
        true: yes-string
    `,
    expect: [],
  },
  {
    id: 'C3',
    name: 'data: {enabled: yes} is a YAML 1.1 boolean, not a string',
    yaml: `
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: x}
      data:
        enabled: yes # @yes
        port: 8080 # @port
    `,
    expect: [
      { rule: 'schema', at: 'yes', message: ['data.enabled: expected string, got boolean true', 'quote the value'] },
      { rule: 'schema', at: 'port', message: 'data.port: expected string, got integer 8080' },
    ],
  },
  {
    id: 'C6',
    name: 'args: with only comments under it is null, which is fine',
    yaml: `
      apiVersion: v1
      kind: Pod
      metadata: {name: x}
      spec:
        containers:
          - name: c
            image: i
            args:
            # - --verbose
    `,
    expect: [],
  },
  // D. Special types
  {
    id: 'D1',
    name: 'targetPort accepts a number or a name',
    yaml: `
      apiVersion: v1
      kind: Service
      metadata: {name: s}
      spec:
        ports:
          - {port: 80, targetPort: 8082}
          - {port: 81, targetPort: http}
    `,
    expect: [],
  },
  {
    id: 'D2',
    name: 'targetPort: 80.5 is neither an integer nor a string',
    yaml: `
      apiVersion: v1
      kind: Service
      metadata: {name: s}
      spec:
        ports:
          - port: 80
            targetPort: 80.5 # @tp
    `,
    expect: [{ rule: 'schema', at: 'tp', message: 'spec.ports[0].targetPort: expected integer or string, got number 80.5' }],
  },
  {
    id: 'E4',
    name: 'a null scalar list item or map value in a built-in kind is its zero value, as the server decodes it (fidelity test, 1.35)',
    yaml: `
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: c, labels: {tier: ~}}
      data: {empty: ~}
    `,
    expect: [],
  },
  {
    id: 'E5',
    name: 'a null object in a list of a built-in kind is still an error',
    yaml: `
      apiVersion: v1
      kind: Service
      metadata: {name: s}
      spec:
        ports:
          - ~ # @port
    `,
    expect: [{ rule: 'schema', at: 'port' }],
  },
  {
    id: 'D3',
    name: 'targetPort: null is unset (KC wrongly fails: oneOf matches both nullable branches)',
    yaml: `
      apiVersion: v1
      kind: Service
      metadata: {name: s}
      spec:
        ports:
          - port: 80
            targetPort: null
    `,
    expect: [],
  },
  {
    id: 'D4',
    name: 'quantities as strings or numbers',
    yaml: `
      apiVersion: v1
      kind: LimitRange
      metadata: {name: l}
      spec:
        limits:
          - type: Container
            max: {memory: 512Mi, cpu: 2}
            min: {memory: 256000, cpu: 0.1}
    `,
    expect: [],
  },
  {
    id: 'D5',
    name: 'cpu: true is not a quantity',
    yaml: `
      apiVersion: v1
      kind: Pod
      metadata: {name: p}
      spec:
        containers:
          - name: c
            image: i
            resources:
              limits:
                cpu: true # @cpu
    `,
    expect: [{ rule: 'schema', at: 'cpu', message: 'spec.containers[0].resources.limits.cpu: expected string or number, got boolean true' }],
  },
  {
    id: 'D7',
    name: 'Secret data must be base64 (KC does not assert byte)',
    yaml: `
      apiVersion: v1
      kind: Secret
      metadata: {name: s}
      data:
        good: aGVsbG8=
        empty: ''
        bad: not-base64! # @bad
    `,
    expect: [{ rule: 'schema', at: 'bad', message: 'data.bad: "not-base64!" is not base64-encoded data' }],
  },
  {
    id: 'D9-D10',
    name: 'format: duration accepts Go and Scala durations (KC rejects 2w, #347)',
    crds: WIDGET_CRD,
    yaml: `
      apiVersion: example.com/v1
      kind: Widget
      metadata: {name: a}
      spec: {size: 1, interval: 5m}
      ---
      apiVersion: example.com/v1
      kind: Widget
      metadata: {name: b}
      spec: {size: 1, interval: 2w}
      ---
      apiVersion: example.com/v1
      kind: Widget
      metadata: {name: c}
      spec:
        size: 1
        interval: soon # @bad
    `,
    expect: [{ rule: 'schema', at: 'bad', message: 'spec.interval: "soon" is not a duration' }],
  },
  {
    id: 'D11-D12',
    name: 'creationTimestamp: a bare date is not a date-time; null is fine',
    yaml: `
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: a
        creationTimestamp: null
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: b
        creationTimestamp: "2020-01-01" # @date
    `,
    expect: [{ rule: 'schema', at: 'date', message: 'metadata.creationTimestamp: "2020-01-01" is not an RFC 3339 date-time' }],
  },
  {
    id: 'D-int32',
    name: 'int32 fields reject values a 32-bit integer cannot hold',
    yaml: `
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: d}
      spec:
        replicas: 3000000000 # @big
        selector: {matchLabels: {a: b}}
        template:
          metadata: {labels: {a: b}}
          spec: {containers: [{name: c, image: i}]}
    `,
    expect: [{ rule: 'schema', at: 'big', message: 'spec.replicas: 3000000000 is not a 32-bit integer' }],
  },
  // E. Nullability
  {
    id: 'E1-E2',
    name: 'explicit null on CRD fields: nullable, and optional non-nullable (pruned by the server) (KC fails both, #310 #123)',
    crds: WIDGET_CRD,
    yaml: widget('size: 2\nnote: null\nowner: null\ncolor: null'),
    expect: [],
  },
  {
    id: 'E3',
    name: 'rollingUpdate: null in a Deployment',
    yaml: `
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: d}
      spec:
        strategy:
          type: RollingUpdate
          rollingUpdate: null
        selector: {matchLabels: {a: b}}
        template:
          metadata: {labels: {a: b}}
          spec: {containers: [{name: c, image: i}]}
    `,
    expect: [],
  },
  {
    id: 'E4',
    name: 'a required field set to null is still missing',
    yaml: `
      apiVersion: v1
      kind: Service
      metadata: {name: s}
      spec:
        ports:
          - port: null # @port
    `,
    expect: [{ rule: 'schema', at: 'port', message: 'spec.ports[0].port: expected integer, got null' }],
  },
  {
    id: 'E4-crd',
    name: 'a required CRD field set to null fails; a list item set to null fails',
    crds: WIDGET_CRD,
    yaml: widget('size: null # @size\nitems:\n  - null # @item'),
    expect: [
      { rule: 'schema', at: 'size', message: 'spec.size: expected integer, got null' },
      { rule: 'schema', at: 'item', message: 'spec.items[0]: expected object, got null' },
    ],
  },
  // F. Strictness and unknown fields
  {
    id: 'F1',
    name: 'spec.replicas on a DaemonSet is an unknown field, pointed at the key (KC: only with -strict)',
    yaml: `
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: {name: d}
      spec:
        replicas: 3 # @replicas
        selector: {matchLabels: {a: b}}
        template:
          metadata: {labels: {a: b}}
          spec: {containers: [{name: c, image: i}]}
    `,
    expect: [{ rule: 'unknown-field', at: 'replicas', severity: 'error', message: 'spec.replicas: unknown field "replicas"' }],
  },
  {
    id: 'F1-loose',
    name: 'strict: false reports unknown fields as warnings',
    opts: { strict: false },
    yaml: `
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: {name: d}
      spec:
        replicas: 3 # @replicas
        selector: {matchLabels: {a: b}}
        template:
          metadata: {labels: {a: b}}
          spec: {containers: [{name: c, image: i}]}
    `,
    expect: [{ rule: 'unknown-field', at: 'replicas', severity: 'warning', message: 'the API server drops it' }],
  },
  {
    id: 'F2',
    name: 'unknown top-level fields and typos get a suggestion',
    yaml: `
      apiVersion: v1
      kind: ConfigMap
      metafffdata: {name: x} # @meta
      specDOESNOTEXIST: {} # @spec
    `,
    expect: [
      { rule: 'unknown-field', at: 'meta', message: ['unknown field "metafffdata"', 'did you mean "metadata"?'] },
      { rule: 'unknown-field', at: 'spec', message: 'unknown field "specDOESNOTEXIST"' },
    ],
  },
  {
    id: 'F3',
    name: 'containers indented at the wrong level: unknown field and the missing required field, at the parent',
    yaml: `
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: d}
      spec:
        selector: {matchLabels: {a: b}}
        template:
          metadata: {labels: {a: b}}
          spec: # @podspec
            restartPolicy: Always
        containers: # @containers
          - name: c
            image: i
    `,
    expect: [
      { rule: 'unknown-field', at: 'containers', message: 'spec.containers: unknown field "containers"' },
      { rule: 'schema', at: 'podspec', message: 'spec.template.spec: missing required field "containers"' },
    ],
  },
  {
    id: 'F3-item',
    name: 'a container without a name: the finding points at the container',
    yaml: `
      apiVersion: v1
      kind: Pod
      metadata: {name: p}
      spec:
        containers:
          - image: nginx # @item
            imagePullPolicy: Always
    `,
    expect: [{ rule: 'schema', at: 'item', message: 'spec.containers[0]: missing required field "name"' }],
  },
  {
    id: 'F4',
    name: 'resources.limits is a map of quantities: any resource name is allowed',
    yaml: `
      apiVersion: v1
      kind: Pod
      metadata: {name: p}
      spec:
        containers:
          - name: c
            image: i
            resources: {limits: {foobar: 123, nvidia.com/gpu: 1}}
    `,
    expect: [],
  },
  {
    id: 'F5-F6',
    name: 'CRD objects: closed unless x-kubernetes-preserve-unknown-fields, even with properties (KC closes them all)',
    crds: WIDGET_CRD,
    yaml: widget('size: 1\nextra: {known: a, anything: [1, 2]}\nbogus: 1 # @bogus\nlabels: {a: b}\nitems: [{name: item1, nope: 1}] # @nope'),
    expect: [
      { rule: 'unknown-field', at: 'bogus', message: 'spec.bogus: unknown field "bogus"' },
      { rule: 'unknown-field', at: 'nope', message: 'spec.items[0].nope: unknown field "nope"' },
    ],
  },
  {
    id: 'F-embedded',
    name: 'x-kubernetes-embedded-resource allows apiVersion, kind and metadata',
    crds: WIDGET_CRD,
    yaml: widget('size: 1\ntemplate:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: inner, labels: {a: b}}\n  data: {k: v}'),
    expect: [],
  },
  {
    id: 'F-status',
    name: 'metadata of a custom resource is the real ObjectMeta: unknown fields in it are reported',
    crds: WIDGET_CRD,
    yaml: `
      apiVersion: example.com/v1
      kind: Widget
      metadata:
        name: w
        lables: {a: b} # @lables
      spec: {size: 1}
    `,
    expect: [{ rule: 'unknown-field', at: 'lables', message: 'did you mean "labels"?' }],
  },
  // CRD value checks
  {
    id: 'CRD-values',
    name: 'CRD enum, minimum, required, x-kubernetes-int-or-string',
    crds: WIDGET_CRD,
    yaml: widget('size: 11 # @size\ncolor: blue # @color\nport: true # @port'),
    expect: [
      { rule: 'schema', at: 'size', message: 'spec.size: must be <= 10, got 11' },
      { rule: 'schema', at: 'color', message: 'spec.color: unsupported value "blue"; supported values: "red", "green"' },
      { rule: 'schema', at: 'port', message: 'spec.port: expected integer or string, got boolean true' },
    ],
  },
  {
    id: 'CRD-int-or-string',
    name: 'x-kubernetes-int-or-string accepts both forms (KC handles only format: int-or-string)',
    crds: WIDGET_CRD,
    yaml: `${widget('size: 1\nport: 8080')}---${widget('size: 1\nport: http')}`,
    expect: [],
  },
  {
    id: 'CRD-required',
    name: 'missing required CRD field, at the parent key',
    crds: WIDGET_CRD,
    yaml: `
      apiVersion: example.com/v1
      kind: Widget
      metadata: {name: w}
      spec: # @spec
        color: red
    `,
    expect: [{ rule: 'schema', at: 'spec', message: 'spec: missing required field "size"' }],
  },
  {
    id: 'CRD-go-regex',
    name: 'Go (?i) patterns compile and match case-insensitively (ajv alone fails to compile them)',
    crds: WIDGET_CRD,
    yaml: `${widget('size: 1\nmode: ABORT\nmonth: January')}---${widget('size: 1\nmode: stop # @mode')}`,
    expect: [{ rule: 'schema', at: 'mode', message: 'spec.mode: "stop" does not match the pattern ^(?i)(abort|warn)?$' }],
  },
  {
    id: 'CRD-unknown-format',
    name: 'unknown formats are ignored, never a crash',
    crds: WIDGET_CRD,
    yaml: widget('size: 1\ncustom: anything'),
    expect: [],
  },
  {
    id: 'E5',
    name: 'CRD manifest with metadata.creationTimestamp: null (controller-gen output)',
    yaml: WIDGET_CRD,
    expect: [],
  },
  // I. Enums and required fields
  {
    id: 'I2',
    name: 'protocol: 22 is a type error',
    yaml: `
      apiVersion: v1
      kind: Pod
      metadata: {name: p}
      spec:
        containers:
          - name: c
            image: i
            ports:
              - containerPort: 80
                protocol: 22 # @proto
    `,
    expect: [{ rule: 'schema', at: 'proto', message: 'spec.containers[0].ports[0].protocol: expected string, got integer 22' }],
  },
  {
    id: 'I4-I5',
    name: 'a map where a list belongs and a list where a map belongs',
    yaml: `
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: x
        finalizers: {key: value} # @fin
      data: [not a map] # @data
    `,
    expect: [
      { rule: 'schema', at: 'fin', message: 'metadata.finalizers: expected array, got object' },
      { rule: 'schema', at: 'data', message: 'data: expected object, got array' },
    ],
  },
  // Kubeconform's own fixtures where it is right
  {
    id: 'KC-invalid',
    name: 'kubeconform invalid.yaml: replicas as a string and a typo (templates)',
    yaml: `
      apiVersion: v1
      kind: ReplicationController
      metadata: {name: bob}
      spec:
        replicas: asd # @replicas
        selector: {app: nginx}
        templates: # @templates
          metadata: {name: nginx, labels: {app: nginx}}
          spec: {containers: [{name: nginx, image: nginx}]}
    `,
    expect: [
      { rule: 'schema', at: 'replicas', message: 'expected integer, got string "asd"' },
      { rule: 'unknown-field', at: 'templates', message: 'did you mean "template"?' },
    ],
  },
  {
    id: 'KC-valid-version',
    name: 'HPA autoscaling/v2 is validated with the v2 schema, autoscaling/v1 with v1 (monokle uses v1 for both)',
    yaml: `
      apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata: {name: h}
      spec:
        scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
        maxReplicas: 5
        metrics:
          - type: Resource
            resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}
      ---
      apiVersion: autoscaling/v1
      kind: HorizontalPodAutoscaler
      metadata: {name: h1}
      spec:
        scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
        maxReplicas: 5
        metrics: [] # @metrics
    `,
    expect: [{ rule: 'unknown-field', at: 'metrics', message: 'spec.metrics: unknown field "metrics"' }],
  },
  // Versions
  {
    id: 'V-deprecated',
    name: 'a deprecated API is a warning at the versions that still serve it',
    opts: { kubernetesVersion: '1.30' },
    yaml: `
      apiVersion: flowcontrol.apiserver.k8s.io/v1beta3 # @api
      kind: FlowSchema
      metadata: {name: f}
    `,
    expect: [{ rule: 'deprecated-api', at: 'api', severity: 'warning', message: 'deprecated since Kubernetes 1.29 and will be removed in 1.32; use flowcontrol.apiserver.k8s.io/v1' }],
  },
  {
    id: 'V-removed-in-range',
    name: 'the same API is removed from 1.32 on (derived from the specs)',
    opts: { kubernetesVersion: '1.32' },
    yaml: `
      apiVersion: flowcontrol.apiserver.k8s.io/v1beta3 # @api
      kind: FlowSchema
      metadata: {name: f}
    `,
    expect: [{ rule: 'removed-api', at: 'api', message: 'flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema was removed in Kubernetes 1.32; use flowcontrol.apiserver.k8s.io/v1' }],
  },
  {
    id: 'V-not-yet',
    name: 'a kind from a newer release is missing at an older target, and the message says where it is served',
    opts: { kubernetesVersion: '1.29' },
    yaml: `
      apiVersion: networking.k8s.io/v1 # @api
      kind: IPAddress
      metadata: {name: 10.0.0.1}
    `,
    expect: [{ rule: 'missing-schema', at: 'api', message: ['not a built-in kind of Kubernetes 1.29', 'served by Kubernetes 1.33–1.36'] }],
  },
  {
    id: 'V-endpoints',
    name: 'v1 Endpoints is deprecated since 1.33 (from the spec), not before',
    yaml: `
      apiVersion: v1 # @api
      kind: Endpoints
      metadata: {name: e}
    `,
    expect: [{ rule: 'deprecated-api', at: 'api', message: 'use discovery.k8s.io/v1 EndpointSlice' }],
  },
  {
    id: 'V-endpoints-1.32',
    name: 'v1 Endpoints at 1.32',
    opts: { kubernetesVersion: '1.32' },
    yaml: 'apiVersion: v1\nkind: Endpoints\nmetadata: {name: e}\n',
    expect: [],
  },
];

describe('schema conformance (validators.md §9)', () => {
  it.each(cases.map((c) => [`${c.id}: ${c.name}`, c] as const))('%s', (_label, c) => {
    const lines = markers(dedent(c.yaml));
    const actual = run(c)
      .map((f) => ({ rule: f.rule, line: f.line, severity: f.severity, message: f.message }))
      .sort((a, b) => a.line - b.line || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : a.message < b.message ? -1 : 1));
    const expected = c.expect
      .map((e) => {
        const line = lines.get(e.at);
        if (line === undefined) throw new Error(`case ${c.id}: no marker # @${e.at}`);
        return { ...e, line };
      })
      .sort((a, b) => a.line - b.line || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
    expect(actual.map((f) => `${f.line} ${f.rule}`).sort()).toEqual(expected.map((e) => `${e.line} ${e.rule}`).sort());
    for (const e of expected) {
      const f = actual.find((a) => a.line === e.line && a.rule === e.rule && [e.message ?? []].flat().every((m) => a.message.includes(m)));
      expect(f, `${c.id}: a ${e.rule} finding at line ${e.line} containing ${JSON.stringify(e.message)}; got ${JSON.stringify(actual)}`).toBeDefined();
      if (e.severity) expect(f?.severity).toBe(e.severity);
    }
  });
});
