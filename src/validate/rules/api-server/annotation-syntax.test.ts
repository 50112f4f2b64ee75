import { describe, expect, it } from 'vitest';
import { runRuleOn } from '../../../../test/helpers/rule-tester.ts';
import { annotationSyntax } from './annotation-syntax.ts';

const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

const run = (text: string) => runRuleOn(annotationSyntax, text).sort((a, b) => a.line - b.line || a.column - b.column);
const f = (line: number, column: number, message: string) => ({ rule: 'annotation-syntax', severity: 'error', line, column, message });

const big = (n: number) => 'x'.repeat(n);

const valid: [string, string][] = [
  ['common annotations, upper case allowed', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    Example.COM/Owner: team-a\n    kubectl.kubernetes.io/default-container: app\n    note: "free text: anything goes {}"'],
  ['exactly 256 KiB in total', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    k: ${big(262144 - 1)}`],
  ['a non-string value is the schema rule’s business', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations: {"a": 1}'],
];

const invalid: [string, string, ReturnType<typeof f>[]][] = [
  ['a key with a space', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    example.com/owner team: a', [f(6, 5, `metadata.annotations: Invalid value: "example.com/owner team": ${NAME_PART}`)]],
  ['a key with two slashes', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    a/b/c: x', [f(6, 5, expect.stringMatching(/^metadata\.annotations: Invalid value: "a\/b\/c": a valid label key must consist of/) as unknown as string)]],
  [
    'one byte over 256 KiB, counting UTF-8 bytes',
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    k: ${big(262144 - 2)}é`,
    [f(5, 3, 'metadata.annotations: Too long: may not be more than 262144 bytes (these annotations total 262145 bytes)')],
  ],
  [
    'pod template annotations',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  template:\n    metadata:\n      annotations: {"-bad": x}\n    spec: {}',
    [f(7, 21, `spec.template.annotations: Invalid value: "-bad": ${NAME_PART}`)],
  ],
];

describe('annotation-syntax', () => {
  it.each(valid)('valid: %s', (_name, text) => {
    expect(run(text)).toEqual([]);
  });
  it.each(invalid)('invalid: %s', (_name, text, expected) => {
    expect(run(text)).toEqual(expected);
  });
});
