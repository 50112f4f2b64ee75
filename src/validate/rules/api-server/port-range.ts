import { getObject, getString, isObject } from '../../../core/objects.ts';
import type { JsonObject, JsonValue } from '../../../core/types.ts';
import { isValidPortNum } from '../../../k8s/validation.ts';
import { duplicate, FieldPath, invalid, required } from './field.ts';
import { apiServerRule, is, isInt, type ObjectInfo, objectItems, type Reporter } from './util.ts';
import { containerSites, handlerSites } from './walk.ts';

export const help = `# port-range

**Port numbers outside 1–65535, and port combinations the API server rejects.**

The schemas type ports as integers without a range. The API server requires:

- \`containerPort\`: not 0, and between 1 and 65535 (an absent one is the schema rule's finding);
- \`hostPort\`: 0 (not set) or between 1 and 65535; with \`hostNetwork: true\` it must equal \`containerPort\`;
  two containers of a pod may not claim the same host port, protocol and host IP;
- Service \`port\`: between 1 and 65535; numeric \`targetPort\`, \`nodePort\` and \`healthCheckNodePort\` likewise
  (0 means "pick one for me");
- numeric probe and lifecycle ports (\`httpGet.port\`, \`tcpSocket.port\`, \`grpc.port\`);
- Ingress backends: \`service.port.number\` in range, and a port name or number present;
- NetworkPolicy ports: \`port\` in range, \`endPort\` in range and not below \`port\`, and \`endPort\` only with a numeric \`port\`;
- Endpoints and EndpointSlice ports.

A \`nodePort\` outside the cluster's node port range is refused when the Service is created. The default
range is 30000–32767; a node port outside it is reported as a **warning**, because clusters can be configured
with another range. Set the rule option \`nodePortRange\` (for example \`"20000-40000"\`) to match yours.

## Examples

\`\`\`yaml
ports:
- containerPort: 70000        # …containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive
---
kind: Service
spec:
  type: NodePort
  ports:
  - port: 80
    nodePort: 80              # warning: outside the default node port range 30000-32767
\`\`\`
`;

function checkNum(value: JsonValue | undefined, path: FieldPath, report: Reporter): void {
  if (!isInt(value)) return;
  for (const msg of isValidPortNum(value)) report(path, invalid(path, value, msg));
}

/** Numeric IntOrString ports (0 and strings are someone else's business). */
function checkIntOrString(value: JsonValue | undefined, path: FieldPath, report: Reporter): void {
  if (isInt(value)) checkNum(value, path, report);
}

function nodePortRange(info: ObjectInfo): [number, number] {
  const opt = info.ctx.options.nodePortRange;
  const m = typeof opt === 'string' ? /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(opt) : null;
  return m ? [Number(m[1]), Number(m[2])] : [30000, 32767];
}

function checkPods(info: ObjectInfo, report: Reporter): void {
  const sites = containerSites(info);
  // Host ports: regular containers share one pool; init containers run one at a time.
  const pools = new Map<string, Set<string>>();
  for (const site of sites) {
    if (site.list === 'ephemeralContainers') continue;
    const hostNetwork = site.pod.spec.hostNetwork === true;
    const poolKey = site.list === 'containers' ? 'containers' : `${site.list}/${site.index}`;
    const pool = pools.get(poolKey) ?? new Set<string>();
    pools.set(poolKey, pool);
    for (const [i, port] of objectItems(site.container.ports)) {
      const p = site.at.child('ports').index(i);
      const cp = port.containerPort;
      // An absent containerPort is the schema rule's finding (ContainerPort.required); 0 is ours.
      if (cp === 0) report(p.child('containerPort'), required(p.child('containerPort')));
      else checkNum(cp, p.child('containerPort'), report);
      const hp = port.hostPort;
      if (isInt(hp) && hp !== 0) {
        checkNum(hp, p.child('hostPort'), report);
        if (hostNetwork && site.list === 'containers' && hp !== cp) {
          report(p.child('hostPort'), invalid(p.child('hostPort'), hp, 'must match `containerPort` when `hostNetwork` is true'));
        }
        const key = `${getString(port, 'protocol') || 'TCP'}/${getString(port, 'hostIP') ?? ''}/${hp}`;
        if (pool.has(key)) report(p.child('hostPort'), duplicate(p.child('hostPort'), key));
        pool.add(key);
      }
    }
    for (const h of handlerSites(site)) {
      if (h.type === 'httpGet' || h.type === 'tcpSocket') checkIntOrString(h.action.port, h.at.child('port'), report);
      if (h.type === 'grpc') checkNum(h.action.port, h.at.child('port'), report);
    }
  }
}

function checkService(info: ObjectInfo, spec: JsonObject, report: Reporter): void {
  const sp = FieldPath.root().child('spec');
  const [lo, hi] = nodePortRange(info);
  for (const [i, port] of objectItems(spec.ports)) {
    const p = sp.child('ports').index(i);
    checkNum(port.port, p.child('port'), report);
    if (isInt(port.targetPort) && port.targetPort !== 0) checkNum(port.targetPort, p.child('targetPort'), report);
    const np = port.nodePort;
    if (isInt(np) && np !== 0) {
      if (isValidPortNum(np).length > 0) checkNum(np, p.child('nodePort'), report);
      else if (np < lo || np > hi) {
        report(p.child('nodePort'), invalid(p.child('nodePort'), np, `provided port is not in the valid range. The range of valid ports is ${lo}-${hi} (the default; set the nodePortRange option if your cluster uses another)`), {
          severity: 'warning',
        });
      }
    }
  }
  const hc = spec.healthCheckNodePort;
  if (isInt(hc) && hc !== 0) checkNum(hc, sp.child('healthCheckNodePort'), report);
}

function checkIngressBackend(backend: JsonValue | undefined, path: FieldPath, report: Reporter): void {
  const service = isObject(backend) ? getObject(backend, 'service') : undefined;
  if (service === undefined) return;
  const port = getObject(service, 'port');
  const number = port?.number;
  const name = port?.name;
  const hasName = typeof name === 'string' && name.length > 0;
  const hasNumber = isInt(number) && number !== 0;
  if (hasNumber && !hasName) checkNum(number, path.child('service', 'port', 'number'), report);
  if (!hasName && !hasNumber) report(path.child('service', 'port'), required(path, 'port name or number is required'));
}

function checkIngress(spec: JsonObject, report: Reporter): void {
  const sp = FieldPath.root().child('spec');
  checkIngressBackend(spec.defaultBackend, sp.child('defaultBackend'), report);
  for (const [i, rule] of objectItems(spec.rules)) {
    for (const [j, path] of objectItems(getObject(rule, 'http')?.paths)) {
      checkIngressBackend(path.backend, sp.child('rules').index(i).child('http', 'paths').index(j).child('backend'), report);
    }
  }
}

function checkNetworkPolicy(spec: JsonObject, report: Reporter): void {
  const sp = FieldPath.root().child('spec');
  for (const [dir] of [['ingress'], ['egress']] as const) {
    for (const [i, rule] of objectItems(spec[dir])) {
      for (const [j, port] of objectItems(rule.ports)) {
        const p = sp.child(dir).index(i).child('ports').index(j);
        const end = port.endPort;
        if (isInt(port.port)) {
          checkNum(port.port, p.child('port'), report);
          if (isInt(end)) {
            if (end < port.port) report(p.child('endPort'), invalid(p.child('endPort'), port.port, 'must be greater than or equal to `port`'));
            checkNum(end, p.child('endPort'), report);
          }
        } else if (typeof port.port === 'string') {
          if (isInt(end)) report(p.child('endPort'), invalid(p.child('endPort'), end, 'may not be specified when `port` is non-numeric'));
        } else if (isInt(end)) {
          report(p.child('endPort'), invalid(p.child('endPort'), end, 'may not be specified when `port` is not specified'));
        }
      }
    }
  }
}

export const portRange = apiServerRule('port-range', 'Port numbers are between 1 and 65535 and combined the way the API server allows.', help, (info, report) => {
  checkPods(info, report);
  const spec = getObject(info.object, 'spec');
  if (is(info, 'Service', '') && spec) checkService(info, spec, report);
  if (is(info, 'Ingress', 'networking.k8s.io') && spec) checkIngress(spec, report);
  if (is(info, 'NetworkPolicy', 'networking.k8s.io') && spec) checkNetworkPolicy(spec, report);
  if (is(info, 'Endpoints', '')) {
    for (const [i, subset] of objectItems(info.object.subsets)) {
      for (const [j, port] of objectItems(subset.ports)) checkNum(port.port, FieldPath.root().child('subsets').index(i).child('ports').index(j).child('port'), report);
    }
  }
  if (is(info, 'EndpointSlice', 'discovery.k8s.io')) {
    for (const [i, port] of objectItems(info.object.ports)) checkNum(port.port, FieldPath.root().child('ports').index(i).child('port'), report);
  }
});
