// Containers of a pod spec, with their JSON paths: src/k8s/pod-specs.ts enumerates them; this adds the names
// and the native-sidecar flag the cross-object rules need.
import { getString } from '../core/objects.ts';
import type { JsonObject, JsonPath } from '../core/types.ts';
import { containersOf as k8sContainersOf, type ContainerList } from '../k8s/pod-specs.ts';

export type ContainerGroup = ContainerList;

export interface ContainerRef {
  container: JsonObject;
  /** Path of the container object inside the manifest. */
  path: JsonPath;
  group: ContainerGroup;
  name: string;
  /** A native sidecar: an init container with `restartPolicy: Always`; it keeps running and serves ports. */
  sidecar: boolean;
}

/** Containers of the given lists (all by default), in the API server's order: regular, init, ephemeral. */
export function containersOf(spec: JsonObject | undefined, specPath: JsonPath, groups: readonly ContainerGroup[] = ['containers', 'initContainers', 'ephemeralContainers']): ContainerRef[] {
  if (!spec) return [];
  return k8sContainersOf({ spec, path: specPath })
    .filter((c) => groups.includes(c.list))
    .map((c) => ({
      container: c.container,
      path: c.path,
      group: c.list,
      name: getString(c.container, 'name') ?? `#${c.index}`,
      sidecar: c.list === 'initContainers' && getString(c.container, 'restartPolicy') === 'Always',
    }));
}

/** Containers that run for the pod's lifetime and can serve traffic: regular containers and native sidecars. */
export function servingContainers(spec: JsonObject | undefined, specPath: JsonPath): ContainerRef[] {
  return containersOf(spec, specPath, ['containers', 'initContainers']).filter((c) => c.group === 'containers' || c.sidecar);
}

/** `container "app"`, `init container "migrate"` — for messages. */
export function containerLabel(c: ContainerRef): string {
  return `${c.group === 'containers' ? 'container' : c.group === 'initContainers' ? 'init container' : 'ephemeral container'} "${c.name}"`;
}
