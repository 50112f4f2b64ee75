import { describe, expect, it } from 'vitest';
import { duplicateObject } from './duplicate-object.ts';
import { findingsAt, messages } from './test-support.ts';

const cm = (name: string, ns?: string, apiVersion = 'v1') => `apiVersion: ${apiVersion}\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ''}`;

describe('duplicate-object', () => {
  const cases: { name: string; files: Record<string, string>; want: string[] }[] = [
    { name: 'distinct names', files: { 'a.yaml': `${cm('a')}---\n${cm('b')}` }, want: [] },
    { name: 'same name in one file', files: { 'a.yaml': `${cm('a')}---\n${cm('a')}` }, want: ['a.yaml:9:9 error @a'] },
    { name: 'across files, "" vs default namespace', files: { 'a.yaml': cm('a'), 'b.yaml': cm('a', 'default') }, want: ['b.yaml:4:9 error @a'] },
    { name: 'same name, different namespaces', files: { 'a.yaml': cm('a', 'x'), 'b.yaml': cm('a', 'y') }, want: [] },
    {
      name: 'same file name in different kustomize namespaces',
      files: {
        'x/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: x\nresources: [cm.yaml]\n',
        'x/cm.yaml': cm('a'),
        'y/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: y\nresources: [cm.yaml]\n',
        'y/cm.yaml': cm('a'),
      },
      want: [],
    },
    { name: 'cluster-scoped: namespace ignored', files: { 'a.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: ns1}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ns1, namespace: oops}\n' }, want: ['a.yaml:7:18 error @ns1'] },
    { name: 'group, not version, identifies', files: { 'a.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n---\napiVersion: apps/v1beta2\nkind: Deployment\nmetadata: {name: d}\n' }, want: ['a.yaml:7:18 error @d'] },
    { name: 'generateName objects are not compared', files: { 'a.yaml': 'apiVersion: batch/v1\nkind: Job\nmetadata: {generateName: j-}\n---\napiVersion: batch/v1\nkind: Job\nmetadata: {generateName: j-}\n' }, want: [] },
  ];
  it.each(cases)('$name', ({ files, want }) => {
    expect(findingsAt(duplicateObject, { ...files, 'zz-empty.yaml': '' })).toEqual(want);
  });
  it('names the first occurrence and the assumed namespace', () => {
    expect(messages(duplicateObject, { 'a.yaml': cm('a'), 'b.yaml': cm('a') })[0]).toBe(
      'ConfigMap default/a is defined twice: first at a.yaml:1; the later definition silently replaces the earlier one on apply (namespace "default" assumed: no metadata.namespace)',
    );
  });
});
