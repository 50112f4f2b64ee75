// The text form against apimachinery's labels.Parse: the cases of k8s.io/apimachinery/pkg/labels/selector_test.go
// (TestSelectorParse, TestSelectorMatches, TestSetSelectorParser, TestParseOperator, TestRequirementConstructor),
// plus what --prune-selector relies on.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSelectorText, selectorOf, selectorsOverlap, type Operator, type Requirement, type Selector } from './index.ts';

function parse(text: string): Selector {
  const r = parseSelectorText(text);
  if (!r.ok) throw new Error(`${text}: ${r.errors.map((e) => e.message).join('; ')}`);
  return r.selector;
}

function errorOf(text: string): string {
  const r = parseSelectorText(text);
  if (r.ok) throw new Error(`${text} parsed as ${r.selector.toString()}`);
  expect(r.errors).toHaveLength(1);
  expect(r.errors[0]?.path).toEqual([]);
  return r.errors[0]?.message ?? '';
}

const req = (key: string, operator: Operator, values: string[] = []): Requirement => ({ key, operator, values });

describe('parseSelectorText: --prune-selector forms', () => {
  it.each([
    ['app=web', { app: 'web' }, true],
    ['app=web,tier!=db', { app: 'web', tier: 'db' }, false],
    ['env in (a, b),!legacy', { env: 'b' }, true],
    ['env notin (a),team', { env: 'c', team: 'x' }, true],
    ['env notin (a),team', { env: 'c' }, false],
    ['app==web', { app: 'web' }, true],
    ['env!=prod', {}, true],
    ['!legacy', { legacy: '' }, false],
  ])('%s matches %j: %s', (text, labels, expected) => {
    expect(parse(text).matches(labels)).toBe(expected);
  });

  it('sorts requirements by key as apimachinery does, so toString is canonical', () => {
    expect(parse('tier=a,app=web').toString()).toBe('app=web,tier=a');
    expect(parse('tier notin (x),app.kubernetes.io/part-of=shop').toString()).toBe('app.kubernetes.io/part-of=shop,tier!=x');
    expect(parse('x=a,a=x').toString()).toBe(parse('a=x,x=a').toString());
  });

  it('the empty string selects everything', () => {
    for (const text of ['', '  ', '\t']) {
      const s = parse(text);
      expect(s.empty).toBe(true);
      expect(s.matches({ any: 'thing' })).toBe(true);
    }
  });
});

describe('TestSelectorParse', () => {
  it.each(['x=a,y=b,z=c', 'x!=a,y=b', 'x=', 'x= ', 'x=,z= ', 'x= ,z= ', '!x', 'x>1', 'x>1,z<5'])('%s parses and prints back without spaces', (text) => {
    expect(parse(text).toString()).toBe(text.replaceAll(' ', ''));
  });
  it.each(['x=a||y=b', 'x==a==b', '!x=a', 'x<a'])('%s is an error', (text) => {
    expect(parseSelectorText(text).ok).toBe(false);
  });
});

describe('TestSelectorMatches', () => {
  it.each([
    ['', { x: 'y' }],
    ['x=y', { x: 'y' }],
    ['x=y,z=w', { x: 'y', z: 'w' }],
    ['x!=y,z!=w', { x: 'z', z: 'a' }],
    ['notin=in', { notin: 'in' }],
    ['x', { x: 'z' }],
    ['!x', { y: 'z' }],
    ['x>1', { x: '2' }],
    ['x<1', { x: '0' }],
    ['foo=bar,baz=blah', { foo: 'bar', baz: 'blah' }],
  ])('%s matches %j', (text, labels) => {
    expect(parse(text).matches(labels)).toBe(true);
  });
  it.each([
    ['x=z', {}],
    ['x=y', { x: 'z' }],
    ['x=y,z=w', { x: 'w', z: 'w' }],
    ['x!=y,z!=w', { x: 'z', z: 'w' }],
    ['x', { y: 'z' }],
    ['!x', { x: 'z' }],
    ['x>1', { x: '0' }],
    ['x<1', { x: '2' }],
    ['x>1', { x: 'v2' }],
    ['x>1', {}],
    ['foo=bar,foobar=bar,baz=blah', { foo: 'bar', baz: 'blah' }],
  ])('%s does not match %j', (text, labels) => {
    expect(parse(text).matches(labels)).toBe(false);
  });
});

describe('TestSetSelectorParser', () => {
  it.each<[string, Requirement[]]>([
    ['\rx', [req('x', 'Exists')]],
    ['this-is-a-dns.domain.com/key-with-dash', [req('this-is-a-dns.domain.com/key-with-dash', 'Exists')]],
    ['this-is-another-dns.domain.com/key-with-dash in (so,what)', [req('this-is-another-dns.domain.com/key-with-dash', 'In', ['so', 'what'])]],
    ['0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)', [req('0.1.2.domain/99', 'NotIn', ['10.10.100.1', 'tick.tack.clock'])]],
    ['foo  in\t (abc)', [req('foo', 'In', ['abc'])]],
    ['x notin\n (abc)', [req('x', 'NotIn', ['abc'])]],
    ['x  notin\t\t\t(abc,def)', [req('x', 'NotIn', ['abc', 'def'])]],
    ['x in (abc,)', [req('x', 'In', ['', 'abc'])]],
    ['x in ()', [req('x', 'In', [''])]],
    ['x notin (abc,,def),bar,z in (),w', [req('bar', 'Exists'), req('w', 'Exists'), req('x', 'NotIn', ['', 'abc', 'def']), req('z', 'In', [''])]],
    ['x,y in (a)', [req('x', 'Exists'), req('y', 'In', ['a'])]],
    ['x=a', [req('x', 'Equals', ['a'])]],
    ['x>1', [req('x', 'GreaterThan', ['1'])]],
    ['x<7', [req('x', 'LessThan', ['7'])]],
    ['x=a,y!=b', [req('x', 'Equals', ['a']), req('y', 'NotIn', ['b'])]],
    ['x=a,y!=b,z in (h,i,j)', [req('x', 'Equals', ['a']), req('y', 'NotIn', ['b']), req('z', 'In', ['h', 'i', 'j'])]],
    ['x notin ( )', [req('x', 'NotIn', [''])]],
    ['x notin (, a)', [req('x', 'NotIn', ['', 'a'])]],
    ['a ', [req('a', 'Exists')]],
    ['a in (x,y,notin, z,in)', [req('a', 'In', ['in', 'notin', 'x', 'y', 'z'])]],
    ['in,notin', [req('in', 'Exists'), req('notin', 'Exists')]],
  ])('%j parses', (text, want) => {
    expect(parse(text).requirements).toEqual(want);
  });

  it.each(['x=a||y=b', 'x,,y', ',x,y', 'x nott in (y)', 'a in (xyz),', 'a in (xyz)b notin ()', 'a in (xyz abc)', 'a notin(', 'a (', '(', 'app in (', 'x,', '!', 'x in', 'x=(', '== != (), = notin'])('%j is an error', (text) => {
    expect(parseSelectorText(text).ok).toBe(false);
  });
});

describe('error messages (apimachinery wording)', () => {
  it.each([
    ['app in (', `unable to parse requirement: found '', expected: ',', ')' or identifier`],
    ['x,,y', `found ',', expected: identifier after ','`],
    ['a=b,', `found '', expected: identifier after ','`],
    ['(', `found '(', expected: !, identifier, or 'end of string'`],
    ['x nott in (y)', `unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt`],
    ['x (', `unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt`],
    ['!x=a', `found '=', expected: ',' or 'end of string'`],
    ['a in (xyz abc)', `unable to parse requirement: found 'abc', expected: ',' or ')'`],
    ['x in', `unable to parse requirement: found '' expected: '('`],
    ['!', `unable to parse requirement: found '', expected: identifier`],
    ['x==a==b', `found '==', expected: ',' or 'end of string'`],
  ])('%j: %s', (text, message) => {
    expect(errorOf(text)).toBe(message);
  });

  it('validates keys and values as label keys and values (labels.NewRequirement)', () => {
    expect(errorOf('-x=a')).toMatch(/^unable to parse requirement: invalid label key "-x": name part must consist of/);
    expect(errorOf(`${'a'.repeat(254)}`)).toMatch(/invalid label key/);
    expect(errorOf('Example.com/a')).toMatch(/invalid label key "Example.com\/a": prefix part/);
    expect(errorOf('x=-a')).toMatch(/^unable to parse requirement: invalid label value "-a" for "x"/);
    expect(errorOf(`x in (a,${'b'.repeat(64)})`)).toMatch(/invalid label value .* no more than 63/);
    expect(errorOf('x<a')).toMatch(/for 'Gt', 'Lt' operators, the value must be an integer/);
    expect(errorOf('x>')).toMatch(/for 'Gt', 'Lt' operators, the value must be an integer/);
    expect(errorOf('x>99999999999999999999')).toMatch(/must be an integer/);
  });
});

describe('GreaterThan / LessThan', () => {
  it('compare as 64-bit integers (strconv.ParseInt); a label that is not one never matches', () => {
    expect(parse('x>9').matches({ x: '10' })).toBe(true);
    expect(parse('x>9').matches({ x: '010' })).toBe(true);
    expect(parse('x<10').matches({ x: '+9' })).toBe(true);
    expect(errorOf('x<-1')).toMatch(/invalid label value "-1"/); // a label value starts with a letter or digit
    expect(parse('x>1').matches({ x: '1.5' })).toBe(false);
    expect(parse('x<9223372036854775807').matches({ x: '9223372036854775808' })).toBe(false);
  });

  it('overlap exactly: integers written in digits, with leading zeros, that no NotIn excludes', () => {
    const overlap = (a: string, b: string) => selectorsOverlap(parse(a), parse(b));
    expect(overlap('x>1', 'x<3')).toBe('yes');
    expect(overlap('x>1', 'x<2')).toBe('no');
    expect(overlap('x<0', 'y')).toBe('no'); // "-1" is not a label value
    expect(overlap('x>1,x!=2', 'x<3')).toBe('yes'); // "02"
    const everySpelling = Array.from({ length: 63 }, (_, i) => `${'0'.repeat(i)}2`);
    expect(overlap(`x>1,x notin (${everySpelling.join(',')})`, 'x<3')).toBe('no');
    expect(overlap('x in (a)', 'x>1')).toBe('no');
    expect(overlap('x in (a,5)', 'x>1')).toBe('yes');
    expect(overlap('x>1', '!x')).toBe('no');
  });
});

describe('toString round-trips through parseSelectorText', () => {
  const KEYS = ['a', 'b', 'example.com/c'];
  const VALUES = ['', 'x', 'y', '1', '7'];
  const requirement: fc.Arbitrary<Requirement> = fc.oneof(
    fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom<Operator>('In', 'NotIn'), values: fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 3 }) }),
    fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constant<Operator>('Equals'), values: fc.constantFrom(...VALUES).map((v) => [v]) }),
    fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom<Operator>('Exists', 'DoesNotExist'), values: fc.constant([]) }),
    fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom<Operator>('GreaterThan', 'LessThan'), values: fc.constantFrom('0', '1', '7').map((v) => [v]) }),
  );
  const labels = fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES, 'z', '3'), { maxKeys: 3 });

  it('the same matches, and the printed form is a fixed point (`x in ()` prints as `x=`, which is Equals)', () => {
    fc.assert(
      fc.property(fc.array(requirement, { minLength: 1, maxLength: 4 }), fc.array(labels, { maxLength: 8 }), (reqs, labelSets) => {
        const s = selectorOf(reqs);
        const again = parse(s.toString());
        expect(parse(again.toString()).toString()).toBe(again.toString());
        for (const l of labelSets) expect(again.matches(l)).toBe(s.matches(l));
      }),
    );
  });
});
