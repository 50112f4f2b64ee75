import type { Rule } from '../rule.ts';
import { ruleMeta } from '../cross-object/support.ts';
import { eachContainer, securityContext } from './support.ts';

export const privilegeEscalationAllowed: Rule = {
  meta: ruleMeta({
    id: 'privilege-escalation-allowed',
    description: 'A container does not set securityContext.allowPrivilegeEscalation: false.',
    defaultSeverity: 'warning',
    enabledByDefault: false,
    body: `
## Why

Unless \`allowPrivilegeEscalation\` is false, setuid binaries in the image can gain more privileges than the process
started with. It defaults to true.

## What is checked

Containers and init containers whose \`securityContext.allowPrivilegeEscalation\` is not \`false\`.
`,
  }),
  check(ctx) {
    eachContainer(ctx, ['initContainers', 'containers'], (c, t, who) => {
      const sc = securityContext(c);
      if (sc?.allowPrivilegeEscalation === false) return;
      const path = sc?.allowPrivilegeEscalation !== undefined ? [...c.path, 'securityContext', 'allowPrivilegeEscalation'] : [...c.path, 'name'];
      ctx.report({ manifest: t.owner.manifest, path, message: `${who} allows privilege escalation: set securityContext.allowPrivilegeEscalation: false` });
    });
  },
};
