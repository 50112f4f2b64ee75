// What the graph learns from kustomization.yaml files in the input (without rendering them):
// the `namespace:` they give to the files they list, and the ConfigMaps/Secrets their generators produce.
import { posix } from 'node:path';
import { getArray, getString, groupOf, isObject } from '../core/objects.ts';
import type { Manifest } from '../core/types.ts';

export interface Kustomization {
  manifest: Manifest;
  /** Directory of the kustomization file (display path, POSIX). */
  dir: string;
  namespace?: string;
  /** Local files listed in resources (normalized display paths). */
  resourceFiles: string[];
  /** Local directories listed in resources. */
  resourceDirs: string[];
  configMapGenerators: GeneratedObject[];
  secretGenerators: GeneratedObject[];
}

export interface GeneratedObject {
  name: string;
  /** Explicit generator namespace, else the kustomization's. */
  namespace?: string;
  /** Keys the generator produces, when they can be read off `literals`, `files` and `envs` names (envs: unknown). */
  keys?: string[];
  path: (string | number)[];
}

export function isKustomization(m: Manifest): boolean {
  const apiVersion = getString(m.object, 'apiVersion') ?? '';
  const kind = getString(m.object, 'kind');
  return (kind === 'Kustomization' || kind === 'Component') && groupOf(apiVersion) === 'kustomize.config.k8s.io';
}

const REMOTE = /^[a-z]+:\/\/|^(github\.com|gitlab\.com|bitbucket\.org)\/|^git@|\?ref=|\.git(\/|$)/;

export function readKustomization(m: Manifest): Kustomization {
  const dir = posix.dirname(m.file.replace(/\\/g, '/'));
  const namespace = getString(m.object, 'namespace');
  const resourceFiles: string[] = [];
  const resourceDirs: string[] = [];
  for (const field of ['resources', 'bases', 'components']) {
    for (const entry of getArray(m.object, field) ?? []) {
      if (typeof entry !== 'string' || REMOTE.test(entry)) continue;
      const p = posix.normalize(posix.join(dir, entry)).replace(/\/$/, '');
      if (/\.(ya?ml|json)$/i.test(p)) resourceFiles.push(p);
      else resourceDirs.push(p);
    }
  }
  const generators = (field: string): GeneratedObject[] =>
    (getArray(m.object, field) ?? []).flatMap((g, i) => {
      if (!isObject(g)) return [];
      const name = getString(g, 'name');
      if (name === undefined) return [];
      const ns = getString(g, 'namespace') ?? namespace;
      const keys: string[] = [];
      let keysKnown = true;
      for (const lit of getArray(g, 'literals') ?? []) if (typeof lit === 'string') keys.push(lit.split('=')[0] ?? '');
      for (const f of getArray(g, 'files') ?? []) if (typeof f === 'string') keys.push(f.includes('=') ? (f.split('=')[0] ?? '') : posix.basename(f));
      if ((getArray(g, 'envs') ?? []).length > 0 || getString(g, 'env') !== undefined) keysKnown = false;
      const behavior = getString(g, 'behavior');
      if (behavior === 'merge' || behavior === 'replace') keysKnown = false;
      const out: GeneratedObject = { name, path: [field, i] };
      if (ns !== undefined) out.namespace = ns;
      if (keysKnown) out.keys = keys;
      return [out];
    });
  const k: Kustomization = { manifest: m, dir, resourceFiles, resourceDirs, configMapGenerators: generators('configMapGenerator'), secretGenerators: generators('secretGenerator') };
  if (namespace !== undefined) k.namespace = namespace;
  return k;
}

export interface KustomizeNamespace {
  namespace: string;
  /** The kustomization file that set it. */
  origin: string;
}

/**
 * The namespace a kustomization gives a file: from a kustomization in the file's own directory, or one that lists the
 * file (or a directory above it) in its resources. When several kustomizations disagree (a base shared by overlays
 * with different namespaces) there is no single answer, and undefined is returned.
 */
export function kustomizeNamespaceResolver(kustomizations: readonly Kustomization[]): (file: string) => KustomizeNamespace | undefined {
  const withNs = kustomizations.filter((k) => k.namespace !== undefined);
  const cache = new Map<string, KustomizeNamespace | undefined>();
  return (file) => {
    const f = posix.normalize(file.replace(/\\/g, '/'));
    if (cache.has(f)) return cache.get(f);
    const dir = posix.dirname(f);
    const sameDir = withNs.find((k) => k.dir === dir);
    let result: KustomizeNamespace | undefined;
    if (sameDir) {
      result = { namespace: sameDir.namespace as string, origin: sameDir.manifest.file };
    } else {
      const including = withNs.filter((k) => k.resourceFiles.includes(f) || k.resourceDirs.some((d) => f.startsWith(`${d}/`)));
      const namespaces = new Set(including.map((k) => k.namespace));
      const first = including[0];
      if (namespaces.size === 1 && first) result = { namespace: first.namespace as string, origin: first.manifest.file };
    }
    cache.set(f, result);
    return result;
  };
}
