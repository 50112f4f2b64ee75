import type { Rule } from '../rule.ts';
import { ruleMeta } from '../cross-object/support.ts';
import { eachContainer, securityContext } from './support.ts';

export const rootFilesystemWritable: Rule = {
  meta: ruleMeta({
    id: 'root-filesystem-writable',
    description: 'A container does not set securityContext.readOnlyRootFilesystem: true.',
    defaultSeverity: 'warning',
    enabledByDefault: false,
    body: `
## Why

A writable root filesystem lets an attacker drop tools and modify the application in place. Mount an \`emptyDir\` where
the program really needs to write.

## What is checked

Containers and init containers whose \`securityContext.readOnlyRootFilesystem\` is not \`true\`.
`,
  }),
  check(ctx) {
    eachContainer(ctx, ['initContainers', 'containers'], (c, t, who) => {
      const sc = securityContext(c);
      if (sc?.readOnlyRootFilesystem === true) return;
      const path = sc?.readOnlyRootFilesystem !== undefined ? [...c.path, 'securityContext', 'readOnlyRootFilesystem'] : [...c.path, 'name'];
      ctx.report({ manifest: t.owner.manifest, path, message: `${who} has a writable root filesystem: set securityContext.readOnlyRootFilesystem: true` });
    });
  },
};
