// Where pod specs live inside the built-in kinds, so rules about containers, volumes and ports are written
// once and run on Pods, workload templates and CronJob job templates alike.
import { getArray, getObject, getString, groupOf, isObject } from '../core/objects.ts';
import type { JsonObject, JsonPath, JsonValue } from '../core/types.ts';
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

export interface ContainerLocation {
  container: JsonObject;
  /** JSON path of the container inside the object. */
  path: JsonPath;
  list: ContainerList;
  index: number;
}

/** Containers of a pod spec in the order the API server validates them: regular, init, ephemeral. */
export function containersOf(pod: Pick<PodSpecLocation, 'spec' | 'path'>): ContainerLocation[] {
  const out: ContainerLocation[] = [];
  for (const list of ['containers', 'initContainers', 'ephemeralContainers'] as const) {
    getArray(pod.spec, list)?.forEach((c, index) => {
      if (isObject(c)) out.push({ container: c, path: [...pod.path, list, index], list, index });
    });
  }
  return out;
}

/** The value at a path of keys and indexes, or undefined. */
export function valueAt(root: JsonValue, path: JsonPath): JsonValue | undefined {
  let cur: JsonValue | undefined = root;
  for (const seg of path) {
    if (cur === undefined) return undefined;
    if (typeof seg === 'number') cur = Array.isArray(cur) ? cur[seg] : undefined;
    else cur = isObject(cur) ? cur[seg] : undefined;
  }
  return cur;
}
