import { isIP } from 'node:net';
import { getObject, getString, isObject } from '../../../core/objects.ts';
import type { JsonObject } from '../../../core/types.ts';
import { nameIsDNSSubdomain } from '../../../k8s/names.ts';
import { duplicate, FieldPath, forbidden, invalid, required } from './field.ts';
import { apiServerRule, is, isInt, type ObjectInfo, objectItems, type Reporter } from './util.ts';

export const help = `# service-spec

**Service settings that contradict each other, which the API server rejects.**

- \`clusterIP: None\` (a headless Service) cannot be combined with \`type: LoadBalancer\` or \`NodePort\`;
- a Service needs \`ports\` unless it is headless or of type \`ExternalName\`;
- \`type: ExternalName\` needs \`externalName\`, a DNS name, and cannot set \`clusterIP\`, \`ipFamilies\` or \`ipFamilyPolicy\`;
- \`nodePort\` cannot be set when the type is \`ClusterIP\` (the default);
- two ports may not share a protocol and port number, nor a protocol and node port;
- \`loadBalancerSourceRanges\` and \`allocateLoadBalancerNodePorts\` only apply to \`type: LoadBalancer\`, and the
  ranges must be CIDRs;
- \`externalTrafficPolicy\` only applies to externally reachable Services (LoadBalancer, NodePort, or
  ClusterIP with \`externalIPs\`), and \`healthCheckNodePort\` only to LoadBalancer with
  \`externalTrafficPolicy: Local\`;
- \`sessionAffinityConfig\` requires \`sessionAffinity: ClientIP\`, with a timeout between 1 and 86400 seconds;
- \`clusterIP\`, \`clusterIPs\` and \`externalIPs\` hold IP addresses (or \`None\` for the cluster IP).

## Example

\`\`\`yaml
kind: Service
spec:
  type: LoadBalancer
  clusterIP: None       # spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for LoadBalancer services
\`\`\`
`;

const IP_EXAMPLE = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const CIDR_EXAMPLE = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

function isCIDR(value: string): boolean {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(value);
  if (!m) return false;
  const family = isIP(m[1] ?? '');
  const bits = Number(m[2]);
  return family !== 0 && bits <= (family === 4 ? 32 : 128);
}

function check(info: ObjectInfo, report: Reporter): void {
  if (!is(info, 'Service', '')) return;
  const spec = getObject(info.object, 'spec') ?? ({} as JsonObject);
  const sp = FieldPath.root().child('spec');
  const type = getString(spec, 'type') || 'ClusterIP';
  const clusterIPs = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [];
  const clusterIP = getString(spec, 'clusterIP') || (typeof clusterIPs[0] === 'string' ? clusterIPs[0] : '');
  const clusterIPAt = spec.clusterIP !== undefined ? sp.child('clusterIP') : sp.child('clusterIPs').index(0);
  const headless = clusterIP === 'None';
  const ports = objectItems(spec.ports);

  if (ports.length === 0 && !headless && type !== 'ExternalName') report(sp.child('ports'), required(sp.child('ports')));
  if (headless && (type === 'LoadBalancer' || type === 'NodePort')) {
    report(clusterIPAt, invalid(sp.child('clusterIPs').index(0), 'None', `may not be set to 'None' for ${type} services`));
  }
  if (type === 'ExternalName') {
    if (clusterIP !== '') report(clusterIPAt, forbidden(sp.child('clusterIPs'), 'may not be set for ExternalName services'));
    if (Array.isArray(spec.ipFamilies) && spec.ipFamilies.length > 0) report(sp.child('ipFamilies'), forbidden(sp.child('ipFamilies'), 'may not be set for ExternalName services'), { target: 'key' });
    if (spec.ipFamilyPolicy !== undefined && spec.ipFamilyPolicy !== null) report(sp.child('ipFamilyPolicy'), forbidden(sp.child('ipFamilyPolicy'), 'may not be set for ExternalName services'), { target: 'key' });
    const name = (getString(spec, 'externalName') ?? '').replace(/\.$/, '');
    if (name === '') report(sp.child('externalName'), required(sp.child('externalName')));
    else for (const msg of nameIsDNSSubdomain(name, false)) report(sp.child('externalName'), invalid(sp.child('externalName'), name, msg));
  } else if (clusterIP !== '' && !headless) {
    clusterIPs.forEach((ip, i) => {
      if (typeof ip === 'string' && ip !== 'None' && isIP(ip) === 0) report(sp.child('clusterIPs').index(i), invalid(sp.child('clusterIPs').index(i), ip, IP_EXAMPLE));
    });
    if (clusterIPs.length === 0 && isIP(clusterIP) === 0) report(clusterIPAt, invalid(sp.child('clusterIPs').index(0), clusterIP, IP_EXAMPLE));
  }

  const seenPorts = new Set<string>();
  const seenNodePorts = new Set<string>();
  for (const [i, port] of ports) {
    const p = sp.child('ports').index(i);
    const protocol = getString(port, 'protocol') || 'TCP';
    if (isInt(port.nodePort) && port.nodePort !== 0) {
      if (type === 'ClusterIP') report(p.child('nodePort'), forbidden(p.child('nodePort'), "may not be used when `type` is 'ClusterIP'"));
      const key = `${protocol}/${port.nodePort}`;
      if (seenNodePorts.has(key)) report(p.child('nodePort'), duplicate(p.child('nodePort'), port.nodePort));
      seenNodePorts.add(key);
    }
    if (isInt(port.port)) {
      const key = `${protocol}/${port.port}`;
      if (seenPorts.has(key)) report(p, duplicate(p, `${protocol}/${port.port}`));
      seenPorts.add(key);
    }
  }

  const ranges = spec.loadBalancerSourceRanges;
  if (Array.isArray(ranges) && ranges.length > 0) {
    const rp = sp.child('LoadBalancerSourceRanges');
    if (type !== 'LoadBalancer') report(sp.child('loadBalancerSourceRanges'), forbidden(rp, "may only be used when `type` is 'LoadBalancer'"), { target: 'key' });
    ranges.forEach((r, i) => {
      if (typeof r === 'string' && !isCIDR(r.trim())) report(sp.child('loadBalancerSourceRanges').index(i), invalid(rp.index(i), r.trim(), CIDR_EXAMPLE));
    });
  }
  if (spec.allocateLoadBalancerNodePorts !== undefined && spec.allocateLoadBalancerNodePorts !== null && type !== 'LoadBalancer') {
    report(sp.child('allocateLoadBalancerNodePorts'), forbidden(sp.child('allocateLoadBalancerNodePorts'), "may only be used when `type` is 'LoadBalancer'"), { target: 'key' });
  }
  const externalIPs = Array.isArray(spec.externalIPs) ? spec.externalIPs : [];
  externalIPs.forEach((ip, i) => {
    if (typeof ip === 'string' && isIP(ip) === 0) report(sp.child('externalIPs').index(i), invalid(sp.child('externalIPs').index(i), ip, IP_EXAMPLE));
  });
  const externallyAccessible = type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && externalIPs.length > 0);
  const etp = spec.externalTrafficPolicy;
  if (!externallyAccessible && typeof etp === 'string' && etp !== '') {
    report(sp.child('externalTrafficPolicy'), invalid(sp.child('externalTrafficPolicy'), etp, 'may only be set for externally-accessible services'));
  }
  const hc = spec.healthCheckNodePort;
  if (isInt(hc) && hc !== 0 && !(type === 'LoadBalancer' && etp === 'Local')) {
    report(sp.child('healthCheckNodePort'), invalid(sp.child('healthCheckNodePort'), hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  }
  const affinity = getString(spec, 'sessionAffinity') || 'None';
  const config = spec.sessionAffinityConfig;
  if (affinity === 'None' && isObject(config)) {
    report(sp.child('sessionAffinityConfig'), forbidden(sp.child('sessionAffinityConfig'), 'must not be set when session affinity is None'), { target: 'key' });
  }
  const seconds = isObject(config) && isObject(config.clientIP) ? config.clientIP.timeoutSeconds : undefined;
  if (affinity === 'ClientIP' && isInt(seconds) && (seconds <= 0 || seconds > 86400)) {
    const tp = sp.child('sessionAffinityConfig', 'clientIP', 'timeoutSeconds');
    report(tp, invalid(tp, seconds, 'must be greater than 0 and less than 86400'));
  }
}

export const serviceSpec = apiServerRule('service-spec', 'Service fields are combined the way the API server allows.', help, check);
