import { describe, expect, it } from 'vitest';
import { hpaTargetNotScalable } from './hpa-target-not-scalable.ts';
import { findingsAt } from './test-support.ts';

const hpa = (ref: string) => `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec:\n  scaleTargetRef: ${ref}\n`;
const crd = (scale: boolean) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: runners.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Runner, plural: runners}
  versions: [{name: v1, served: true, storage: true${scale ? ', subresources: {scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}}' : ''}}]
`;

describe('hpa-target-not-scalable', () => {
  it.each([
    { name: 'Deployment', yaml: hpa('{apiVersion: apps/v1, kind: Deployment, name: x}'), want: [] as string[] },
    { name: 'StatefulSet', yaml: hpa('{apiVersion: apps/v1, kind: StatefulSet, name: x}'), want: [] },
    { name: 'DaemonSet (kubernetes #48588)', yaml: hpa('{apiVersion: apps/v1, kind: DaemonSet, name: x}'), want: ['5:47 error @DaemonSet'] },
    { name: 'CronJob', yaml: hpa('{apiVersion: batch/v1, kind: CronJob, name: x}'), want: ['5:48 error @CronJob'] },
    { name: 'CRD with a scale subresource', yaml: `${hpa('{apiVersion: example.com/v1, kind: Runner, name: x}')}---\n${crd(true)}`, want: [] },
    { name: 'CRD without a scale subresource', yaml: `${hpa('{apiVersion: example.com/v1, kind: Runner, name: x}')}---\n${crd(false)}`, want: ['5:54 error @Runner'] },
    { name: 'unknown custom kind: not reported', yaml: hpa('{apiVersion: example.com/v1, kind: Runner, name: x}'), want: [] },
    { name: 'KEDA ScaledObject defaults to a Deployment', yaml: 'apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: s}\nspec:\n  scaleTargetRef: {name: x}\n', want: [] },
  ])('$name', ({ yaml, want }) => {
    expect(findingsAt(hpaTargetNotScalable, yaml)).toEqual(want);
  });
});
