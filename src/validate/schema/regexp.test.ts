import { describe, expect, it } from 'vitest';
import { formats } from './formats.ts';
import { goRegExp, translateGoRegExp } from './regexp.ts';

describe('Go (RE2) patterns in JavaScript', () => {
  // [Go pattern, matches, does not match]
  const table: [string, string[], string[]][] = [
    ['^(?i)(abort|warn)?$', ['abort', 'WARN', 'Abort', ''], ['stop']], // prometheus-operator
    ['^((?i)january|february)$', ['January', 'JANUARY', 'february'], ['march']], // mid-pattern flag: widened to the whole pattern
    ['(?i:ab)c', ['ABc', 'abc'], ['xbc']],
    ['^(?P<year>\\d{4})-(?P<month>\\d{2})$', ['2024-01'], ['24-01']],
    ['^abc\\z', ['abc'], ['abc\n', 'abcd']],
    ['\\Aabc', ['abcd'], ['xabc']],
    ['^\\Qa.b*c\\E$', ['a.b*c'], ['axbbc']],
    ['^[[:alpha:]][[:digit:]]+$', ['a1', 'Z99'], ['1a', 'a']],
    ['^\\pL+$', ['héllo', 'Ωmega'], ['abc1']],
    ['^\\p{Greek}+$', ['αβγ'], ['abc']],
    ['^[\\w\\s:/.\\\\-]+$', ['a b:/c.d\\e-f'], ['a*b']], // kube-prometheus, escaped `-` inside a class
    ['^a\\-b\\"c$', ['a-b"c'], ['ab"c']], // escaped punctuation JavaScript's `u` mode refuses
    ['^[]a]+$', [']a]'], ['b']], // a leading ] in a class is a literal in Go
    ['^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$', ['100Mi', '0.5', '1e3', '250m'], ['1.5.5', 'Mi']],
  ];
  it.each(table)('%s', (pattern, yes, no) => {
    const t = translateGoRegExp(pattern);
    expect(t.ok, JSON.stringify(t)).toBe(true);
    const rx = goRegExp(pattern);
    for (const s of yes) expect(rx.test(s), `${pattern} should match ${JSON.stringify(s)}`).toBe(true);
    for (const s of no) expect(rx.test(s), `${pattern} should not match ${JSON.stringify(s)}`).toBe(false);
  });

  it('refuses what JavaScript cannot express, and such patterns then accept everything (never a false positive)', () => {
    for (const p of ['(?U)a+', 'a\\C', '[[:^alpha:]]', '(unclosed']) {
      const t = translateGoRegExp(p);
      expect(t.ok, p).toBe(false);
      expect(goRegExp(p).test('anything at all')).toBe(true);
    }
  });
});

describe('formats', () => {
  const check = (name: string, value: string | number): boolean => (formats[name]?.validate as (v: unknown) => boolean)(value);
  it.each([
    ['byte', 'aGVsbG8=', true],
    ['byte', '', true],
    ['byte', 'aGVs\nbG8=', true],
    ['byte', 'not-base64!', false],
    ['byte', 'aGVsbG8', false],
    ['date-time', '2024-01-31T12:00:00Z', true],
    ['date-time', '2024-01-31T12:00:00.123+02:00', true],
    ['date-time', '2024-01-31', false],
    ['date', '2024-01-31', true],
    ['duration', '1h30m', true],
    ['duration', '2w', true],
    ['duration', '5 minutes', true],
    ['duration', '0', true],
    ['duration', 'soon', false],
    ['int32', 2147483647, true],
    ['int32', 2147483648, false],
    ['ipv4', '10.0.0.1', true],
    ['ipv4', '10.0.0.256', false],
    ['ipv6', '::1', true],
    ['cidr', '10.0.0.0/8', true],
    ['cidr', '10.0.0.0/33', false],
    ['uuid', 'F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6', true],
    ['mac', '00:1a:2b:3c:4d:5e', true],
  ] as const)('%s %j → %s', (name, value, ok) => {
    expect(check(name, value)).toBe(ok);
  });
});
