// npm run schemas:kubeconform -- <outDir> [--kubernetes-version 1.36] [--crd <file or dir>...]
//
// Writes kubeplan's schemas in kubeconform's file layout, so kubeconform can validate offline against exactly the
// schemas kubeplan uses (the benchmark compares the two on equal terms):
//
//   <outDir>/v1.36.0-standalone-strict/deployment-apps-v1.json     unknown fields rejected (kubeconform -strict)
//   <outDir>/v1.36.0-standalone/deployment-apps-v1.json            unknown fields allowed
//   <outDir>/crds/prometheus_v1.json                               one per served version of each --crd CRD (strict)
//
// Use with:
//   kubeconform -strict -kubernetes-version 1.36.0 \
//     -schema-location '<outDir>/{{.NormalizedKubernetesVersion}}-standalone{{.StrictSuffix}}/{{.ResourceKind}}{{.KindSuffix}}.json' \
//     -schema-location '<outDir>/crds/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json' manifests/
//
// File names follow kubeconform's template variables (pkg/registry/registry.go): ResourceKind is the lower-cased kind,
// KindSuffix is "-" + the first DNS label of the group + "-" + the version ("-apps-v1", "-rbac-v1"; core: "-v1").
// Like kubeconform's own registry, two groups that share a first label would map to one file; the export refuses to
// write such a collision silently and keeps the more common group's kind. Each file is self-contained: the kind's
// schema plus every definition it references under "definitions", draft-07 ("$schema" set, so kubeconform does not
// fall back to draft-04, which would ignore the if/then/else kubeplan uses for JSONSchemaPropsOr* values).

import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseSource } from '../src/manifests/parse.ts';
import { reachableDefinitions } from '../src/validate/schema/convert.ts';
import { isCrd, readCrd } from '../src/validate/schema/crd.ts';
import { decorate, decorateDefinitions } from '../src/validate/schema/decorate.ts';
import { defaultKubernetesVersion, supportedKubernetesVersions } from '../src/validate/schema/index.ts';
import { committedSource, normalizeVersion } from '../src/validate/schema/source.ts';
import type { JsonSchema } from '../src/validate/schema/types.ts';

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

/** kubeconform's `{{.ResourceKind}}{{.KindSuffix}}` for an apiVersion and kind. */
export function kubeconformFileName(apiVersion: string, kind: string): string {
  const parts = apiVersion.split('/');
  const firstLabel = (parts[0] ?? '').split('.')[0] ?? '';
  let suffix = `-${firstLabel.toLowerCase()}`;
  if (parts.length > 1) suffix += `-${(parts[1] ?? '').toLowerCase()}`;
  return `${kind.toLowerCase()}${suffix}.json`;
}

/** Remove the `additionalProperties: false` kubeplan adds, for kubeconform's non-strict directory. */
function openObjects(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(openObjects);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'additionalProperties' && v === false) continue;
      out[k] = openObjects(v);
    }
    return out;
  }
  return value;
}

function standalone(root: JsonSchema, definitions: Readonly<Record<string, JsonSchema>>, refs: Iterable<string>): Record<string, unknown> {
  const defs: Record<string, JsonSchema> = {};
  for (const n of reachableDefinitions(definitions, refs)) defs[n] = definitions[n] as JsonSchema;
  return { $schema: DRAFT_07, ...root, definitions: defs };
}

const refsIn = (s: unknown): string[] => [...JSON.stringify(s).matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)].map((m) => m[1] as string);

function collectFiles(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    if (statSync(p).isDirectory()) {
      for (const f of readdirSync(p).sort()) walk(join(p, f));
    } else if (/\.(ya?ml|json)$/i.test(p)) out.push(p);
  };
  for (const p of paths) walk(resolve(p));
  return out;
}

export interface ExportResult {
  builtinFiles: number;
  crdFiles: number;
  collisions: string[];
}

export function exportKubeconformSchemas(outDir: string, kubernetesVersion: string, crdPaths: string[]): ExportResult {
  const source = committedSource(kubernetesVersion);
  const normal = source.definitions();
  const decorated = decorateDefinitions(normal);
  const strictDir = join(outDir, `v${kubernetesVersion}.0-standalone-strict`);
  const looseDir = join(outDir, `v${kubernetesVersion}.0-standalone`);
  mkdirSync(strictDir, { recursive: true });
  mkdirSync(looseDir, { recursive: true });
  const collisions: string[] = [];
  const written = new Map<string, string>();
  // Most common groups first, so a collision keeps e.g. networking.k8s.io over a rarer group.
  const kinds = [...source.kinds].sort((a, b) => Number(a.version.includes('alpha')) - Number(b.version.includes('alpha')) || Number(a.version.includes('beta')) - Number(b.version.includes('beta')));
  for (const k of kinds) {
    const apiVersion = k.group === '' ? k.version : `${k.group}/${k.version}`;
    const name = kubeconformFileName(apiVersion, k.kind);
    const prev = written.get(name);
    if (prev !== undefined) {
      collisions.push(`${name}: ${prev} and ${apiVersion} ${k.kind} (kept the first)`);
      continue;
    }
    written.set(name, `${apiVersion} ${k.kind}`);
    const root: JsonSchema = { allOf: [{ $ref: `#/definitions/${k.definition}` }] };
    const strict = standalone(root, decorated, [k.definition]);
    writeFileSync(join(strictDir, name), JSON.stringify(strict));
    writeFileSync(join(looseDir, name), JSON.stringify(openObjects(strict)));
    // kubeconform expands `kind: List` but not `kind: ConfigMapList`; kubeplan's parser expands both. Give
    // kubeconform the *List schemas so it validates the items too instead of reporting "could not find schema".
    const listDef = `${k.definition}List`;
    const listName = kubeconformFileName(apiVersion, `${k.kind}List`);
    if (decorated[listDef] !== undefined && !written.has(listName)) {
      written.set(listName, `${apiVersion} ${k.kind}List`);
      const list = standalone({ allOf: [{ $ref: `#/definitions/${listDef}` }] }, decorated, [listDef]);
      writeFileSync(join(strictDir, listName), JSON.stringify(list));
      writeFileSync(join(looseDir, listName), JSON.stringify(openObjects(list)));
    }
  }
  let crdFiles = 0;
  if (crdPaths.length > 0) {
    const crdDir = join(outDir, 'crds');
    mkdirSync(crdDir, { recursive: true });
    const lookup = (ref: string): JsonSchema | undefined => normal[/^#\/definitions\/(.+)$/.exec(ref)?.[1] ?? ''];
    for (const file of collectFiles(crdPaths)) {
      const { manifests } = parseSource({ path: relative(process.cwd(), file), bytes: readFileSync(file) });
      for (const m of manifests.filter(isCrd)) {
        for (const k of readCrd(m).kinds) {
          const root = decorate(k.schema, 'crd', false, lookup);
          writeFileSync(join(crdDir, `${k.kind.toLowerCase()}_${k.version.toLowerCase()}.json`), JSON.stringify(standalone(root, decorated, refsIn(root))));
          crdFiles++;
        }
      }
    }
  }
  return { builtinFiles: written.size, crdFiles, collisions };
}

function main(): void {
  const args = process.argv.slice(2);
  let outDir: string | undefined;
  let version = defaultKubernetesVersion;
  const crds: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--kubernetes-version' || a === '-k') {
      const v = normalizeVersion(args[++i] ?? '');
      if (v === undefined || !supportedKubernetesVersions.includes(v)) {
        process.stderr.write(`unsupported Kubernetes version ${args[i] ?? ''}; supported: ${supportedKubernetesVersions.join(', ')}\n`);
        process.exit(2);
      }
      version = v;
    } else if (a === '--crd') {
      while (args[i + 1] !== undefined && !(args[i + 1] as string).startsWith('--')) crds.push(args[++i] as string);
    } else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: export-kubeconform-schemas <outDir> [--kubernetes-version 1.36] [--crd <file or dir>...]\n');
      return;
    } else if (outDir === undefined) outDir = a;
    else {
      process.stderr.write(`unexpected argument ${a}\n`);
      process.exit(2);
    }
  }
  if (outDir === undefined) {
    process.stderr.write('usage: export-kubeconform-schemas <outDir> [--kubernetes-version 1.36] [--crd <file or dir>...]\n');
    process.exit(2);
  }
  const r = exportKubeconformSchemas(resolve(outDir), version, crds);
  for (const c of r.collisions) process.stderr.write(`note: kubeconform file-name collision ${c}\n`);
  process.stderr.write(`wrote ${r.builtinFiles} built-in kind and list schemas (strict and non-strict) for Kubernetes ${version} and ${r.crdFiles} CRD schemas to ${resolve(outDir)}\n`);
}

if (process.argv[1] !== undefined && /export-kubeconform-schemas\.[cm]?[jt]s$/.test(process.argv[1])) main();
