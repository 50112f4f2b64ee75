import { describe, expect, it } from 'vitest';
import { runRuleOn } from '../../../../test/helpers/rule-tester.ts';
import type { RunSettings } from '../rule.ts';
import { ingressSpec } from './ingress-spec.ts';

const run = (text: string, settings?: Partial<RunSettings>) => runRuleOn(ingressSpec, text, settings ? { settings } : {}).sort((a, b) => a.line - b.line || a.column - b.column);
/** Line and column of the nth occurrence of `needle`: where the finding must point. */
function at(text: string, needle: string, nth = 0): { line: number; column: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`${needle} not in test YAML`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, column: (before.at(-1) ?? '').length + 1 };
}
type Expected = [needle: string, message: string, nth?: number];
const expected = (text: string, list: Expected[]) => list.map(([needle, message, nth]) => ({ rule: 'ingress-spec', severity: 'error', ...at(text, needle, nth), message }));

const ing = (spec: string) => `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n${spec}`;
const path = (p: string, type = 'Prefix') => `  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - path: ${p}\n        pathType: ${type}\n        backend: {service: {name: web, port: {number: 80}}}`;

const valid: [string, string, Partial<RunSettings>?][] = [
  ['paths, hosts, TLS and a class', ing(`  ingressClassName: nginx\n  tls: [{hosts: [shop.example.com, "*.example.com"], secretName: tls}]\n${path('/api')}`)],
  ['ImplementationSpecific with a regex-looking path', ing(path('/api/(.*)', 'ImplementationSpecific'))],
  ['a default backend only', ing('  defaultBackend: {service: {name: web, port: {number: 80}}}')],
  ['a wildcard host', ing(path('/').replace('shop.example.com', '"*.example.com"'))],
];

const invalid: [string, string, Expected[], Partial<RunSettings>?][] = [
  ['a relative Prefix path', ing(path('api')), [['api\n', 'spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path']]],
  [
    'bad sequences and suffixes',
    ing(path('/a//b/.')),
    [
      ['/a//b/.', "spec.rules[0].http.paths[0].path: Invalid value: \"/a//b/.\": must not contain '//'"],
      ['/a//b/.', "spec.rules[0].http.paths[0].path: Invalid value: \"/a//b/.\": cannot end with '/.'"],
    ],
  ],
  ['neither rules nor default backend', ing('  ingressClassName: nginx'), [['spec', 'spec: Invalid value: null: either `defaultBackend` or `rules` must be specified']]],
  [
    'hosts: an IP, a bad wildcard',
    ing(path('/').replace('shop.example.com', '10.0.0.1')) + '\n---\n' + ing(path('/').replace('shop.example.com', '"shop.*.com"')),
    [
      ['10.0.0.1', 'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address'],
      ['"shop.*.com"', expect.stringMatching(/^spec\.rules\[0\]\.host: Invalid value: "shop\.\*\.com": a wildcard DNS-1123 subdomain must start with/) as unknown as string],
    ],
  ],
  ['a backend Service name with dots', ing(path('/').replace('name: web', 'name: web.prod')), [['web.prod', expect.stringMatching(/^spec\.rules\[0\]\.http\.paths\[0\]\.backend\.service\.name: Invalid value: "web\.prod": a DNS-1035 label/) as unknown as string]]],
];

describe('ingress-spec', () => {
  it.each(valid)('valid: %s', (_name, text, settings) => {
    expect(run(text, settings)).toEqual([]);
  });
  it.each(invalid)('invalid: %s', (_name, text, list, settings) => {
    expect(run(text, settings)).toEqual(expected(text, list));
  });
});
