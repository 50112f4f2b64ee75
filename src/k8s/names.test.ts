import { describe, expect, it } from 'vitest';
import { isConfigMapKey, isEnvVarName, isRelaxedEnvVarName, isValidPathSegmentName, isValidPercent, maskTrailingDash, nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain, nameIsPathSegment } from './names.ts';

describe('name functions', () => {
  it('allow a trailing dash only for generateName prefixes', () => {
    expect(nameIsDNSSubdomain('web-', true)).toEqual([]);
    expect(nameIsDNSSubdomain('web-', false)).toHaveLength(1);
    expect(nameIsDNSLabel('pi-', true)).toEqual([]);
    expect(nameIsDNS1035Label('svc-', true)).toEqual([]);
    expect(maskTrailingDash('ab-')).toBe('aa');
    expect(maskTrailingDash('-')).toBe('a');
  });

  it('RBAC names are path segments', () => {
    expect(nameIsPathSegment('system:controller:foo', false)).toEqual([]);
    expect(nameIsPathSegment('Mixed_Case Ok', false)).toEqual([]);
    expect(isValidPathSegmentName('..')).toEqual(["may not be '..'"]);
    expect(isValidPathSegmentName('a/b%c')).toEqual(["may not contain '/'", "may not contain '%'"]);
  });
});

describe('environment variable names', () => {
  it.each(['HOME', 'my.env-name', 'MY_ENV.NAME', '_x', '-x'])('strict accepts %s', (n) => expect(isEnvVarName(n)).toEqual([]));
  it('strict rejects digits first, spaces, and chdir-like names', () => {
    expect(isEnvVarName('1X')[0]).toBe(
      "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
    );
    expect(isEnvVarName('..')).toEqual(["must not be '..'"]);
    expect(isEnvVarName('..x')).toEqual(["must not start with '..'"]);
  });
  it('relaxed accepts printable ASCII except =', () => {
    expect(isRelaxedEnvVarName('1 weird:name!')).toEqual([]);
    expect(isRelaxedEnvVarName('A=B')).toEqual(["a valid environment variable name must consist only of printable ASCII characters other than '='"]);
    expect(isRelaxedEnvVarName('tab\there')).toHaveLength(1);
    expect(isRelaxedEnvVarName('é')).toHaveLength(1);
  });
});

describe('isConfigMapKey / isValidPercent', () => {
  it('config keys', () => {
    expect(isConfigMapKey('app.properties')).toEqual([]);
    expect(isConfigMapKey('.dockerconfigjson')).toEqual([]);
    expect(isConfigMapKey('a/b')).toHaveLength(1);
    expect(isConfigMapKey('..')).toEqual(["must not be '..'"]);
  });
  it('percent strings', () => {
    expect(isValidPercent('25%')).toEqual([]);
    expect(isValidPercent('25')).toHaveLength(1);
    expect(isValidPercent('2.5%')).toHaveLength(1);
  });
});
