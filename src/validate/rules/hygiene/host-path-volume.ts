import { getArray, getObject, getString, isObject } from '../../../core/objects.ts';
import { describeNode } from '../../../graph/index.ts';
import type { Rule } from '../rule.ts';
import { ruleMeta } from '../cross-object/support.ts';
import { eachTemplate } from './support.ts';

export const hostPathVolume: Rule = {
  meta: ruleMeta({
    id: 'host-path-volume',
    description: "A pod mounts a hostPath volume (a directory of the node's filesystem).",
    defaultSeverity: 'warning',
    enabledByDefault: false,
    body: `
## Why

hostPath volumes expose the node's filesystem to the pod (\`/var/run/docker.sock\`, \`/etc\`, \`/proc\`): a foothold for
escaping the container, and data tied to one node.

## What is checked

\`volumes[].hostPath\` of every pod template. Node agents (log shippers, CNI, CSI) legitimately need them: suppress
with a reason on those.
`,
  }),
  check(ctx) {
    eachTemplate(ctx, (t) => {
      (getArray(t.spec, 'volumes') ?? []).forEach((v, i) => {
        if (!isObject(v)) return;
        const hp = getObject(v, 'hostPath');
        if (!hp) return;
        ctx.report({ manifest: t.owner.manifest, path: [...t.specPath, 'volumes', i, 'hostPath'], message: `${describeNode(t.owner)}: volume "${getString(v, 'name') ?? i}" mounts host path ${getString(hp, 'path') ?? '(unset)'} from the node` });
      });
    });
  },
};
