// npm run schemas: ../shared/openapi (swagger v2, 1.29…1.36) and ../shared/openapi-v3 (OpenAPI v3 as a cluster serves
// it) → schemas/ (committed) and src/generated/k8s.ts. Deterministic: the same inputs give byte-identical outputs
// (except compressed files, whose *content* is what the drift test compares).
//
//   tsx scripts/generate-schemas.ts            write the files
//   tsx scripts/generate-schemas.ts --check    exit 1 if the committed files differ from what would be generated

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, brotliDecompressSync, constants as zlibConstants } from 'node:zlib';
import { compile as compileTs } from 'json-schema-to-typescript';
import { generatePrecompiled } from '../src/validate/schema/compiler.ts';
import { convertOpenApiV3, convertSwaggerV2, deprecationsInSpec, reachableDefinitions, sortKinds } from '../src/validate/schema/convert.ts';
import { buildLifecycle, compareVersions, deprecationFromDescription } from '../src/validate/schema/lifecycle.ts';
import { precompiledFileName } from '../src/validate/schema/source.ts';
import { buildVersionFile, canonical, type IndexFile, SCHEMA_FORMAT, storeText, versionFileName } from '../src/validate/schema/store.ts';
import type { JsonSchema, SchemaBundle } from '../src/validate/schema/types.ts';
import { gvKey } from '../src/validate/schema/types.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED = resolve(ROOT, '..', 'shared');
export const SCHEMAS = join(ROOT, 'schemas');
export const GENERATED_TYPES = join(ROOT, 'src', 'generated', 'k8s.ts');

/** Files the generator owns, relative to the project root, with their content (`.br` files: uncompressed content). */
export type Outputs = Map<string, string>;

const sha256 = (b: string | Buffer): string => createHash('sha256').update(b).digest('hex');

/** The bytes written for an output: `.br` files are brotli-compressed (quality 9: 36 ms instead of 6 s for 11, 13% larger). */
function encode(path: string, content: string): Buffer | string {
  return path.endsWith('.br') ? brotliCompressSync(Buffer.from(content), { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 9 } }) : content;
}

/** The content of a committed file: compressed files are compared (and hashed) by content, not bytes. */
function committedContent(path: string, bytes: Buffer): string {
  return path.endsWith('.br') ? brotliDecompressSync(bytes).toString('utf8') : bytes.toString('utf8');
}

export interface GenerateOptions {
  shared?: string;
  /** Only these versions (for quick experiments; the committed set is all of them). */
  versions?: string[];
  /** Skip src/generated/k8s.ts (slow-ish: prettier). */
  types?: boolean;
  log?: (msg: string) => void;
}

function listVersions(shared: string): string[] {
  return readdirSync(join(shared, 'openapi'))
    .map((f) => /^kubernetes-v(\d+\.\d+)\.json$/.exec(f)?.[1])
    .filter((v): v is string => v !== undefined)
    .sort(compareVersions);
}

function readV3Documents(dir: string): Record<string, unknown> {
  const docs: Record<string, unknown> = {};
  const walk = (d: string): void => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.json')) docs[relative(dir, p).split('\\').join('/').replace(/\.json$/, '')] = JSON.parse(readFileSync(p, 'utf8')) as unknown;
    }
  };
  walk(dir);
  return docs;
}

/** v2 ∪ v3 for a version that has both: the v3 documents are what a server of that version serves. */
function mergeV3(v2: SchemaBundle, v3: SchemaBundle, version: string, log: (m: string) => void): SchemaBundle {
  const definitions: Record<string, JsonSchema> = { ...v2.definitions };
  let differing = 0;
  for (const [name, def] of Object.entries(v3.definitions)) {
    if (name in definitions && canonical(definitions[name]) !== canonical(def)) differing++;
    definitions[name] = def;
  }
  const kinds = new Map(v2.kinds.map((k) => [`${gvKey(k.group, k.version)} ${k.kind}`, k]));
  for (const k of v3.kinds) kinds.set(`${gvKey(k.group, k.version)} ${k.kind}`, k);
  log(`  ${version}: OpenAPI v3 documents: ${Object.keys(v3.definitions).length} definitions, ${v3.kinds.length} kinds; ${differing} definitions differ from the v2 conversion`);
  const sorted: Record<string, JsonSchema> = {};
  for (const n of Object.keys(definitions).sort()) sorted[n] = definitions[n] as JsonSchema;
  return { definitions: sorted, kinds: sortKinds([...kinds.values()]) };
}

export async function generateSchemas(opts: GenerateOptions = {}): Promise<Outputs> {
  const shared = opts.shared ?? SHARED;
  const log = opts.log ?? (() => undefined);
  const versions = opts.versions ?? listVersions(shared);
  if (versions.length === 0) throw new Error(`no specs in ${join(shared, 'openapi')}`);
  const outputs: Outputs = new Map();
  const store = new Map<string, JsonSchema>();
  const bundles = new Map<string, SchemaBundle>();
  const specDeprecations = new Map<string, string>();
  const versionIds = new Map<string, string>();
  for (const v of versions) {
    const file = `openapi/kubernetes-v${v}.json`;
    const raw = readFileSync(join(shared, file));
    const doc = JSON.parse(raw.toString('utf8')) as unknown;
    let bundle = convertSwaggerV2(doc);
    const sources = [`${file}@${sha256(raw).slice(0, 16)}`];
    const v3dir = join(shared, 'openapi-v3', `kubernetes-v${v}`);
    if (existsSync(v3dir)) {
      const docs = readV3Documents(v3dir);
      bundle = mergeV3(bundle, convertOpenApiV3(docs), v, log);
      sources.push(`openapi-v3/kubernetes-v${v}/ (${Object.keys(docs).length} documents)`);
    }
    for (const [k, since] of deprecationsInSpec(doc, deprecationFromDescription)) specDeprecations.set(k, since);
    bundles.set(v, bundle);
    const built = buildVersionFile(v, { file: sources.join(' + '), sha256: sha256(raw) }, bundle, store);
    versionIds.set(v, built.file.id);
    outputs.set(`schemas/${versionFileName(v)}`, built.text);
    log(`  ${v}: ${Object.keys(bundle.definitions).length} definitions, ${bundle.kinds.length} kinds`);
  }
  outputs.set('schemas/definitions.json', storeText(store));
  const lifecycle = buildLifecycle(bundles, specDeprecations);
  outputs.set(
    'schemas/api-lifecycle.json',
    `{"format":${lifecycle.format},"kubernetesVersions":${JSON.stringify(lifecycle.kubernetesVersions)},"apis":[\n${lifecycle.apis.map(canonical).join(',\n')}\n]}\n`,
  );
  // Precompiled validators for the default (newest) version: what makes a cold start fast.
  const newest = versions[versions.length - 1] as string;
  const newestBundle = bundles.get(newest) as SchemaBundle;
  const code = generatePrecompiled(
    newestBundle.definitions,
    newestBundle.kinds.map((k) => ({ key: `${gvKey(k.group, k.version)} ${k.kind}`, definition: k.definition })),
    versionIds.get(newest) as string,
  );
  outputs.set(`schemas/${precompiledFileName(newest)}`, code);
  outputs.set('schemas/README.md', readme(versions, newest));
  const index: IndexFile = { format: SCHEMA_FORMAT, defaultKubernetesVersion: newest, kubernetesVersions: versions, files: {} };
  for (const [path, data] of [...outputs].sort(([a], [b]) => (a < b ? -1 : 1))) index.files[path.slice('schemas/'.length)] = sha256(data);
  outputs.set('schemas/index.json', `${JSON.stringify(index, null, 1)}\n`);
  if (opts.types !== false) outputs.set('src/generated/k8s.ts', await generateTypes(newestBundle, newest));
  return outputs;
}

function readme(versions: string[], newest: string): string {
  return `# schemas/ (generated: \`npm run schemas\`; do not edit)

Kubernetes API schemas for kubeplan, converted from the OpenAPI specs in \`../shared/openapi\` (swagger v2,
${versions[0]}–${newest}) and \`../shared/openapi-v3\` by \`scripts/generate-schemas.ts\` with the converters in
\`src/validate/schema/convert.ts\` (the same code converts a live cluster's \`/openapi/v3\` at runtime).

| file | content |
|---|---|
| \`index.json\` | format, supported versions, default version, sha256 of every other file (content, for \`.br\`) |
| \`definitions.json\` | content-addressed store: hash → definition in kubeplan's normal form (descriptions stripped, refs \`#/definitions/<name>\`, int-or-string and Quantity as type unions); shared by all versions |
| \`kubernetes-v1.NN.json\` | per version: definition name → hash, and the table of kinds (group, version, kind, namespaced, definition, list-map keys per list path, schema-closure hash) |
| \`api-lifecycle.json\` | removed and deprecated API versions with replacements (from the specs, the Kubernetes deprecation guide and derived rules) |
| \`compiled/kubernetes-v${newest}.cjs.br\` | ajv standalone code of every built-in kind of the default version (brotli) |

A test (\`src/validate/schema/drift.test.ts\`) regenerates everything and fails when these files differ.
`;
}

// ---------------------------------------------------------------------------------------------------------------
// TypeScript types for the kinds kubeplan's code reads.

const TYPE_KINDS = [
  'apps/v1 Deployment',
  'apps/v1 StatefulSet',
  'apps/v1 DaemonSet',
  'apps/v1 ReplicaSet',
  'batch/v1 Job',
  'batch/v1 CronJob',
  'v1 Pod',
  'v1 Service',
  'networking.k8s.io/v1 Ingress',
  'autoscaling/v2 HorizontalPodAutoscaler',
  'policy/v1 PodDisruptionBudget',
  'networking.k8s.io/v1 NetworkPolicy',
  'v1 ConfigMap',
  'v1 Secret',
  'v1 ServiceAccount',
  'v1 PersistentVolumeClaim',
  'apiextensions.k8s.io/v1 CustomResourceDefinition',
];

/** Names that would shadow globals in the generated module. */
const RESERVED_TYPE_NAMES = new Set(['JSON', 'Object', 'Date', 'Array', 'String', 'Number', 'Boolean', 'Function', 'Error', 'Map', 'Set']);

/** "io.k8s.api.apps.v1.DeploymentSpec" → "DeploymentSpec", qualified ("AutoscalingV1…") only where names collide. */
function typeNames(names: readonly string[]): Map<string, string> {
  const short = (n: string): string => n.slice(n.lastIndexOf('.') + 1);
  const counts = new Map<string, number>();
  for (const n of names) counts.set(short(n), (counts.get(short(n)) ?? 0) + 1);
  const out = new Map<string, string>();
  for (const n of names) {
    const s = short(n);
    if (counts.get(s) === 1 && !RESERVED_TYPE_NAMES.has(s)) {
      out.set(n, s);
      continue;
    }
    const parts = n.split('.');
    const version = parts[parts.length - 2] ?? '';
    const group = parts[parts.length - 3] ?? '';
    const cap = (x: string): string => x.charAt(0).toUpperCase() + x.slice(1);
    out.set(n, `${cap(group)}${cap(version)}${s}`);
  }
  return out;
}

function forTypes(s: JsonSchema, names: ReadonlyMap<string, string>): Record<string, unknown> {
  if (s.$ref) {
    const n = /^#\/definitions\/(.+)$/.exec(s.$ref)?.[1] ?? '';
    return { $ref: `#/definitions/${names.get(n) ?? n}` };
  }
  if (s.if) {
    // The JSONSchemaPropsOr* overrides.
    const then = s.then?.items ? (s.then.items.$ref ? 'JSONSchemaProps[]' : 'string[]') : 'boolean';
    return { tsType: `${then} | JSONSchemaProps` };
  }
  const out: Record<string, unknown> = {};
  if (s.type !== undefined) out.type = s.type;
  if (s.enum !== undefined) out.enum = s.enum;
  if (s.required !== undefined) out.required = s.required;
  if (s.properties) out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, forTypes(v, names)]));
  if (s.items) out.items = forTypes(s.items, names);
  if (typeof s.additionalProperties === 'object') out.additionalProperties = forTypes(s.additionalProperties, names);
  if (s.type === undefined && s.properties === undefined && s.$ref === undefined) out.tsType = 'unknown';
  if (s.type === 'object' && !s.properties && s.additionalProperties === undefined) out.tsType = 'Record<string, unknown>';
  return out;
}

async function generateTypes(bundle: SchemaBundle, version: string): Promise<string> {
  const kinds = TYPE_KINDS.map((key) => {
    const k = bundle.kinds.find((x) => `${gvKey(x.group, x.version)} ${x.kind}` === key);
    if (!k) throw new Error(`no kind ${key} in Kubernetes ${version}`);
    return k;
  });
  const closure = reachableDefinitions(
    bundle.definitions,
    kinds.map((k) => k.definition),
  );
  const names = typeNames(closure);
  const definitions: Record<string, unknown> = {};
  for (const n of closure) definitions[names.get(n) as string] = { ...forTypes(bundle.definitions[n] as JsonSchema, names), title: names.get(n) };
  // A root whose properties reference every kind, so json-schema-to-typescript emits them and their closure.
  const root = {
    title: 'KindTypes',
    type: 'object',
    properties: Object.fromEntries(kinds.map((k) => [`${gvKey(k.group, k.version)} ${k.kind}`, { $ref: `#/definitions/${names.get(k.definition) as string}` }])),
    required: kinds.map((k) => `${gvKey(k.group, k.version)} ${k.kind}`),
    additionalProperties: false,
    definitions,
  };
  const body = await compileTs(root as never, 'KindTypes', {
    bannerComment: `// Generated by \`npm run schemas\` (scripts/generate-schemas.ts) from the Kubernetes ${version} OpenAPI spec. Do not edit.\n// Types of the kinds kubeplan reads; int-or-string fields are \`number | string\`, quantities \`string | number\`.`,
    additionalProperties: false,
    unreachableDefinitions: true,
    strictIndexSignatures: true,
    unknownAny: true,
    format: true,
    style: { printWidth: 120, singleQuote: true },
  });
  const union = kinds.map((k) => `  | ${names.get(k.definition) as string}`).join('\n');
  return `${body}\n/** Any of the kinds above. */\nexport type KubernetesObject =\n${union};\n`;
}

// ---------------------------------------------------------------------------------------------------------------

export function writeOutputs(outputs: Outputs): void {
  // Remove stale files under schemas/ that this run did not produce.
  const produced = new Set([...outputs.keys()].map((p) => join(ROOT, p)));
  const sweep = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) sweep(p);
      else if (!produced.has(p)) rmSync(p);
    }
  };
  sweep(SCHEMAS);
  for (const [path, data] of outputs) {
    const abs = join(ROOT, path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, encode(path, data));
  }
}

/** Paths whose committed content differs from `outputs` (or that are missing / stale). */
export function drift(outputs: Outputs): string[] {
  const problems: string[] = [];
  for (const [path, data] of outputs) {
    const abs = join(ROOT, path);
    if (!existsSync(abs)) {
      problems.push(`${path}: missing`);
      continue;
    }
    if (committedContent(path, readFileSync(abs)) !== data) problems.push(`${path}: differs from the generator's output`);
  }
  const produced = new Set(outputs.keys());
  const sweep = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) sweep(p);
      else if (!produced.has(relative(ROOT, p).split('\\').join('/'))) problems.push(`${relative(ROOT, p)}: not produced by the generator`);
    }
  };
  sweep(SCHEMAS);
  return problems;
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  if (!existsSync(join(SHARED, 'openapi'))) {
    process.stderr.write(`generate-schemas: ${join(SHARED, 'openapi')} not found; the specs live in ../shared\n`);
    process.exit(2);
  }
  const t0 = performance.now();
  const outputs = await generateSchemas({ log: (m) => process.stderr.write(`${m}\n`) });
  if (check) {
    const problems = drift(outputs);
    if (problems.length > 0) {
      process.stderr.write(`schemas are out of date (run npm run schemas):\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
      process.exit(1);
    }
    process.stderr.write('schemas are up to date\n');
    return;
  }
  writeOutputs(outputs);
  let total = 0;
  for (const [path, data] of outputs) {
    const size = encode(path, data).length;
    total += size;
    process.stderr.write(`  wrote ${path} (${(size / 1024).toFixed(0)} KiB)\n`);
  }
  process.stderr.write(`generated ${outputs.size} files, ${(total / 1024).toFixed(0)} KiB, in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`generate-schemas: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
