import { describe, expect, it } from 'vitest';
import { namespaceOnClusterScoped } from './namespace-on-cluster-scoped.ts';
import { findingsAt } from './test-support.ts';

describe('namespace-on-cluster-scoped', () => {
  it.each([
    { name: 'ClusterRole with a namespace', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\n  namespace: team-a\n', want: ['5:14 warning @team-a'] },
    { name: 'Namespace without one', yaml: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}\n', want: [] as string[] },
    { name: 'Role (namespaced)', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: a}\n', want: [] },
    {
      name: 'cluster-scoped custom resource (from a CRD in the input)',
      yaml: 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: ws.x.io}\nspec: {group: x.io, scope: Cluster, names: {kind: W, plural: ws}}\n---\napiVersion: x.io/v1\nkind: W\nmetadata: {name: w, namespace: a}\n',
      want: ['8:32 warning @a'],
    },
    { name: 'unknown custom kind: not reported', yaml: 'apiVersion: x.io/v1\nkind: W\nmetadata: {name: w, namespace: a}\n', want: [] },
  ])('$name', ({ yaml, want }) => {
    expect(findingsAt(namespaceOnClusterScoped, yaml)).toEqual(want);
  });
});
