import { describe, expect, it } from 'vitest';
import { canonicalQuantity, compareQuantity } from './quantity.ts';

describe('canonicalQuantity as the planner uses it (T2: the API server canonical form; exact port in src/k8s/quantity.ts)', () => {
  it.each([
    ['0.5', '500m'],
    [0.5, '500m'],
    ['1000m', '1'],
    ['1', '1'],
    [1, '1'],
    ['1024Mi', '1Gi'],
    ['1000Mi', '1000Mi'],
    ['1000M', '1G'],
    ['1536', '1536'],
    ['1.5Gi', '1536Mi'],
    ['0.5Gi', '512Mi'],
    ['512', '512'],
    ['100m', '100m'],
    ['1.5', '1500m'],
    ['0', '0'],
    ['0Mi', '0'],
    ['1e3', '1e3'],
    ['1.5e3', '1500'],
    ['2k', '2k'],
    ['1Ki', '1Ki'],
    ['1023Ki', '1023Ki'],
    ['-1', '-1'],
    ['0.1m', '100u'],
    ['1n', '1n'],
    ['12Gi', '12Gi'],
    ['128974848', '128974848'],
    ['129e6', '129e6'],
    ['123Mi', '123Mi'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalQuantity(input)).toBe(expected);
  });

  it.each(['', 'abc', '1.2.3', '5Gb', '1 Gi'])('rejects %j', (input) => {
    expect(canonicalQuantity(input)).toBeNull();
  });

  it('compares values', () => {
    expect(compareQuantity('1Gi', '1024Mi')).toBe(0);
    expect(compareQuantity('5Gi', '10Gi')).toBe(-1);
    expect(compareQuantity('1', '999m')).toBe(1);
  });
});
