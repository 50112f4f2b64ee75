import { describe, expect, it } from 'vitest';
import { runRuleOn } from '../../../../test/helpers/rule-tester.ts';
import { protocol } from './protocol.ts';

const run = (text: string) => runRuleOn(protocol, text).sort((a, b) => a.line - b.line || a.column - b.column);
function at(text: string, needle: string, nth = 0): { line: number; column: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`${needle} not in test YAML`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, column: (before.at(-1) ?? '').length + 1 };
}
type Expected = [needle: string, message: string, nth?: number];
const expected = (text: string, list: Expected[]) => list.map(([needle, message, nth]) => ({ rule: 'protocol', severity: 'error', ...at(text, needle, nth), message }));

const SUPPORTED = 'supported values: "SCTP", "TCP", "UDP"';

const valid: [string, string][] = [
  ['H1: {88,UDP} and {88,TCP}', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a, image: x, ports: [{containerPort: 88, protocol: UDP}, {containerPort: 88, protocol: TCP}, {containerPort: 89}]}'],
  ['Service SCTP and an empty protocol (defaulted)', 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{name: a, port: 80, protocol: SCTP}, {name: b, port: 81, protocol: ""}]'],
  ['a number is the schema rule’s finding', 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: 80, protocol: 22}]'],
];

const invalid: [string, string, Expected[]][] = [
  ['I1: protocol udp in a Deployment', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        image: x\n        ports:\n        - {containerPort: 53, protocol: udp}', [['udp', `spec.template.spec.containers[0].ports[0].protocol: Unsupported value: "udp": ${SUPPORTED}`]]],
  ['tcp in a Service', 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n  - {port: 80, protocol: tcp}', [['tcp', `spec.ports[0].protocol: Unsupported value: "tcp": ${SUPPORTED}`]]],
  ['HTTP belongs in appProtocol', 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n  - {port: 80, protocol: HTTP}', [['HTTP', `spec.ports[0].protocol: Unsupported value: "HTTP": ${SUPPORTED}`]]],
  [
    'NetworkPolicy lists the values in its own order',
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n}\nspec:\n  podSelector: {}\n  egress:\n  - ports: [{port: 53, protocol: Udp}]',
    [['Udp', 'spec.egress[0].ports[0].protocol: Unsupported value: "Udp": supported values: "TCP", "UDP", "SCTP"']],
  ],
  ['an init container', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers:\n  - {name: i, image: x, ports: [{containerPort: 1, protocol: ICMP}]}\n  containers: []', [['ICMP', `spec.initContainers[0].ports[0].protocol: Unsupported value: "ICMP": ${SUPPORTED}`]]],
];

describe('protocol', () => {
  it.each(valid)('valid: %s', (_name, text) => {
    expect(run(text)).toEqual([]);
  });
  it.each(invalid)('invalid: %s', (_name, text, list) => {
    expect(run(text)).toEqual(expected(text, list));
  });
});
