import { describe, expect, it } from 'vitest';
import { hpaMultiplePerTarget } from './hpa-multiple-per-target.ts';
import { findingsAt, messages } from './test-support.ts';

const hpa = (name: string, target: string, ns = 'default') => `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${target}}\n`;

describe('hpa-multiple-per-target', () => {
  it.each([
    { name: 'one HPA per workload', yaml: `${hpa('a', 'web')}---\n${hpa('b', 'api')}`, want: [] as string[] },
    { name: 'two HPAs on one Deployment', yaml: `${hpa('a', 'web')}---\n${hpa('b', 'web')}`, want: ['11:19 error @{'] },
    { name: 'same name in different namespaces', yaml: `${hpa('a', 'web', 'x')}---\n${hpa('b', 'web', 'y')}`, want: [] },
    {
      name: 'an HPA and a KEDA ScaledObject on one Deployment',
      yaml: `${hpa('a', 'web')}---\napiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: s}\nspec:\n  scaleTargetRef: {name: web}\n`,
      want: ['11:19 error @{'],
    },
  ])('$name', ({ yaml, want }) => {
    expect(findingsAt(hpaMultiplePerTarget, yaml)).toEqual(want);
  });
  it('names the first autoscaler', () => {
    expect(messages(hpaMultiplePerTarget, `${hpa('a', 'web')}---\n${hpa('b', 'web')}`)[0]).toMatch(/HorizontalPodAutoscaler default\/b and HorizontalPodAutoscaler default\/a \(test.yaml:1\) both scale Deployment default\/web/);
  });
});
