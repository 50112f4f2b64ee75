import { describe, expect, it } from 'vitest';
import { pvcMissing } from './pvc-missing.ts';
import { findingsAt } from './test-support.ts';

const pvc = (name: string) => `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: ${name}}\n`;
const deploy = (claim: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      volumes: [{name: data, persistentVolumeClaim: {claimName: ${claim}}}]\n`;
const sts = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  volumeClaimTemplates: [{metadata: {name: data}}]
  template:
    spec:
      volumes: [{name: x, persistentVolumeClaim: {claimName: data-db-0}}]
`;

describe('pvc-missing', () => {
  it.each([
    { name: 'exists', yaml: `${deploy('data')}---\n${pvc('data')}`, want: [] as string[] },
    { name: 'missing while the namespace has PVCs: warning', yaml: `${deploy('nope')}---\n${pvc('data')}`, want: ['7:65 warning @nope'] },
    { name: 'no PVCs in the namespace: info', yaml: deploy('data'), want: ['7:65 info @data'] },
    { name: 'StatefulSet volumeClaimTemplates satisfy <template>-<sts>-<ordinal>', yaml: `${sts}---\n${pvc('other')}`, want: [] },
  ])('$name', ({ yaml, want }) => {
    expect(findingsAt(pvcMissing, yaml)).toEqual(want);
  });
});
