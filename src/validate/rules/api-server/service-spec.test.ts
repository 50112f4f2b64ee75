import { describe, expect, it } from 'vitest';
import { runRuleOn } from '../../../../test/helpers/rule-tester.ts';
import type { RunSettings } from '../rule.ts';
import { serviceSpec } from './service-spec.ts';

const run = (text: string, settings?: Partial<RunSettings>) => runRuleOn(serviceSpec, text, settings ? { settings } : {}).sort((a, b) => a.line - b.line || a.column - b.column);
/** Line and column of the nth occurrence of `needle`: where the finding must point. */
function at(text: string, needle: string, nth = 0): { line: number; column: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`${needle} not in test YAML`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, column: (before.at(-1) ?? '').length + 1 };
}
type Expected = [needle: string, message: string, nth?: number];
const expected = (text: string, list: Expected[]) => list.map(([needle, message, nth]) => ({ rule: 'service-spec', severity: 'error', ...at(text, needle, nth), message }));

const svc = (spec: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n${spec}`;

const valid: [string, string, Partial<RunSettings>?][] = [
  ['a plain ClusterIP Service', svc('  selector: {app: a}\n  ports: [{name: http, port: 80, targetPort: 8080}, {name: dns, port: 53, protocol: UDP}, {name: dns-tcp, port: 53}]')],
  ['a headless Service without ports', svc('  clusterIP: None\n  selector: {app: a}')],
  ['ExternalName with a trailing dot', svc('  type: ExternalName\n  externalName: db.example.com.')],
  ['a NodePort Service', svc('  type: NodePort\n  externalTrafficPolicy: Local\n  ports: [{port: 80, nodePort: 30080}, {port: 80, protocol: UDP, nodePort: 30080}]')],
  [
    'a LoadBalancer with everything',
    svc('  type: LoadBalancer\n  externalTrafficPolicy: Local\n  healthCheckNodePort: 32000\n  allocateLoadBalancerNodePorts: false\n  loadBalancerSourceRanges: ["10.0.0.0/8", " 2001:db8::/64 "]\n  sessionAffinity: ClientIP\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 10800}}\n  ports: [{port: 443}]'),
  ],
  ['ClusterIP with externalIPs may set externalTrafficPolicy', svc('  externalIPs: [203.0.113.10]\n  externalTrafficPolicy: Cluster\n  clusterIP: 10.96.0.10\n  ports: [{port: 80}]')],
];

const invalid: [string, string, Expected[], Partial<RunSettings>?][] = [
  ['a headless LoadBalancer', svc('  type: LoadBalancer\n  clusterIP: None\n  ports: [{port: 80}]'), [['None', "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for LoadBalancer services"]]],
  ['no ports', svc('  selector: {app: a}'), [['spec:', 'spec.ports: Required value']]],
  [
    'ExternalName without a name, with a cluster IP',
    svc('  type: ExternalName\n  clusterIP: 10.0.0.1\n  externalName: Bad_Name'),
    [
      ['10.0.0.1', 'spec.clusterIPs: Forbidden: may not be set for ExternalName services'],
      ['Bad_Name', expect.stringMatching(/^spec\.externalName: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/) as unknown as string],
    ],
  ],
  [
    'node ports on a ClusterIP Service, duplicates',
    svc('  ports:\n  - {name: a, port: 80, nodePort: 30080}\n  - {name: b, port: 80}'),
    [
      ['30080', "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
      ['{name: b', 'spec.ports[1]: Duplicate value: "TCP/80"'],
    ],
  ],
  [
    'LoadBalancer-only fields on a NodePort Service',
    svc('  type: NodePort\n  loadBalancerSourceRanges: [10.0.0.0/33]\n  allocateLoadBalancerNodePorts: true\n  healthCheckNodePort: 32000\n  ports: [{port: 80}]'),
    [
      ['loadBalancerSourceRanges', "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'"],
      ['10.0.0.0/33', 'spec.LoadBalancerSourceRanges[0]: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'],
      ['allocateLoadBalancerNodePorts', "spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'"],
      ['32000', "spec.healthCheckNodePort: Invalid value: 32000: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"],
    ],
  ],
  ['externalTrafficPolicy on an internal Service', svc('  externalTrafficPolicy: Local\n  ports: [{port: 80}]'), [['Local', 'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services']]],
  [
    'session affinity config without ClientIP, and a bad timeout',
    `${svc('  sessionAffinityConfig: {clientIP: {timeoutSeconds: 10}}\n  ports: [{port: 80}]')}\n---\n${svc('  sessionAffinity: ClientIP\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 0}}\n  ports: [{port: 80}]')}`,
    [
      ['sessionAffinityConfig', 'spec.sessionAffinityConfig: Forbidden: must not be set when session affinity is None'],
      ['0}}', 'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400', 1],
    ],
  ],
  ['bad IPs', svc('  clusterIP: 10.0.0.300\n  externalIPs: [example.com]\n  ports: [{port: 80}]'), [['10.0.0.300', 'spec.clusterIPs[0]: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'], ['example.com', 'spec.externalIPs[0]: Invalid value: "example.com": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']]],
];

describe('service-spec', () => {
  it.each(valid)('valid: %s', (_name, text, settings) => {
    expect(run(text, settings)).toEqual([]);
  });
  it.each(invalid)('invalid: %s', (_name, text, list, settings) => {
    expect(run(text, settings)).toEqual(expected(text, list));
  });
});
