import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { JsonObject } from '../core/types.ts';
import { containerLabel, containersOf, podSpecsOf, podTemplatePath, servingContainers } from './pod-specs.ts';

const obj = (text: string): JsonObject => parse(text) as JsonObject;

describe('podSpecsOf', () => {
  it.each([
    ['v1', 'Pod', ['spec'], ['metadata'], false],
    ['v1', 'PodTemplate', ['template', 'spec'], ['template', 'metadata'], true],
    ['v1', 'ReplicationController', ['spec', 'template', 'spec'], ['spec', 'template', 'metadata'], true],
    ['apps/v1', 'Deployment', ['spec', 'template', 'spec'], ['spec', 'template', 'metadata'], true],
    ['apps/v1', 'ReplicaSet', ['spec', 'template', 'spec'], ['spec', 'template', 'metadata'], true],
    ['apps/v1', 'StatefulSet', ['spec', 'template', 'spec'], ['spec', 'template', 'metadata'], true],
    ['apps/v1', 'DaemonSet', ['spec', 'template', 'spec'], ['spec', 'template', 'metadata'], true],
    ['extensions/v1beta1', 'Deployment', ['spec', 'template', 'spec'], ['spec', 'template', 'metadata'], true],
    ['batch/v1', 'Job', ['spec', 'template', 'spec'], ['spec', 'template', 'metadata'], true],
    ['batch/v1', 'CronJob', ['spec', 'jobTemplate', 'spec', 'template', 'spec'], ['spec', 'jobTemplate', 'spec', 'template', 'metadata'], true],
  ] as const)('%s %s', (apiVersion, kind, path, metadataPath, isTemplate) => {
    const podSpec = { containers: [{ name: 'a', image: 'x' }] };
    const template = { metadata: { labels: { app: 'x' } }, spec: podSpec };
    const object: JsonObject = { apiVersion, kind, metadata: { name: 'n' } };
    // Build the object from the path so the test checks the table, not a copy of it.
    const templatePath = path.slice(0, -1);
    let target: JsonObject = object;
    if (templatePath.length === 0) {
      object.spec = podSpec;
      object.metadata = template.metadata;
    } else {
      templatePath.forEach((seg, i) => {
        const next: JsonObject = i === templatePath.length - 1 ? template : {};
        target[seg] = next;
        target = next;
      });
    }
    const found = podSpecsOf(object);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind, path, metadataPath, isTemplate, spec: podSpec, metadata: template.metadata });
  });

  it('ignores look-alike kinds from other groups, and objects without a spec', () => {
    expect(podSpecsOf(obj('{apiVersion: example.com/v1, kind: Deployment, spec: {template: {spec: {containers: []}}}}'))).toEqual([]);
    expect(podSpecsOf(obj('{apiVersion: apps/v1, kind: Deployment, spec: {replicas: 1}}'))).toEqual([]);
    expect(podSpecsOf(obj('{apiVersion: v1, kind: Service, spec: {}}'))).toEqual([]);
    expect(podSpecsOf(obj('{kind: Pod, spec: {}}'))).toEqual([]);
    expect(podTemplatePath('apps/v1', 'StatefulSet')).toEqual(['spec', 'template']);
    expect(podTemplatePath('v1', 'ConfigMap')).toBeUndefined();
  });
});

describe('containersOf', () => {
  it('lists regular, init and ephemeral containers with their paths', () => {
    const pod = podSpecsOf(
      obj(`
apiVersion: v1
kind: Pod
spec:
  initContainers: [{name: init}]
  containers: [{name: app}, {name: side}, "not a container"]
  ephemeralContainers: [{name: debug}]
`),
    )[0];
    expect(pod).toBeDefined();
    const found = containersOf(pod as NonNullable<typeof pod>).map((c) => [c.container.name, c.list, c.index, c.path.join('.')]);
    expect(found).toEqual([
      ['app', 'containers', 0, 'spec.containers.0'],
      ['side', 'containers', 1, 'spec.containers.1'],
      ['init', 'initContainers', 0, 'spec.initContainers.0'],
      ['debug', 'ephemeralContainers', 0, 'spec.ephemeralContainers.0'],
    ]);
  });

  const spec = obj(`
initContainers: [{name: migrate}, {name: proxy, restartPolicy: Always}]
containers: [{name: app}, {image: "x:1"}]
ephemeralContainers: [{name: debug}]
`);
  const pod = { spec, path: ['spec', 'template', 'spec'] };

  it('restricts to the given lists (kept in API-server order), names unnamed containers #index, flags native sidecars', () => {
    const found = containersOf(pod, ['initContainers', 'containers']).map((c) => [c.name, c.list, c.sidecar, c.path.join('.')]);
    expect(found).toEqual([
      ['app', 'containers', false, 'spec.template.spec.containers.0'],
      ['#1', 'containers', false, 'spec.template.spec.containers.1'],
      ['migrate', 'initContainers', false, 'spec.template.spec.initContainers.0'],
      ['proxy', 'initContainers', true, 'spec.template.spec.initContainers.1'],
    ]);
    expect(containersOf({ spec: undefined, path: ['spec'] })).toEqual([]);
  });

  it('servingContainers: regular containers and native sidecars; containerLabel for messages', () => {
    expect(servingContainers(pod).map((c) => c.name)).toEqual(['app', '#1', 'proxy']);
    expect(containersOf(pod).map(containerLabel)).toEqual(['container "app"', 'container "#1"', 'init container "migrate"', 'init container "proxy"', 'ephemeral container "debug"']);
  });
});
