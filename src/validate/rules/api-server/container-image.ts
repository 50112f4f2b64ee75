import { invalid, required } from './field.ts';
import { apiServerRule } from './util.ts';
import { containerSites } from './walk.ts';

export const help = `# container-image

**Containers without an image.**

The published schemas list only \`name\` as a required container field, so a container without \`image\`
passes schema validation everywhere (kubeconform, and kubectl-validate without its patched schemas). The API
server rejects it: \`spec.containers[0].image: Required value\`.

Checked for regular, init and ephemeral containers of Pods and of every workload template (Deployments,
StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs, ReplicationControllers, PodTemplates).

For Pods (not templates) the image may also not start or end with whitespace.

## Example

\`\`\`yaml
containers:
- name: web       # spec.containers[0].image: Required value
  ports: [{containerPort: 80}]
\`\`\`
`;

const SPACE_AT_ENDS = /^[\s\u0085]|[\s\u0085]$/;

export const containerImage = apiServerRule('container-image', 'Every container has an image.', help, (info, report) => {
  for (const site of containerSites(info)) {
    const p = site.at.child('image');
    const image = site.container.image;
    if (image === undefined || image === null || image === '') {
      report(p, required(p));
    } else if (typeof image === 'string' && (!site.pod.isTemplate || site.list === 'ephemeralContainers') && SPACE_AT_ENDS.test(image)) {
      report(p, invalid(p, image, 'must not have leading or trailing whitespace'));
    }
  }
});
