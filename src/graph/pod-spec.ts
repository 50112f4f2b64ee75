// A small walker over a PodSpec: its containers with their JSON paths.
// (src/k8s/pod-specs.ts, owned by another engineer, yields pod specs per workload kind; the graph finds
// templates itself because it also needs selectors, runtime labels and configured CRD adapters.)
import { getArray, getString, isObject } from '../core/objects.ts';
import type { JsonObject, JsonPath } from '../core/types.ts';

export type ContainerGroup = 'containers' | 'initContainers' | 'ephemeralContainers';

export interface ContainerRef {
  container: JsonObject;
  /** Path of the container object inside the manifest. */
  path: JsonPath;
  group: ContainerGroup;
  name: string;
  /** A native sidecar: an init container with `restartPolicy: Always`; it keeps running and serves ports. */
  sidecar: boolean;
}

export function containersOf(spec: JsonObject | undefined, specPath: JsonPath, groups: readonly ContainerGroup[] = ['initContainers', 'containers', 'ephemeralContainers']): ContainerRef[] {
  const out: ContainerRef[] = [];
  if (!spec) return out;
  for (const group of groups) {
    const list = getArray(spec, group);
    if (!list) continue;
    list.forEach((c, i) => {
      if (!isObject(c)) return;
      out.push({ container: c, path: [...specPath, group, i], group, name: getString(c, 'name') ?? `#${i}`, sidecar: group === 'initContainers' && getString(c, 'restartPolicy') === 'Always' });
    });
  }
  return out;
}

/** Containers that run for the pod's lifetime and can serve traffic: regular containers and native sidecars. */
export function servingContainers(spec: JsonObject | undefined, specPath: JsonPath): ContainerRef[] {
  return containersOf(spec, specPath, ['initContainers', 'containers']).filter((c) => c.group === 'containers' || c.sidecar);
}

/** `spec.containers[2]` style, for messages. */
export function containerLabel(c: ContainerRef): string {
  return `${c.group === 'containers' ? 'container' : c.group === 'initContainers' ? 'init container' : 'ephemeral container'} "${c.name}"`;
}
