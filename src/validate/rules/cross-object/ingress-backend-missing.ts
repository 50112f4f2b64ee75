import { getArray, getObject, getString, isObject } from '../../../core/objects.ts';
import type { JsonObject, JsonPath } from '../../../core/types.ts';
import { describeNode, whereIs, type GraphObject } from '../../../graph/index.ts';
import type { Rule } from '../rule.ts';
import { graphOf, isIngress, planResolvesDoc, reportAt, reportMissingRef, ruleMeta } from './support.ts';

interface Backend {
  name: string;
  namePath: JsonPath;
  port: { number: number } | { name: string } | undefined;
  portPath: JsonPath;
}

/** Service backends of an Ingress: networking.k8s.io/v1 `service{name, port{number|name}}`, and the legacy serviceName/servicePort. */
export function ingressBackends(ing: GraphObject): Backend[] {
  const spec = getObject(ing.manifest.object, 'spec');
  const out: Backend[] = [];
  const visit = (b: JsonObject | undefined, path: JsonPath): void => {
    if (!b) return;
    const service = getObject(b, 'service');
    if (service) {
      const name = getString(service, 'name');
      if (name === undefined) return;
      const port = getObject(service, 'port');
      const num = port?.number;
      const pname = getString(port, 'name');
      out.push({
        name,
        namePath: [...path, 'service', 'name'],
        port: typeof num === 'number' ? { number: num } : pname !== undefined ? { name: pname } : undefined,
        portPath: [...path, 'service', 'port', typeof num === 'number' ? 'number' : 'name'],
      });
      return;
    }
    const legacy = getString(b, 'serviceName');
    if (legacy !== undefined) {
      const sp = b.servicePort;
      out.push({
        name: legacy,
        namePath: [...path, 'serviceName'],
        port: typeof sp === 'number' ? { number: sp } : typeof sp === 'string' ? (/^\d+$/.test(sp) ? { number: Number(sp) } : { name: sp }) : undefined,
        portPath: [...path, 'servicePort'],
      });
    }
  };
  visit(getObject(spec, 'defaultBackend'), ['spec', 'defaultBackend']);
  visit(getObject(spec, 'backend'), ['spec', 'backend']);
  (getArray(spec, 'rules') ?? []).forEach((rule, i) => {
    if (!isObject(rule)) return;
    (getArray(getObject(rule, 'http'), 'paths') ?? []).forEach((p, j) => {
      if (isObject(p)) visit(getObject(p, 'backend'), ['spec', 'rules', i, 'http', 'paths', j, 'backend']);
    });
  });
  return out;
}

/** What an Ingress path whose backend Service is missing does. */
export const BACKEND_CONSEQUENCE = 'requests for that path get 503s';

export const ingressBackendMissing: Rule = {
  meta: ruleMeta({
    id: 'ingress-backend-missing',
    description: "An Ingress backend names a Service that doesn't exist in its namespace, or a port that Service doesn't expose.",
    defaultSeverity: 'error',
    enabledByDefault: true,
    body: `
## Why

An Ingress can only route to a Service in its own namespace, by the Service's \`port\` number or the **name** of one
of its \`ports[]\` (not a targetPort or container port name). A wrong name or port gives 503s for that path.

## What is checked

\`spec.defaultBackend\` and every \`spec.rules[].http.paths[].backend.service\` of \`networking.k8s.io/v1\` Ingresses
(and the legacy \`serviceName\`/\`servicePort\` of \`v1beta1\`):

- the Service must exist in the Ingress's effective namespace;
- \`port.number\` must equal some \`ports[].port\`; \`port.name\` must equal some \`ports[].name\`. An unnamed Service
  port can only be referenced by number (kube-score accepts any number there).

\`resource\` backends are not checked. An \`ExternalName\` Service without ports is accepted as is.

## Outcomes

- Service missing, or port not exposed: **error**.
- The repo has no Services at all in that namespace: **info** (the Service is deployed from elsewhere).
- a file of the input failed to parse: **info** — the objects it defines are unknown, so nothing is called
  missing (kube-linter #249, #669).

## Example

\`\`\`yaml
kind: Ingress
spec:
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port: {name: https}   # flagged if Service web has no port named https
\`\`\`
` + planResolvesDoc('the Service is in the live state (its ports are not checked there)', 'ingress-backend-missing'),
  }),
  check(ctx) {
    const graph = graphOf(ctx);
    for (const ing of graph.objects) {
      if (!isIngress(ing)) continue;
      const ns = ing.namespace;
      if (ns === undefined) continue;
      for (const b of ingressBackends(ing)) {
        const svc = graph.find('', 'Service', ns, b.name)[0];
        if (!svc) {
          reportMissingRef(ctx, graph, ing, b.namePath, { group: '', kind: 'Service', namespace: ns }, `backend Service "${b.name}"`, `does not exist in namespace "${ns}" (an Ingress can only route to Services in its own namespace); ${BACKEND_CONSEQUENCE}`);
          continue;
        }
        if (!b.port) continue;
        const svcSpec = getObject(svc.manifest.object, 'spec');
        const ports = (getArray(svcSpec, 'ports') ?? []).filter(isObject);
        if (getString(svcSpec, 'type') === 'ExternalName' && ports.length === 0) continue;
        const ok = 'number' in b.port ? ports.some((p) => p.port === (b.port as { number: number }).number) : ports.some((p) => getString(p, 'name') === (b.port as { name: string }).name);
        if (ok) continue;
        const exposed = ports.map((p) => `${String(p.port ?? '?')}${getString(p, 'name') ? ` (${getString(p, 'name') ?? ''})` : ''}`).join(', ') || 'none';
        const wanted = 'number' in b.port ? `port ${b.port.number}` : `port named "${b.port.name}"`;
        reportAt(ctx, ing, b.portPath, `${describeNode(ing)}: backend Service ${describeNode(svc)} (${whereIs(svc)}) has no ${wanted}; it exposes ${exposed}`);
      }
    }
  },
};
