// Where pod specs live inside the built-in kinds (src/k8s/kinds.ts) and the containers inside a pod spec, so rules
// about containers, volumes and ports are written once and run on Pods, workload templates and CronJob job
// templates alike: the API-server rules walk objects with podSpecsOf, the graph's rules walk its pod templates.
import { getArray, getObject, getString, groupOf, isObject, valueAt } from '../core/objects.ts';
import type { JsonObject, JsonPath } from '../core/types.ts';
import { POD_TEMPLATE_KINDS, podTemplateKind } from './kinds.ts';

export interface PodSpecLocation {
  /** Kind of the object that holds the spec ("Pod", "Deployment", "CronJob", …). */
  kind: string;
  /** The pod spec. */
  spec: JsonObject;
  /** JSON path of the pod spec inside the object, e.g. ["spec", "template", "spec"]. */
  path: JsonPath;
  /** The metadata that belongs to the pods: the Pod's own, or the template's (undefined when absent). */
  metadata: JsonObject | undefined;
  /** JSON path of that metadata (it may be missing from the text). */
  metadataPath: JsonPath;
  /** False for a Pod; true for a template the API server validates as PodTemplateSpec (a few checks differ). */
  isTemplate: boolean;
}

/** The kinds whose objects carry a pod spec (Pod, PodTemplate, ReplicationController, apps workloads, Job, CronJob). */
export const POD_SPEC_KINDS: readonly string[] = [...new Set(POD_TEMPLATE_KINDS.map((k) => k.kind))];

/** JSON path of the pod template for a kind and apiVersion, or undefined for kinds without one. */
export function podTemplatePath(apiVersion: string, kind: string): JsonPath | undefined {
  const k = podTemplateKind(groupOf(apiVersion), kind);
  return k === undefined ? undefined : [...k.templatePath];
}

/** Every pod spec in an object (zero or one for the built-in kinds), with its path. */
export function podSpecsOf(object: JsonObject): PodSpecLocation[] {
  const kind = getString(object, 'kind');
  const apiVersion = getString(object, 'apiVersion');
  if (kind === undefined || apiVersion === undefined) return [];
  const templatePath = podTemplatePath(apiVersion, kind);
  if (templatePath === undefined) return [];
  const template = valueAt(object, templatePath);
  if (!isObject(template)) return [];
  const spec = getObject(template, 'spec');
  if (spec === undefined) return [];
  return [
    {
      kind,
      spec,
      path: [...templatePath, 'spec'],
      metadata: getObject(template, 'metadata'),
      metadataPath: [...templatePath, 'metadata'],
      isTemplate: kind !== 'Pod',
    },
  ];
}

export type ContainerList = 'initContainers' | 'containers' | 'ephemeralContainers';

/** The container lists of a pod spec, in the order the API server validates them: regular, init, ephemeral. */
export const CONTAINER_LISTS: readonly ContainerList[] = ['containers', 'initContainers', 'ephemeralContainers'];

export interface ContainerLocation {
  container: JsonObject;
  /** JSON path of the container inside the object. */
  path: JsonPath;
  list: ContainerList;
  index: number;
  /** The container's name, or `#index` when it has none. */
  name: string;
  /** A native sidecar: an init container with `restartPolicy: Always`; it keeps running, serves ports, and the API server validates its probes and lifecycle like a regular container's. */
  sidecar: boolean;
}

/** Where a pod spec is: a PodSpecLocation, or a graph pod template's spec (absent when the template has none). */
export interface PodSpecRef {
  readonly spec: JsonObject | undefined;
  readonly path: JsonPath;
}

/** Containers of the given lists (all by default) of a pod spec, in the order the API server validates them: regular, init, ephemeral. */
export function containersOf(pod: PodSpecRef, lists: readonly ContainerList[] = CONTAINER_LISTS): ContainerLocation[] {
  const out: ContainerLocation[] = [];
  for (const list of CONTAINER_LISTS) {
    if (!lists.includes(list)) continue;
    getArray(pod.spec, list)?.forEach((c, index) => {
      if (!isObject(c)) return;
      const name = getString(c, 'name') ?? `#${index}`;
      out.push({ container: c, path: [...pod.path, list, index], list, index, name, sidecar: list === 'initContainers' && getString(c, 'restartPolicy') === 'Always' });
    });
  }
  return out;
}

/** Containers that run for the pod's lifetime and can serve traffic: regular containers and native sidecars. */
export function servingContainers(pod: PodSpecRef): ContainerLocation[] {
  return containersOf(pod, ['containers', 'initContainers']).filter((c) => c.list === 'containers' || c.sidecar);
}

/** `container "app"`, `init container "migrate"` — for messages. */
export function containerLabel(c: Pick<ContainerLocation, 'list' | 'name'>): string {
  return `${c.list === 'containers' ? 'container' : c.list === 'initContainers' ? 'init container' : 'ephemeral container'} "${c.name}"`;
}
