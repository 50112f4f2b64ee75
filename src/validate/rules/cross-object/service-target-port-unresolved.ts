import { getArray, getString, isObject } from '../../../core/objects.ts';
import type { JsonObject } from '../../../core/types.ts';
import { describeNode, type PodTemplate } from '../../../graph/index.ts';
import { servingContainers } from '../../../k8s/pod-specs.ts';
import type { Rule } from '../rule.ts';
import { describeTemplates, graphOf, isReported, reportAt, routingServices, ruleMeta, selectTemplates } from './support.ts';

export const serviceTargetPortUnresolved: Rule = {
  meta: ruleMeta({
    id: 'service-target-port-unresolved',
    description: "A Service's named targetPort is not a container port (with that name and protocol) of the pods it selects.",
    defaultSeverity: 'error',
    enabledByDefault: true,
    body: `
## Why

A string \`targetPort\` is looked up in each selected pod: a container port with that **name** and the same
**protocol** (both default to TCP). When a pod has none, the endpoint for that port is missing and traffic to it
fails. No other linter resolves the name — kube-linter only checks its syntax.

## What is checked

For every Service port whose \`targetPort\` is a name, each pod template the selector matches (see
\`service-selector-no-match\`) must have, in a regular container or a native sidecar (an init container with
\`restartPolicy: Always\`), a \`ports[]\` entry with that \`name\` and \`protocol\`.

- none of the selected templates resolves it: **error**;
- some do and some don't: **warning**, naming the ones that don't;
- numeric \`targetPort\`s are not checked (\`containerPort\` declarations are informational; kube-linter #1086);
- when the selector matches nothing the port isn't checked (the selector rule reports that).

## Example

\`\`\`yaml
kind: Service
spec:
  selector: {app: web}
  ports:
    - port: 80
      targetPort: http        # flagged: the container names its port "web"
---
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: app
          ports: [{name: web, containerPort: 8080}]
\`\`\`
`,
  }),
  check(ctx) {
    const graph = graphOf(ctx);
    for (const { svc, namespace: ns, spec, selector } of routingServices(graph, (svc) => isReported(ctx, svc))) {
      if (selector.nothing) continue;
      const sel = selectTemplates(graph, ns, selector);
      const candidates = [...sel.yes, ...sel.maybe];
      if (candidates.length === 0) continue;
      (getArray(spec, 'ports') ?? []).forEach((port, i) => {
        if (!isObject(port)) return;
        const target = port.targetPort;
        if (typeof target !== 'string' || /^\d+$/.test(target)) return;
        const protocol = getString(port, 'protocol') ?? 'TCP';
        const lacking: PodTemplate[] = [];
        const otherProtocol: string[] = [];
        for (const t of candidates) {
          const r = resolvePort(t, target, protocol);
          if (r === true) continue;
          lacking.push(t);
          if (r) otherProtocol.push(`${describeNode(t.owner)} has it as ${r}`);
        }
        if (lacking.length === 0) return;
        const portName = getString(port, 'name');
        const label = `port ${portName !== undefined ? `"${portName}" ` : ''}(${String(port.port ?? '?')}/${protocol})`;
        const protoNote = otherProtocol.length > 0 ? ` (protocol differs: ${otherProtocol.join('; ')})` : '';
        if (lacking.length === candidates.length) {
          reportAt(
            ctx,
            svc,
            ['spec', 'ports', i, 'targetPort'],
            `${describeNode(svc)} ${label}: targetPort "${target}" is not a ${protocol} container port name in the pods it selects (${describeTemplates(candidates)}), so the Service has no endpoints for this port${protoNote}`,
            // Only runtime-label matches: the selected set itself is uncertain.
            sel.yes.length > 0 ? undefined : 'warning',
          );
        } else {
          reportAt(
            ctx,
            svc,
            ['spec', 'ports', i, 'targetPort'],
            `${describeNode(svc)} ${label}: targetPort "${target}" is missing from some selected pods: ${describeTemplates(lacking)} ${lacking.length === 1 ? 'has' : 'have'} no ${protocol} container port named "${target}"${protoNote}`,
            'warning',
          );
        }
      });
    }
  },
};

/** true when resolved; else the protocol under which the name exists ("UDP"), or undefined when the name is absent. */
function resolvePort(t: PodTemplate, name: string, protocol: string): true | string | undefined {
  let other: string | undefined;
  for (const c of servingContainers({ spec: t.spec, path: t.specPath })) {
    for (const p of getArray(c.container, 'ports') ?? []) {
      if (!isObject(p) || getString(p as JsonObject, 'name') !== name) continue;
      const proto = getString(p, 'protocol') ?? 'TCP';
      if (proto === protocol) return true;
      other = proto;
    }
  }
  return other;
}
