import { describe, expect, it } from 'vitest';
import { runRuleOn } from '../../../../test/helpers/rule-tester.ts';
import { portName } from './port-name.ts';

const run = (text: string) => runRuleOn(portName, text).sort((a, b) => a.line - b.line || a.column - b.column);
/** Line and column of the nth occurrence of `needle`: where the finding must point. */
function at(text: string, needle: string, nth = 0): { line: number; column: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`${needle} not in test YAML`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, column: (before.at(-1) ?? '').length + 1 };
}
type Expected = [needle: string, message: string, opts?: { nth?: number; severity?: string }];
const expected = (text: string, list: Expected[]) => list.map(([needle, message, o]) => ({ rule: 'port-name', severity: o?.severity ?? 'error', ...at(text, needle, o?.nth), message }));

const CHARS = 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)';
const pod = (containers: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n${containers}`;

const valid: [string, string][] = [
  [
    'named ports, referenced by probes, and reused across two pods',
    pod('  - name: a\n    image: x\n    ports: [{name: http, containerPort: 80}, {name: metrics, containerPort: 9090}]\n    livenessProbe: {httpGet: {port: http}}\n    readinessProbe: {tcpSocket: {port: 80}}\n'),
  ],
  ['a single unnamed Service port', 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: 80, targetPort: http}]'],
  ['long Service port names are DNS labels', `apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n  - {name: ${'a'.repeat(40)}, port: 80}\n  - {name: b, port: 81, targetPort: 8081}`],
  ['Ingress and NetworkPolicy by name', 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n  defaultBackend: {service: {name: a, port: {name: https}}}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n}\nspec:\n  podSelector: {}\n  ingress: [{ports: [{port: dns-tcp}]}]'],
];

const invalid: [string, string, Expected[]][] = [
  [
    'container port names: charset, length, duplicates',
    pod('  - name: a\n    image: x\n    ports:\n    - {name: http_api, containerPort: 80}\n    - {name: metrics-endpoint, containerPort: 81}\n    - {name: web, containerPort: 82}\n    - {name: web, containerPort: 83}\n'),
    [
      ['http_api', `spec.containers[0].ports[0].name: Invalid value: "http_api": ${CHARS}`],
      ['metrics-endpoint', 'spec.containers[0].ports[1].name: Invalid value: "metrics-endpoint": must be no more than 15 characters'],
      ['web', 'spec.containers[0].ports[3].name: Duplicate value: "web"', { nth: 1 }],
    ],
  ],
  [
    'the same name in two containers of a pod is a warning',
    pod('  - {name: a, image: x, ports: [{name: http, containerPort: 80}]}\n  - {name: b, image: x, ports: [{name: http, containerPort: 81}]}\n'),
    [['http', 'spec.containers[1].ports[0].name: port name "http" is also used by container "a" of this pod; a Service targetPort naming it is ambiguous', { nth: 1, severity: 'warning' }]],
  ],
  [
    'probe ports by name',
    pod('  - name: a\n    image: x\n    livenessProbe: {httpGet: {port: "8080x--y"}}\n    startupProbe: {tcpSocket: {port: HTTP}}\n'),
    [
      ['"8080x--y"', 'spec.containers[0].livenessProbe.httpGet.port: Invalid value: "8080x--y": must not contain consecutive hyphens'],
      ['HTTP', `spec.containers[0].startupProbe.tcpSocket.port: Invalid value: "HTTP": ${CHARS}`],
      ['HTTP', 'spec.containers[0].startupProbe.tcpSocket.port: Invalid value: "HTTP": must contain at least one letter (a-z)'],
    ],
  ],
  [
    'Service ports: a missing name, a bad name, a duplicate, a bad targetPort',
    'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n  - {port: 80}\n  - {name: Web, port: 81}\n  - {name: api, port: 82, targetPort: web_http}\n  - {name: api, port: 83}',
    [
      ['{port: 80}', 'spec.ports[0].name: Required value'],
      ['Web', expect.stringMatching(/^spec\.ports\[1\]\.name: Invalid value: "Web": a lowercase RFC 1123 label/) as unknown as string],
      ['web_http', `spec.ports[2].targetPort: Invalid value: "web_http": ${CHARS}`],
      ['api, port: 83', 'spec.ports[3].name: Duplicate value: "api"'],
    ],
  ],
  [
    'an Ingress backend with both name and number',
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n  defaultBackend:\n    service:\n      name: a\n      port: {name: http, number: 80}',
    [['{name: http', 'spec.defaultBackend: Invalid value: "": cannot set both port name & port number']],
  ],
];

describe('port-name', () => {
  it.each(valid)('valid: %s', (_name, text) => {
    expect(run(text)).toEqual([]);
  });
  it.each(invalid)('invalid: %s', (_name, text, list) => {
    expect(run(text)).toEqual(expected(text, list));
  });
});
