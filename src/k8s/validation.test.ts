import { describe, expect, it } from 'vitest';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, isValidPortName, isValidPortNum } from './validation.ts';

// Messages are compared with apimachinery's util/validation (and api/validate/content) for the same inputs.

describe('isDNS1123Label', () => {
  it.each(['a', 'my-name', '123-abc', 'a'.repeat(63)])('accepts %s', (v) => expect(isDNS1123Label(v)).toEqual([]));

  it('explains dots, as newer API servers do, instead of quoting the regex', () => {
    expect(isDNS1123Label('my.name')).toEqual(['must not contain dots']);
  });

  it('quotes the regex for other shapes', () => {
    expect(isDNS1123Label('My_App')).toEqual([
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
    expect(isDNS1123Label('')).toHaveLength(1);
  });

  it('reports length first', () => {
    expect(isDNS1123Label('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
  });
});

describe('isDNS1123Subdomain / isDNS1035Label', () => {
  it('subdomains allow dots, not underscores or capitals', () => {
    expect(isDNS1123Subdomain('example.com')).toEqual([]);
    expect(isDNS1123Subdomain('x.com^2')).toHaveLength(1);
    expect(isDNS1123Subdomain('a'.repeat(254))).toContain('must be no more than 253 characters');
  });
  it('DNS-1035 labels start with a letter', () => {
    expect(isDNS1035Label('abc-123')).toEqual([]);
    expect(isDNS1035Label('1abc')).toHaveLength(1);
    expect(isDNS1035Label('my.svc')).toHaveLength(1);
  });
});

describe('isQualifiedName / isValidLabelValue', () => {
  it.each(['app', 'app.kubernetes.io/name', 'kubernetes.io/os', 'MyName', 'my.name_x-1'])('key %s', (k) => expect(isQualifiedName(k)).toEqual([]));
  it('rejects bad prefixes and names', () => {
    expect(isQualifiedName('/a')).toEqual(['prefix part must be non-empty']);
    expect(isQualifiedName('Example.com/a')[0]).toMatch(/^prefix part a lowercase RFC 1123 subdomain/);
    expect(isQualifiedName('a/b/c')).toHaveLength(1);
    expect(isQualifiedName('a b')[0]).toMatch(/^name part must consist of alphanumeric characters/);
    expect(isQualifiedName('a'.repeat(64))).toEqual(['name part must be no more than 63 characters']);
  });
  it('label values may be empty', () => {
    expect(isValidLabelValue('')).toEqual([]);
    expect(isValidLabelValue('_')).toHaveLength(1);
    expect(isValidLabelValue('---')).toHaveLength(1);
  });
});

describe('isValidPortName', () => {
  it.each(['http', 'metrics', 'h2c', 'a-b-c', 'abcdefghijklmno'])('accepts %s', (v) => expect(isValidPortName(v)).toEqual([]));

  it("reports in Go's order", () => {
    expect(isValidPortName('-http--x-')).toEqual(['must not contain consecutive hyphens', 'must not begin or end with a hyphen']);
    expect(isValidPortName('8080')).toEqual(['must contain at least one letter (a-z)']);
    expect(isValidPortName('HTTP_1')).toEqual(['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)', 'must contain at least one letter (a-z)']);
    expect(isValidPortName('abcdefghijklmnop')).toEqual(['must be no more than 15 characters']);
  });

  it('an empty name is not "too long"', () => {
    expect(isValidPortName('')).toEqual(['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)', 'must contain at least one letter (a-z)']);
  });
});

describe('isValidPortNum', () => {
  it.each([1, 80, 65535])('%d', (p) => expect(isValidPortNum(p)).toEqual([]));
  it.each([0, -1, 65536, 1.5])('%d', (p) => expect(isValidPortNum(p)).toEqual(['must be between 1 and 65535, inclusive']));
});
