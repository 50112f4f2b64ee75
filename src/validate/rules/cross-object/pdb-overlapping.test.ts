import { describe, expect, it } from 'vitest';
import { pdbOverlapping } from './pdb-overlapping.ts';
import { findingsAt, messages } from './test-support.ts';

const pdb = (name: string, selector: string) => `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: ${name}}\nspec:\n  maxUnavailable: 1\n  selector: ${selector}\n`;
const deploy = (name: string, labels: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec:\n  selector: {matchLabels: ${labels}}\n  template:\n    metadata: {labels: ${labels}}\n`;

describe('pdb-overlapping', () => {
  it.each([
    { name: 'disjoint PDBs', yaml: [pdb('a', '{matchLabels: {app: web}}'), pdb('b', '{matchLabels: {app: api}}'), deploy('web', '{app: web}'), deploy('api', '{app: api}')].join('---\n'), want: [] as string[] },
    { name: 'namespace-wide {} plus a per-app PDB', yaml: [pdb('all', '{}'), pdb('web', '{matchLabels: {app: web}}'), deploy('web', '{app: web}')].join('---\n'), want: ['13:13 error @{'] },
    { name: 'overlap through matchExpressions', yaml: [pdb('a', '{matchLabels: {app: web}}'), pdb('b', '{matchExpressions: [{key: app, operator: Exists}]}'), deploy('web', '{app: web}')].join('---\n'), want: ['13:13 error @{'] },
    { name: 'selectors that could overlap but no template is covered by both', yaml: [pdb('a', '{matchLabels: {app: web}}'), pdb('b', '{matchLabels: {tier: fe}}'), deploy('web', '{app: web}')].join('---\n'), want: [] },
  ])('$name', ({ yaml, want }) => {
    expect(findingsAt(pdbOverlapping, yaml)).toEqual(want);
  });
  it('names the other PDB and the shared workload', () => {
    const yaml = [pdb('all', '{}'), pdb('web', '{matchLabels: {app: web}}'), deploy('web', '{app: web}')].join('---\n');
    expect(messages(pdbOverlapping, yaml)[0]).toMatch(/PodDisruptionBudget default\/web selects the same pods as PodDisruptionBudget default\/all \(test.yaml:1\): Deployment default\/web/);
  });
});
