import { describe, expect, it } from 'vitest';
import { secretCommitted } from './secret-committed.ts';
import { findingsAt, messages } from './test-support.ts';

describe('secret-committed', () => {
  it.each([
    { name: 'data with values', yaml: 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  password: aHVudGVyMg==\n', want: ['4:1 warning @data:'] },
    { name: 'stringData with values', yaml: 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {token: abc}\n', want: ['4:1 warning @stringData:'] },
    { name: 'empty placeholders', yaml: 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {password: ""}\n', want: [] as string[] },
    { name: 'no data', yaml: 'apiVersion: v1\nkind: Secret\nmetadata: {name: s, annotations: {kubernetes.io/service-account.name: x}}\ntype: kubernetes.io/service-account-token\n', want: [] },
  ])('$name', ({ yaml, want }) => {
    expect(findingsAt(secretCommitted, yaml)).toEqual(want);
  });
  it('never puts a value in the message', () => {
    const secretValues = ['aHVudGVyMg==', 'hunter2', 'correct-horse-battery-staple'];
    const yaml = `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {password: ${secretValues[0]}}\nstringData: {a: ${secretValues[1]}, b: ${secretValues[2]}}\n`;
    const msgs = messages(secretCommitted, yaml);
    expect(msgs).toHaveLength(2);
    for (const m of msgs) for (const v of secretValues) expect(m).not.toContain(v);
    expect(msgs[1]).toMatch(/2 values in stringData \(a, b\)/);
  });
});
