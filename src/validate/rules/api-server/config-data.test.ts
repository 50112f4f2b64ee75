import { describe, expect, it } from 'vitest';
import { runRuleOn } from '../../../../test/helpers/rule-tester.ts';
import type { RunSettings } from '../rule.ts';
import { configData } from './config-data.ts';

const run = (text: string, settings?: Partial<RunSettings>) => runRuleOn(configData, text, settings ? { settings } : {}).sort((a, b) => a.line - b.line || a.column - b.column);
/** Line and column of the nth occurrence of `needle`: where the finding must point. */
function at(text: string, needle: string, nth = 0): { line: number; column: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`${needle} not in test YAML`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, column: (before.at(-1) ?? '').length + 1 };
}
type Expected = [needle: string, message: string, nth?: number];
const expected = (text: string, list: Expected[]) => list.map(([needle, message, nth]) => ({ rule: 'config-data', severity: 'error', ...at(text, needle, nth), message }));

const b64 = (s: string) => Buffer.from(s).toString('base64');

const valid: [string, string, Partial<RunSettings>?][] = [
  ['1 MiB less one byte of three-byte characters', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  a: ${'€'.repeat(349_525)}`],
  ['a ConfigMap with file-like keys', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {app.properties: "a=b", KEY_NAME: x, .hidden: y}\nbinaryData: {logo.png: iVBORw0KGgo=}'],
  ['a TLS Secret', `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: kubernetes.io/tls\ndata: {tls.crt: ${b64('c')}, tls.key: ${b64('k')}}`],
  ['a docker config Secret from stringData', 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: \'{"auths": {}}\''],
  ['basic auth with a username only', 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: kubernetes.io/basic-auth\nstringData: {username: admin}'],
  ['a custom type', 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: example.com/anything\ndata: {}'],
];

const invalid: [string, string, Expected[], Partial<RunSettings>?][] = [
  [
    'keys that are paths, and a key in both maps',
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  config/app.yaml: x\n  "..": y\n  logo: z\nbinaryData: {logo: eA==}',
    [
      ['config/app.yaml', expect.stringMatching(/^data\[config\/app\.yaml\]: Invalid value: "config\/app\.yaml": a valid config key must consist of alphanumeric characters, '-', '_' or '\.'/) as unknown as string],
      ['".."', "data[..]: Invalid value: \"..\": must not be '..'"],
      ['logo', 'data[logo]: Invalid value: "logo": duplicate of key present in binaryData'],
    ],
  ],
  ['a TLS Secret without its key', `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${b64('c')}`, [['data:\n', 'data[tls.key]: Required value']]],
  [
    'a docker config that is not JSON',
    `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${b64('{auths')}`,
    [[b64('{auths'), expect.stringMatching(/^data\[\.dockerconfigjson\]: Invalid value: "<secret contents redacted>": not valid JSON: /) as unknown as string]],
  ],
  ['a service account token Secret without its annotation', 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: kubernetes.io/service-account-token', [['metadata', 'metadata.annotations[kubernetes.io/service-account.name]: Required value']]],
  [
    'over 1 MiB',
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  a: ${'x'.repeat(1024 * 1024)}\n  b: "y"`,
    [['data:\n', 'Too long: may not be more than 1048576 bytes (the values total 1048577 bytes)']],
  ],
  [
    'over 1 MiB in UTF-8 bytes, though under it in characters',
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  a: ${'€'.repeat(349_526)}`,
    [['data:\n', 'Too long: may not be more than 1048576 bytes (the values total 1048578 bytes)']],
  ],
  [
    'over 1 MiB with base64 data decoded and stringData together',
    `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  a: ${Buffer.alloc(1024 * 1024 - 2).toString('base64')}\nstringData:\n  b: "€"`,
    [['data:\n', 'data: Too long: may not be more than 1048576 bytes (the values total 1048577 bytes)']],
  ],
];

describe('config-data', () => {
  it.each(valid)('valid: %s', (_name, text, settings) => {
    expect(run(text, settings)).toEqual([]);
  });
  it.each(invalid)('invalid: %s', (_name, text, list, settings) => {
    expect(run(text, settings)).toEqual(expected(text, list));
  });
});
