// The committed `schemas/` folder: its file formats, how the generator builds it and how the runtime reads it.
//
//   schemas/index.json                  format, versions, default version, sha256 of every other file
//   schemas/definitions.json            content-addressed store: hash → normal-form definition, shared by all versions
//   schemas/kubernetes-v1.NN.json       one per version: definition name → hash, and the table of kinds
//   schemas/api-lifecycle.json          removed / deprecated API versions with replacements (lifecycle.ts)
//   schemas/compiled/…                  precompiled validators for the default version (compiler.ts)
//
// Files are JSON with one entry per line, so a regeneration shows up as a readable diff.

import { createHash } from 'node:crypto';
import { reachableDefinitions } from './convert.ts';
import type { JsonSchema, KindEntry, SchemaBundle } from './types.ts';

export const SCHEMA_FORMAT = 1;

export interface StoredKind extends KindEntry {
  /** Hash of the kind's schema closure (its definition and everything it references): keys compiled-validator caches. */
  schemaHash: string;
}

export interface VersionFile {
  format: number;
  kubernetesVersion: string;
  /** Which spec this was generated from. */
  source: { file: string; sha256: string };
  /** Content id of this version's schemas (definitions and kinds). */
  id: string;
  definitions: Record<string, string>;
  kinds: StoredKind[];
}

export interface IndexFile {
  format: number;
  defaultKubernetesVersion: string;
  kubernetesVersions: string[];
  /** sha256 of every generated file (relative to schemas/), written last: the drift test compares them. */
  files: Record<string, string>;
}

/** JSON with object keys sorted at every level: the form that is hashed and stored. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const sha256 = (text: string | Uint8Array): string => createHash('sha256').update(text).digest('hex');
export const contentHash = (value: unknown): string => sha256(canonical(value)).slice(0, 20);

/** `{` + one `"key": value` per line + `}`: diffable, still plain JSON. */
export function jsonPerLine(record: Record<string, unknown>): string {
  const keys = Object.keys(record);
  if (keys.length === 0) return '{}\n';
  return `{\n${keys.map((k) => `${JSON.stringify(k)}:${canonical(record[k])}`).join(',\n')}\n}\n`;
}

function jsonArrayPerLine(items: unknown[]): string {
  return items.length === 0 ? '[]' : `[\n${items.map(canonical).join(',\n')}\n]`;
}

/** Hash of a set of named definitions: what a compiled validator for them depends on. */
export function closureHash(names: readonly string[], hashOf: (name: string) => string | undefined): string {
  return sha256(names.map((n) => `${n}=${hashOf(n) ?? '?'}`).join('\n')).slice(0, 20);
}

export function kindSchemaHash(bundle: SchemaBundle, definition: string, hashOf: (name: string) => string | undefined): string {
  return closureHash(reachableDefinitions(bundle.definitions, [definition]), hashOf);
}

export interface BuiltVersion {
  file: VersionFile;
  text: string;
}

/** Build one version's file and add its definitions to the shared store. */
export function buildVersionFile(kubernetesVersion: string, source: VersionFile['source'], bundle: SchemaBundle, store: Map<string, JsonSchema>): BuiltVersion {
  const names: Record<string, string> = {};
  for (const name of Object.keys(bundle.definitions).sort()) {
    const def = bundle.definitions[name] as JsonSchema;
    const h = contentHash(def);
    const prev = store.get(h);
    if (prev !== undefined && canonical(prev) !== canonical(def)) throw new Error(`hash collision on ${h}`);
    store.set(h, JSON.parse(canonical(def)) as JsonSchema);
    names[name] = h;
  }
  const hashOf = (n: string): string | undefined => names[n];
  const kinds: StoredKind[] = bundle.kinds.map((k) => ({ ...k, schemaHash: kindSchemaHash(bundle, k.definition, hashOf) }));
  const id = sha256(canonical({ names, kinds })).slice(0, 20);
  const file: VersionFile = { format: SCHEMA_FORMAT, kubernetesVersion, source, id, definitions: names, kinds };
  const text =
    `{"format":${SCHEMA_FORMAT},"kubernetesVersion":${JSON.stringify(kubernetesVersion)},"source":${canonical(source)},"id":${JSON.stringify(id)},\n` +
    `"definitions":${jsonPerLine(names).trimEnd()},\n` +
    `"kinds":${jsonArrayPerLine(kinds)}\n}\n`;
  return { file, text };
}

export function storeText(store: ReadonlyMap<string, JsonSchema>): string {
  const sorted: Record<string, JsonSchema> = {};
  for (const h of [...store.keys()].sort()) sorted[h] = store.get(h) as JsonSchema;
  return jsonPerLine(sorted);
}

/** Rebuild a version's bundle from its file and the shared store. */
export function bundleFromFiles(version: VersionFile, store: Readonly<Record<string, JsonSchema>>): SchemaBundle {
  const definitions: Record<string, JsonSchema> = {};
  for (const [name, h] of Object.entries(version.definitions)) {
    const def = store[h];
    if (def === undefined) throw new Error(`schemas/definitions.json has no definition ${h} (${name}) for Kubernetes ${version.kubernetesVersion}; run npm run schemas`);
    definitions[name] = def;
  }
  return { definitions, kinds: version.kinds };
}

export const versionFileName = (v: string): string => `kubernetes-v${v}.json`;
