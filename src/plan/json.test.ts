// The planner's JSON helpers; clone is hand-written for speed and must copy exactly what structuredClone copies.
import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../core/types.ts';
import { clone } from './json.ts';

describe('clone', () => {
  it('copies nested objects and lists deeply, keeping key order, -0 and nulls', () => {
    const v: JsonObject = { b: 1, a: [{ x: null, y: [1, 'two', true] }, -0], c: { d: { e: 'f' } } };
    const c = clone(v);
    expect(c).toEqual(structuredClone(v));
    expect(Object.keys(c)).toEqual(['b', 'a', 'c']);
    expect(Object.is((c.a as JsonValue[])[1], -0)).toBe(true);
    ((c.c as JsonObject).d as JsonObject).e = 'changed';
    ((c.a as JsonObject[])[0]!.y as JsonValue[]).push(4);
    expect(v).toEqual({ b: 1, a: [{ x: null, y: [1, 'two', true] }, -0], c: { d: { e: 'f' } } });
  });

  it('keeps a __proto__ key (as JSON.parse makes it) as an own key, never as the prototype', () => {
    const v = JSON.parse('{"metadata":{"__proto__":{"polluted":true},"name":"x"}}') as JsonObject;
    const c = clone(v);
    const meta = c.metadata as JsonObject;
    expect(Object.getPrototypeOf(meta)).toBe(Object.prototype);
    expect(Object.keys(meta)).toEqual(['__proto__', 'name']);
    expect(Object.getOwnPropertyDescriptor(meta, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('copies what is not plain JSON the way structuredClone does', () => {
    const date = new Date('2026-01-01T00:00:00Z');
    const c = clone({ at: date as unknown as JsonValue });
    expect(c.at).toBeInstanceOf(Date);
    expect(c.at).not.toBe(date);
    expect((c.at as unknown as Date).getTime()).toBe(date.getTime());
  });
});
