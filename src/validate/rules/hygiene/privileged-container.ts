import type { Rule } from '../rule.ts';
import { ruleMeta } from '../cross-object/support.ts';
import { eachContainer, securityContext } from './support.ts';

export const privilegedContainer: Rule = {
  meta: ruleMeta({
    id: 'privileged-container',
    description: 'A container runs privileged (securityContext.privileged: true).',
    defaultSeverity: 'warning',
    enabledByDefault: false,
    body: `
## Why

A privileged container has every capability and access to the host's devices: escaping it is trivial.

## What is checked

\`securityContext.privileged: true\` on containers and init containers.
`,
  }),
  check(ctx) {
    eachContainer(ctx, ['initContainers', 'containers'], (c, t, who) => {
      if (securityContext(c)?.privileged !== true) return;
      ctx.report({ manifest: t.owner.manifest, path: [...c.path, 'securityContext', 'privileged'], message: `${who} runs privileged: it has full access to the host` });
    });
  },
};
