import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { JsonObject } from './types.ts';
import { valueAt } from './objects.ts';

const obj = (text: string): JsonObject => parse(text) as JsonObject;

describe('valueAt', () => {
  it('walks keys and indexes', () => {
    const o = obj('{a: {b: [1, {c: 2}]}}');
    expect(valueAt(o, ['a', 'b', 1, 'c'])).toBe(2);
    expect(valueAt(o, ['a', 'x', 1])).toBeUndefined();
    expect(valueAt(o, ['a', 'b', 'c'])).toBeUndefined();
    expect(valueAt(o, [])).toBe(o);
    expect(valueAt(undefined, ['a'])).toBeUndefined();
    expect(valueAt(o, ['a', 'b', '0'])).toBeUndefined(); // a string key never indexes an array
  });
});
