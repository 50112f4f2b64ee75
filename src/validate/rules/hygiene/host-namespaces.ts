import { describeNode } from '../../../graph/index.ts';
import type { Rule } from '../rule.ts';
import { ruleMeta } from '../cross-object/support.ts';
import { eachTemplate } from './support.ts';

export const hostNamespaces: Rule = {
  meta: ruleMeta({
    id: 'host-namespaces',
    description: "A pod shares the node's network, PID or IPC namespace (hostNetwork, hostPID, hostIPC).",
    defaultSeverity: 'warning',
    enabledByDefault: false,
    body: `
## Why

\`hostNetwork\` lets the pod bind node ports and sniff node traffic and bypasses NetworkPolicies; \`hostPID\` shows (and
lets it signal) every process on the node; \`hostIPC\` shares the node's shared memory.

## What is checked

\`spec.hostNetwork\`, \`spec.hostPID\` and \`spec.hostIPC\` set to true in any pod template.
`,
  }),
  check(ctx) {
    eachTemplate(ctx, (t) => {
      for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
        if (t.spec?.[field] !== true) continue;
        ctx.report({ manifest: t.owner.manifest, path: [...t.specPath, field], message: `${describeNode(t.owner)} sets ${field}: true and shares the node's ${field.slice(4) === 'Network' ? 'network' : field.slice(4)} namespace` });
      }
    });
  },
};
