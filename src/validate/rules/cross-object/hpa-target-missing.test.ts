import { describe, expect, it } from 'vitest';
import { hpaTargetMissing } from './hpa-target-missing.ts';
import { findingsAt, messages } from './test-support.ts';

const hpa = (ref: string, ns = '') => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web${ns ? `, namespace: ${ns}` : ''}}
spec:
  minReplicas: 2
  maxReplicas: 5
  scaleTargetRef: ${ref}
`;
const deploy = (apiVersion = 'apps/v1', ns = '') => `apiVersion: ${apiVersion}\nkind: Deployment\nmetadata: {name: web${ns ? `, namespace: ${ns}` : ''}}\n`;

describe('hpa-target-missing', () => {
  it.each([
    { name: 'target exists', yaml: `${hpa('{apiVersion: apps/v1, kind: Deployment, name: web}')}---\n${deploy()}`, want: [] as string[] },
    { name: 'version differs, group same: fine (kube-score compares the full apiVersion)', yaml: `${hpa('{apiVersion: apps/v1beta2, kind: Deployment, name: web}')}---\n${deploy()}`, want: [] },
    {
      name: 'missing apiVersion (knative/serving PR #59)',
      yaml: `${hpa('{kind: Deployment, name: web}')}---\n${deploy()}`,
      want: ['7:19 error @{'],
      message: /no apiVersion.*core group.*Deployment default\/web \(test.yaml:9\) is apps\/v1/,
    },
    { name: 'wrong group', yaml: `${hpa('{apiVersion: extensions/v1beta1, kind: Deployment, name: web}')}---\n${deploy()}`, want: ['7:32 error @extensions/v1beta1'], message: /is apps\/v1 — set scaleTargetRef.apiVersion/ },
    { name: 'wrong name while the namespace has Deployments', yaml: `${hpa('{apiVersion: apps/v1, kind: Deployment, name: api}')}---\n${deploy()}`, want: ['7:65 error @api'], message: /Deployment "api" \(group "apps"\) does not exist in namespace "default"/ },
    { name: 'namespace is compared (kube-linter ignores it)', yaml: `${hpa('{apiVersion: apps/v1, kind: Deployment, name: web}', 'a')}---\n${deploy('apps/v1', 'b')}---\n${deploy('apps/v1', 'a').replace('name: web', 'name: other')}`, want: ['7:65 error @web'] },
    { name: 'no Deployments in the namespace: info', yaml: hpa('{apiVersion: apps/v1, kind: Deployment, name: web}'), want: ['7:65 info @web'] },
    { name: 'HPA target exists although kube-score said no (kube-score #332)', yaml: `${deploy()}---\n${hpa('{apiVersion: apps/v1, kind: Deployment, name: web}')}`, want: [] },
  ])('$name', ({ yaml, want, message }) => {
    expect(findingsAt(hpaTargetMissing, yaml)).toEqual(want);
    if (message) expect(messages(hpaTargetMissing, yaml)[0]).toMatch(message);
  });
});
