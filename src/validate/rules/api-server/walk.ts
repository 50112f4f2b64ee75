// Traversals shared by several API-server rules: containers of every pod spec, and the handlers of probes
// and lifecycle hooks.
import { getObject, isObject } from '../../../core/objects.ts';
import type { JsonObject } from '../../../core/types.ts';
import { type ContainerLocation, containersOf, type PodSpecLocation, podSpecsOf } from '../../../k8s/pod-specs.ts';
import { FieldPath } from './field.ts';
import type { ObjectInfo } from './util.ts';

export interface ContainerSite extends ContainerLocation {
  pod: PodSpecLocation;
  /** FieldPath of the container (`spec.template.spec.containers[0]`). */
  at: FieldPath;
}

/** Sites per object, shared by the dozen rules that walk containers (objects are never modified after parsing). */
const sitesOf = new WeakMap<JsonObject, readonly ContainerSite[]>();

/** Every container of every pod spec in the object (regular, init, ephemeral). */
let lastObject: JsonObject | undefined;
let lastSites: readonly ContainerSite[] = [];

export function containerSites(info: ObjectInfo): readonly ContainerSite[] {
  if (info.object === lastObject) return lastSites;
  let sites = sitesOf.get(info.object);
  if (sites === undefined) {
    sites = podSpecsOf(info.object).flatMap((pod) => containersOf(pod).map((c) => ({ ...c, pod, at: FieldPath.of(c.path) })));
    sitesOf.set(info.object, sites);
  }
  lastObject = info.object;
  lastSites = sites;
  return sites;
}

export interface HandlerSite {
  /** The action object (`httpGet`, `tcpSocket`, `grpc`, `exec`, `sleep`). */
  action: JsonObject;
  type: 'httpGet' | 'tcpSocket' | 'grpc' | 'exec' | 'sleep';
  at: FieldPath;
}

const handlersOf = new WeakMap<ContainerSite, readonly HandlerSite[]>();

/** Probe and lifecycle-hook actions of a container, each with its path. */
export function handlerSites(site: ContainerSite): readonly HandlerSite[] {
  let handlers = handlersOf.get(site);
  if (handlers === undefined) {
    handlers = findHandlers(site);
    handlersOf.set(site, handlers);
  }
  return handlers;
}

function findHandlers(site: ContainerSite): HandlerSite[] {
  const out: HandlerSite[] = [];
  const add = (holder: JsonObject | undefined, at: FieldPath, types: readonly HandlerSite['type'][]): void => {
    for (const type of types) {
      const action = holder?.[type];
      if (isObject(action)) out.push({ action, type, at: at.child(type) });
    }
  };
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    add(getObject(site.container, probe), site.at.child(probe), ['exec', 'httpGet', 'tcpSocket', 'grpc']);
  }
  const lifecycle = getObject(site.container, 'lifecycle');
  for (const hook of ['postStart', 'preStop'] as const) {
    add(getObject(lifecycle, hook), site.at.child('lifecycle', hook), ['exec', 'httpGet', 'tcpSocket', 'sleep']);
  }
  return out;
}
