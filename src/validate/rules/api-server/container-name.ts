import { isDNS1123Label } from '../../../k8s/validation.ts';
import { podSpecsOf } from '../../../k8s/pod-specs.ts';
import { duplicate, FieldPath, invalid, required } from './field.ts';
import { apiServerRule } from './util.ts';
import { containerSites } from './walk.ts';

export const help = `# container-name

**Pods without containers, and container names that are empty, not DNS labels, or used twice in a pod.**

A pod needs at least one container: \`containers: []\` is rejected (\`spec.containers: Required value\`).

A container name must be a DNS-1123 label (lowercase alphanumerics and \`-\`, at most 63 characters, no dots)
and unique among all containers of the pod: regular, init and ephemeral containers share one namespace.
The schemas only say the name is a required string.

Fields the published schema requires are reported by the schema rule when absent; this rule reports them when present but empty.

## Examples

\`\`\`yaml
initContainers:
- {name: setup, image: busybox}
containers:
- {name: Web_Server, image: nginx}   # …name: Invalid value: "Web_Server": a lowercase RFC 1123 label must consist of …
- {name: setup, image: busybox}      # spec.initContainers[0].name: Duplicate value: "setup"
\`\`\`
`;

export const containerName = apiServerRule('container-name', 'Pods have containers, named with unique DNS-1123 labels.', help, (info, report) => {
  for (const pod of podSpecsOf(info.object)) {
    const containers = pod.spec.containers;
    if (Array.isArray(containers) && containers.length === 0) {
      const p = FieldPath.of(pod.path).child('containers');
      report(p, required(p));
    }
  }
  // Go validates regular containers, then init containers against regular + earlier init ones, then ephemeral
  // containers against all: containerSites() yields them in that order.
  const names = new Map<string, Set<string>>();
  for (const site of containerSites(info)) {
    const p = site.at.child('name');
    const name = site.container.name;
    // An absent name is the schema rule's finding (Container.required); an empty one is ours.
    if (name === '') {
      report(p, required(p));
      continue;
    }
    if (typeof name !== 'string') continue;
    for (const msg of isDNS1123Label(name)) report(p, invalid(p, name, msg));
    const podKey = site.pod.path.join('.');
    const seen = names.get(podKey) ?? new Set<string>();
    names.set(podKey, seen);
    if (seen.has(name)) report(p, duplicate(p, name));
    seen.add(name);
  }
});
