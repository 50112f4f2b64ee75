import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseText } from '../../../manifests/parse.ts';
import { runRules } from '../run.ts';
import { apiServerRules } from './index.ts';

// Manifests in a repository are often half-written. Whatever shape a field has, the rules must report or
// stay silent, never throw (runRules turns a throw into an "internal error" finding, which this test forbids).
const kinds: [string, string][] = [
  ['v1', 'Pod'],
  ['v1', 'Service'],
  ['v1', 'ConfigMap'],
  ['v1', 'Secret'],
  ['v1', 'PersistentVolumeClaim'],
  ['v1', 'ResourceQuota'],
  ['v1', 'LimitRange'],
  ['v1', 'Endpoints'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'StatefulSet'],
  ['apps/v1', 'DaemonSet'],
  ['batch/v1', 'Job'],
  ['batch/v1', 'CronJob'],
  ['networking.k8s.io/v1', 'Ingress'],
  ['networking.k8s.io/v1', 'NetworkPolicy'],
  ['policy/v1', 'PodDisruptionBudget'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
  ['rbac.authorization.k8s.io/v1', 'Role'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler'],
  ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'],
];

// Values biased towards the shapes the rules look into: containers, ports, selectors, resources.
const leaf = fc.oneof(fc.string({ maxLength: 8 }), fc.integer({ min: -70000, max: 70000 }), fc.boolean(), fc.constant(null), fc.constantFrom('TCP', 'udp', '1Gi', '500m', 'None', 'Always'));
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('node'), { maxLength: 3 }),
  object: fc.dictionary(
    fc.constantFrom('containers', 'initContainers', 'ports', 'name', 'image', 'containerPort', 'port', 'protocol', 'resources', 'limits', 'requests', 'cpu', 'selector', 'matchLabels', 'matchExpressions', 'template', 'spec', 'metadata', 'labels', 'volumes', 'volumeMounts', 'env', 'valueFrom', 'rules', 'subjects', 'roleRef', 'data', 'type', 'schedule', 'jobTemplate', 'strategy', 'rollingUpdate', 'x'),
    tie('node'),
    { maxKeys: 5 },
  ),
}));

describe('api-server rules never crash', () => {
  it('on arbitrary shapes under well-known kinds', () => {
    fc.assert(
      fc.property(fc.constantFrom(...kinds), value.object, value.object, ([apiVersion, kind], metadata, spec) => {
        const text = JSON.stringify({ apiVersion, kind, metadata, spec, rules: spec.rules ?? null, data: spec.data ?? null });
        const { manifests } = parseText('fuzz.json', text);
        const findings = runRules(apiServerRules, manifests, { kubernetesVersion: '1.36', defaultNamespace: 'default' });
        const crashes = findings.filter((f) => f.message.startsWith('internal error'));
        expect(crashes).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('on arbitrary values inside a realistic skeleton', () => {
    const any = value.node;
    const container = fc.record({ name: any, image: any, ports: fc.array(fc.record({ containerPort: any, name: any, protocol: any, hostPort: any }), { maxLength: 2 }), resources: fc.record({ limits: any, requests: any }), env: any, volumeMounts: any, livenessProbe: any, lifecycle: any, restartPolicy: any }, { requiredKeys: [] });
    const podSpec = fc.record({ containers: fc.array(container, { maxLength: 2 }), initContainers: fc.array(container, { maxLength: 1 }), volumes: any, nodeSelector: any, affinity: any, tolerations: any, restartPolicy: any, hostNetwork: any }, { requiredKeys: [] });
    const spec = fc.record({ template: fc.record({ metadata: any, spec: podSpec }, { requiredKeys: [] }), jobTemplate: any, selector: any, ports: any, strategy: any, updateStrategy: any, schedule: any, type: any, clusterIP: any, resources: any, accessModes: any, limits: any, hard: any, ingress: any, egress: any, rules: any, metrics: any }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.constantFrom(...kinds), spec, any, ([apiVersion, kind], s, extra) => {
        const object = { apiVersion, kind, metadata: { name: 'x', labels: extra, annotations: extra }, spec: s, rules: s.rules ?? null, subjects: extra, roleRef: extra, data: extra };
        const { manifests } = parseText('fuzz.json', JSON.stringify(object));
        const findings = runRules(apiServerRules, manifests, { kubernetesVersion: '1.36', defaultNamespace: 'default' });
        expect(findings.filter((f) => f.message.startsWith('internal error'))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
