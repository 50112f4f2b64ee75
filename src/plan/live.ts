// Live sources that need no cluster: a snapshot (`--live PATH`: files or directories of
// `kubectl get -o yaml|json` output, Lists or multi-document) and another git ref (`--live-ref REV`:
// the manifests at REV play the live state, for "what would this PR change" reviews).
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isObject } from '../core/objects.ts';
import { parseSource } from '../manifests/parse.ts';
import { loadManifests } from '../sources/index.ts';
import type { LiveObject, LiveSource } from './types.ts';

const MANIFEST_EXT = /\.(ya?ml|json)$/i;

async function walk(p: string, out: string[]): Promise<void> {
  const s = await stat(p);
  if (s.isDirectory()) {
    const entries = (await readdir(p)).sort();
    for (const e of entries) {
      if (e.startsWith('.')) continue;
      const child = path.join(p, e);
      const cs = await stat(child);
      if (cs.isDirectory() || MANIFEST_EXT.test(e)) await walk(child, out);
    }
  } else out.push(p);
}

/** Objects of `kubectl get -o yaml|json` output: Lists expanded, Status/empty documents skipped. */
export function liveObjectsOfText(file: string, bytes: Uint8Array): { objects: LiveObject[]; notes: string[] } {
  const r = parseSource({ path: file, bytes });
  const notes = r.findings.map((f) => `${f.file}:${f.line}: ${f.message}`);
  const objects: LiveObject[] = [];
  for (const m of r.manifests) {
    const o = m.object;
    if (o.kind === 'Status' || !isObject(o.metadata) || typeof o.metadata.name !== 'string') continue;
    objects.push({ object: o, source: file });
  }
  return { objects, notes };
}

/** `--live PATH…`: every .yaml/.yml/.json file under the paths. */
export async function loadLiveSnapshot(paths: string[]): Promise<LiveSource> {
  const files: string[] = [];
  for (const p of paths) await walk(p, files);
  const objects: LiveObject[] = [];
  const notes: string[] = [];
  for (const f of files) {
    const display = f.split(path.sep).join('/');
    const r = liveObjectsOfText(display, await readFile(f));
    objects.push(...r.objects);
    notes.push(...r.notes);
  }
  return { kind: 'snapshot', description: `snapshot ${paths.join(', ')}`, objects, notes };
}

/**
 * `--live-ref REV`: the manifests at a git revision (read through src/sources), as the "live" side.
 * Objects there carry no server fields, so the plan is the repo diff between REV and the working
 * tree, keyed and normalized. `paths` are repo-relative directories, files or globs (default: all).
 */
export async function loadLiveFromGitRef(rev: string, options: { repoDir?: string; paths?: string[] } = {}): Promise<LiveSource> {
  const loaded = await loadManifests({ kind: 'git-ref', repo: options.repoDir ?? '.', ref: rev, ...(options.paths ? { paths: options.paths } : {}) });
  if (!loaded.ok) throw new Error(`--live-ref ${rev}: ${loaded.error}`);
  const objects: LiveObject[] = [];
  for (const m of loaded.manifests) {
    if (!isObject(m.object.metadata) || typeof m.object.metadata.name !== 'string') continue;
    objects.push({ object: m.object, source: `git:${rev}:${m.file}` });
  }
  const notes = loaded.findings.map((f) => `${f.file}:${f.line}: ${f.message}`);
  return { kind: 'git-ref', description: `git ref ${rev}`, objects, notes };
}
