import { getObject } from '../../../core/objects.ts';
import type { Rule } from '../rule.ts';
import { ruleMeta } from '../cross-object/support.ts';
import { eachContainer } from './support.ts';

export const resourcesUnset: Rule = {
  meta: ruleMeta({
    id: 'resources-unset',
    description: 'A container does not set CPU and memory requests and a memory limit.',
    defaultSeverity: 'warning',
    enabledByDefault: false,
    body: `
## Why

Without requests the scheduler packs pods blindly and the pod gets the \`BestEffort\` QoS class (first to be evicted);
without a memory limit one leaking container can exhaust the node.

## What is checked

\`resources.requests.cpu\`, \`resources.requests.memory\` and \`resources.limits.memory\` of containers and init
containers. A CPU limit is deliberately not required (CPU limits cause throttling; many teams don't set them).
`,
  }),
  check(ctx) {
    eachContainer(ctx, ['initContainers', 'containers'], (c, t, who) => {
      const res = getObject(c.container, 'resources');
      const missing: string[] = [];
      if (getObject(res, 'requests')?.cpu === undefined) missing.push('requests.cpu');
      if (getObject(res, 'requests')?.memory === undefined) missing.push('requests.memory');
      if (getObject(res, 'limits')?.memory === undefined) missing.push('limits.memory');
      if (missing.length === 0) return;
      ctx.report({ manifest: t.owner.manifest, path: res ? [...c.path, 'resources'] : [...c.path, 'name'], message: `${who} sets no resources.${missing.join(', resources.')}` });
    });
  },
};
