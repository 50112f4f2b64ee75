import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where kubeplan keeps its caches (compiled validators, parsed git blobs, a cluster's OpenAPI documents):
 * $KUBEPLAN_CACHE_DIR, else $XDG_CACHE_HOME/kubeplan, else ~/.cache/kubeplan. KUBEPLAN_CACHE_DIR=off (or 0, false)
 * turns every cache off: false.
 */
export function kubeplanCacheDir(env: NodeJS.ProcessEnv = process.env): string | false {
  const dir = env.KUBEPLAN_CACHE_DIR;
  if (dir === 'off' || dir === '0' || dir === 'false') return false;
  if (dir) return dir;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'kubeplan');
}
