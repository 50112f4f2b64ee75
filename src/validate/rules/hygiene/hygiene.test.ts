// One table per opt-in hygiene rule: a passing and a failing snippet each, with positions.
import { describe, expect, it } from 'vitest';
import { findingsAt, messages } from '../cross-object/test-support.ts';
import type { Rule } from '../rule.ts';
import { hostNamespaces } from './host-namespaces.ts';
import { hostPathVolume } from './host-path-volume.ts';
import { imageTag, imageTagMutable } from './image-tag-mutable.ts';
import { hygieneRules } from './index.ts';
import { privilegeEscalationAllowed } from './privilege-escalation-allowed.ts';
import { privilegedContainer } from './privileged-container.ts';
import { probesMissing } from './probes-missing.ts';
import { resourcesUnset } from './resources-unset.ts';
import { rootFilesystemWritable } from './root-filesystem-writable.ts';
import { runAsRoot } from './run-as-root.ts';

/** A Deployment whose single container is `container` (a flow mapping) and whose pod spec adds `podSpec`. */
const deploy = (container: string, podSpec = '', kind = 'Deployment', apiVersion = 'apps/v1') =>
  `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n${podSpec}      containers:\n        - ${container}\n`;

const cases: { rule: Rule; name: string; yaml: string; want: string[]; message?: RegExp }[] = [
  { rule: probesMissing, name: 'both probes', yaml: deploy('{name: app, readinessProbe: {tcpSocket: {port: 80}}, livenessProbe: {tcpSocket: {port: 80}}}'), want: [] },
  { rule: probesMissing, name: 'no probes', yaml: deploy('{name: app}'), want: ['8:18 warning @app'], message: /has no readinessProbe and no livenessProbe/ },
  { rule: probesMissing, name: 'Jobs are exempt', yaml: deploy('{name: app}', '', 'Job', 'batch/v1'), want: [] },
  { rule: probesMissing, name: 'restartPolicy Never pods are exempt', yaml: deploy('{name: app}', '      restartPolicy: Never\n', 'Pod', 'v1').replace('  template:\n    spec:\n', '  template: {}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n'), want: [] },
  { rule: resourcesUnset, name: 'requests and memory limit', yaml: deploy('{name: app, resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 64Mi}}}'), want: [] },
  { rule: resourcesUnset, name: 'no resources', yaml: deploy('{name: app}'), want: ['8:18 warning @app'], message: /sets no resources.requests.cpu, resources.requests.memory, resources.limits.memory/ },
  { rule: resourcesUnset, name: 'memory limit missing', yaml: deploy('{name: app, resources: {requests: {cpu: 1, memory: 1Gi}}}'), want: ['8:34 warning @{'], message: /sets no resources.limits.memory$/ },
  { rule: imageTagMutable, name: 'pinned tag', yaml: deploy('{name: app, image: "nginx:1.27"}'), want: [] },
  { rule: imageTagMutable, name: 'digest', yaml: deploy('{name: app, image: "nginx@sha256:abc"}'), want: [] },
  { rule: imageTagMutable, name: 'untagged', yaml: deploy('{name: app, image: nginx}'), want: ['8:30 warning @nginx'], message: /without a tag/ },
  { rule: imageTagMutable, name: ':latest with a registry port', yaml: deploy('{name: app, image: "registry:5000/app:latest"}'), want: ['8:30 warning @"registry:5000/app:latest"'] },
  { rule: privilegedContainer, name: 'unprivileged', yaml: deploy('{name: app, securityContext: {privileged: false}}'), want: [] },
  { rule: privilegedContainer, name: 'privileged', yaml: deploy('{name: app, securityContext: {privileged: true}}'), want: ['8:53 warning @true'] },
  { rule: runAsRoot, name: 'runAsNonRoot on the pod', yaml: deploy('{name: app}', '      securityContext: {runAsNonRoot: true}\n'), want: [] },
  { rule: runAsRoot, name: 'non-zero runAsUser', yaml: deploy('{name: app, securityContext: {runAsUser: 1000}}'), want: [] },
  { rule: runAsRoot, name: 'nothing set', yaml: deploy('{name: app}'), want: ['8:18 warning @app'], message: /may run as root/ },
  { rule: runAsRoot, name: 'runAsUser 0 overrides the pod', yaml: deploy('{name: app, securityContext: {runAsUser: 0}}', '      securityContext: {runAsNonRoot: true}\n'), want: ['9:52 warning @0'], message: /runs as root \(runAsUser: 0\)/ },
  { rule: hostPathVolume, name: 'emptyDir', yaml: deploy('{name: app}', '      volumes: [{name: tmp, emptyDir: {}}]\n'), want: [] },
  { rule: hostPathVolume, name: 'hostPath', yaml: deploy('{name: app}', '      volumes: [{name: sock, hostPath: {path: /var/run/docker.sock}}]\n'), want: ['7:40 warning @{'], message: /mounts host path \/var\/run\/docker.sock/ },
  { rule: hostNamespaces, name: 'none', yaml: deploy('{name: app}', '      hostNetwork: false\n'), want: [] },
  { rule: hostNamespaces, name: 'hostNetwork and hostPID', yaml: deploy('{name: app}', '      hostNetwork: true\n      hostPID: true\n'), want: ['7:20 warning @true', '8:16 warning @true'] },
  { rule: privilegeEscalationAllowed, name: 'false', yaml: deploy('{name: app, securityContext: {allowPrivilegeEscalation: false}}'), want: [] },
  { rule: privilegeEscalationAllowed, name: 'unset', yaml: deploy('{name: app}'), want: ['8:18 warning @app'] },
  { rule: privilegeEscalationAllowed, name: 'true', yaml: deploy('{name: app, securityContext: {allowPrivilegeEscalation: true}}'), want: ['8:67 warning @true'] },
  { rule: rootFilesystemWritable, name: 'read-only', yaml: deploy('{name: app, securityContext: {readOnlyRootFilesystem: true}}'), want: [] },
  { rule: rootFilesystemWritable, name: 'unset', yaml: deploy('{name: app}'), want: ['8:18 warning @app'] },
  { rule: rootFilesystemWritable, name: 'init containers too', yaml: deploy('{name: app, securityContext: {readOnlyRootFilesystem: true}}', '      initContainers: [{name: init}]\n'), want: ['7:31 warning @init'] },
];

describe('hygiene rules', () => {
  it.each(cases)('$rule.meta.id: $name', ({ rule, yaml, want, message }) => {
    expect(findingsAt(rule, yaml)).toEqual(want);
    if (message) expect(messages(rule, yaml)[0]).toMatch(message);
  });

  it('are all opt-in warnings, each with a test', () => {
    for (const r of hygieneRules) {
      expect(r.meta.enabledByDefault).toBe(false);
      expect(r.meta.defaultSeverity).toBe('warning');
      expect(cases.some((c) => c.rule === r && c.want.length > 0)).toBe(true);
    }
  });

  it('imageTag', () => {
    expect([imageTag('nginx'), imageTag('nginx:1'), imageTag('r:5000/a'), imageTag('r:5000/a:b'), imageTag('a@sha256:x')]).toEqual(['', '1', '', 'b', undefined]);
  });
});
