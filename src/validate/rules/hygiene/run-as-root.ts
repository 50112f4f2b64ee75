import { getObject } from '../../../core/objects.ts';
import type { Rule } from '../rule.ts';
import { ruleMeta } from '../cross-object/support.ts';
import { eachContainer, securityContext } from './support.ts';

export const runAsRoot: Rule = {
  meta: ruleMeta({
    id: 'run-as-root',
    description: 'A container may run as root: runAsNonRoot is not true and no non-zero runAsUser is set, or runAsUser is 0.',
    defaultSeverity: 'warning',
    enabledByDefault: false,
    body: `
## Why

A process running as UID 0 in a container is root on the host if it escapes, and can modify anything in its image.

## What is checked

For containers and init containers, with the container's \`securityContext\` overriding the pod's:

- \`runAsUser: 0\` is reported;
- otherwise a container passes with \`runAsNonRoot: true\` or a non-zero \`runAsUser\`.
`,
  }),
  check(ctx) {
    eachContainer(ctx, ['initContainers', 'containers'], (c, t, who) => {
      const pod = getObject(t.spec, 'securityContext');
      const own = securityContext(c);
      const user = own?.runAsUser ?? pod?.runAsUser;
      const nonRoot = own?.runAsNonRoot ?? pod?.runAsNonRoot;
      if (user === 0) {
        const path = own?.runAsUser !== undefined ? [...c.path, 'securityContext', 'runAsUser'] : [...t.specPath, 'securityContext', 'runAsUser'];
        ctx.report({ manifest: t.owner.manifest, path, message: `${who} runs as root (runAsUser: 0)` });
        return;
      }
      if (nonRoot === true || (typeof user === 'number' && user > 0)) return;
      ctx.report({ manifest: t.owner.manifest, path: [...c.path, 'name'], message: `${who} may run as root: set runAsNonRoot: true (or a non-zero runAsUser) in its or the pod's securityContext` });
    });
  },
};
