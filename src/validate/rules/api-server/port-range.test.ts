import { describe, expect, it } from 'vitest';
import { runRuleOn, yaml } from '../../../../test/helpers/rule-tester.ts';
import type { RuleConfig } from '../run.ts';
import { portRange } from './port-range.ts';

const RANGE = 'must be between 1 and 65535, inclusive';
const run = (text: string, config?: RuleConfig) => runRuleOn(portRange, text, config ? { config } : {}).sort((a, b) => a.line - b.line || a.column - b.column);
const f = (line: number, column: number, message: string, severity = 'error') => ({ rule: 'port-range', severity, line, column, message });

const pod = (containers: string, extra = '') => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n${extra}  containers:\n${containers}`;

const valid: [string, string][] = [
  [
    'a pod with ports, host ports and probes',
    pod(
      yaml`
        - name: a
          image: x
          ports:
          - {containerPort: 8080, name: http}
          - {containerPort: 53, protocol: UDP, hostPort: 53}
          - {containerPort: 53, protocol: TCP, hostPort: 53}
          livenessProbe: {httpGet: {port: http, path: /}}
          readinessProbe: {tcpSocket: {port: 8080}}
          startupProbe: {grpc: {port: 9090}}
        - name: b
          image: x
          ports: [{containerPort: 8080}]
      `.replace(/^/gm, '  '),
    ),
  ],
  ['hostNetwork with equal ports', pod('  - {name: a, image: x, ports: [{containerPort: 9100, hostPort: 9100}]}\n', '  hostNetwork: true\n')],
  ['hostNetwork with no hostPort in a template', 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      containers: [{name: a, image: x, ports: [{containerPort: 9100}]}]'],
  ['an absent containerPort is the schema rule’s finding', pod('  - name: a\n    image: x\n    ports:\n    - name: http\n')],
  ['init containers may reuse a host port (they run one at a time)', pod('  - {name: a, image: x, ports: [{containerPort: 80, hostPort: 80}]}\n', '  initContainers:\n  - {name: i, image: x, ports: [{containerPort: 80, hostPort: 80}]}\n')],
  [
    'a Service with all kinds of ports',
    'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: LoadBalancer\n  externalTrafficPolicy: Local\n  healthCheckNodePort: 32000\n  ports:\n  - {name: a, port: 80, targetPort: http, nodePort: 30080}\n  - {name: b, port: 443, targetPort: 8443, nodePort: 0}',
  ],
  ['an Ingress backend by name and by number', 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n  defaultBackend: {service: {name: a, port: {number: 80}}}\n  rules:\n  - http:\n      paths:\n      - {path: /, pathType: Prefix, backend: {service: {name: a, port: {name: http}}}}'],
  ['a NetworkPolicy port range', 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n}\nspec:\n  podSelector: {}\n  egress:\n  - ports:\n    - {port: 32000, endPort: 32768}\n    - {port: dns}\n    - {protocol: UDP}'],
];

const invalid: [string, string, ReturnType<typeof f>[], RuleConfig?][] = [
  ['J4-like: a containerPort of 70000', pod('  - {name: a, image: x, ports: [{containerPort: 70000}]}\n'), [f(6, 49, `spec.containers[0].ports[0].containerPort: Invalid value: 70000: ${RANGE}`)]],
  ['a zero containerPort', pod('  - {name: a, image: x, ports: [{containerPort: 0}]}\n'), [f(6, 49, 'spec.containers[0].ports[0].containerPort: Required value')]],
  ['a negative hostPort', pod('  - {name: a, image: x, ports: [{containerPort: 80, hostPort: -1}]}\n'), [f(6, 63, `spec.containers[0].ports[0].hostPort: Invalid value: -1: ${RANGE}`)]],
  [
    'hostNetwork with a different hostPort',
    pod('  - {name: a, image: x, ports: [{containerPort: 80, hostPort: 8080}]}\n', '  hostNetwork: true\n'),
    [f(7, 63, 'spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true')],
  ],
  [
    'two containers on one host port',
    pod('  - {name: a, image: x, ports: [{containerPort: 80, hostPort: 80}]}\n  - {name: b, image: x, ports: [{containerPort: 81, hostPort: 80}]}\n'),
    [f(7, 63, 'spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//80"')],
  ],
  [
    'probe ports',
    pod('  - name: a\n    image: x\n    livenessProbe: {httpGet: {port: 0}}\n    readinessProbe: {grpc: {port: 65536}}\n    lifecycle: {preStop: {tcpSocket: {port: 99999}}}\n'),
    [
      f(8, 37, `spec.containers[0].livenessProbe.httpGet.port: Invalid value: 0: ${RANGE}`),
      f(9, 35, `spec.containers[0].readinessProbe.grpc.port: Invalid value: 65536: ${RANGE}`),
      f(10, 45, `spec.containers[0].lifecycle.preStop.tcpSocket.port: Invalid value: 99999: ${RANGE}`),
    ],
  ],
  [
    'Service ports: J4 port 70000, a zero port, a bad targetPort',
    'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n  - {name: a, port: 70000}\n  - {name: b, port: 0}\n  - {name: c, port: 80, targetPort: 65536}',
    [
      f(6, 21, `spec.ports[0].port: Invalid value: 70000: ${RANGE}`),
      f(7, 21, `spec.ports[1].port: Invalid value: 0: ${RANGE}`),
      f(8, 37, `spec.ports[2].targetPort: Invalid value: 65536: ${RANGE}`),
    ],
  ],
  [
    'node ports outside the default range warn; outside 1-65535 they fail',
    'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: NodePort\n  ports:\n  - {name: a, port: 80, nodePort: 80}\n  - {name: b, port: 81, nodePort: 70000}',
    [
      f(7, 35, 'spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767 (the default; set the nodePortRange option if your cluster uses another)', 'warning'),
      f(8, 35, `spec.ports[1].nodePort: Invalid value: 70000: ${RANGE}`),
    ],
  ],
  [
    'the nodePortRange option',
    'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: NodePort\n  ports:\n  - {name: a, port: 80, nodePort: 30080}',
    [f(7, 35, 'spec.ports[0].nodePort: Invalid value: 30080: provided port is not in the valid range. The range of valid ports is 20000-29999 (the default; set the nodePortRange option if your cluster uses another)', 'warning')],
    { options: { nodePortRange: '20000-29999' } },
  ],
  [
    'Ingress backends',
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n  defaultBackend: {service: {name: a, port: {number: 70000}}}\n  rules:\n  - http:\n      paths:\n      - {path: /, pathType: Prefix, backend: {service: {name: a, port: {}}}}',
    [
      f(5, 54, `spec.defaultBackend.service.port.number: Invalid value: 70000: ${RANGE}`),
      f(9, 72, 'spec.rules[0].http.paths[0].backend: Required value: port name or number is required'),
    ],
  ],
  [
    'NetworkPolicy endPort rules',
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n}\nspec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - {port: 9000, endPort: 8000}\n    - {port: http, endPort: 90}\n    - {endPort: 90}',
    [
      f(8, 29, 'spec.ingress[0].ports[0].endPort: Invalid value: 9000: must be greater than or equal to `port`'),
      f(9, 29, 'spec.ingress[0].ports[1].endPort: Invalid value: 90: may not be specified when `port` is non-numeric'),
      f(10, 17, 'spec.ingress[0].ports[2].endPort: Invalid value: 90: may not be specified when `port` is not specified'),
    ],
  ],
];

describe('port-range', () => {
  it.each(valid)('valid: %s', (_name, text) => {
    expect(run(text)).toEqual([]);
  });
  it.each(invalid)('invalid: %s', (_name, text, expected, config) => {
    expect(run(text, config)).toEqual(expected);
  });
});
