import { describe, expect, it } from 'vitest';
import { configmapRefMissing } from './configmap-ref-missing.ts';
import { findingsAt, messages } from './test-support.ts';

const pod = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n${spec}`;
const cm = (name: string, data = '{a: "1"}') => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: ${data}\n`;
const envRef = (name: string, key = 'a', optional = '') => pod(`  containers:\n    - name: app\n      env:\n        - name: X\n          valueFrom: {configMapKeyRef: {name: ${name}, key: ${key}${optional}}}\n`);

describe('configmap-ref-missing', () => {
  it.each([
    { name: 'env key ref resolves', yaml: `${envRef('cfg')}---\n${cm('cfg')}`, want: [] as string[] },
    { name: 'env ref to a missing ConfigMap', yaml: `${envRef('nope')}---\n${cm('cfg')}`, want: ['9:47 error @nope'] },
    { name: 'env ref to a missing key', yaml: `${envRef('cfg', 'b')}---\n${cm('cfg')}`, want: ['9:57 error @b'] },
    { name: 'optional: true is honoured (missing ConfigMap)', yaml: `${envRef('nope', 'a', ', optional: true')}---\n${cm('cfg')}`, want: [] },
    { name: 'optional: true is honoured (missing key)', yaml: `${envRef('cfg', 'b', ', optional: true')}---\n${cm('cfg')}`, want: [] },
    { name: 'no ConfigMaps in the namespace: info', yaml: envRef('cfg'), want: ['9:47 info @cfg'] },
    { name: 'kube-root-ca.crt exists in every namespace', yaml: `${pod('  volumes: [{name: ca, configMap: {name: kube-root-ca.crt}}]\n')}---\n${cm('cfg')}`, want: [] },
    { name: 'envFrom', yaml: `${pod('  containers: [{name: app, envFrom: [{configMapRef: {name: nope}}]}]\n')}---\n${cm('cfg')}`, want: ['5:60 error @nope'] },
    { name: 'volume items key', yaml: `${pod('  volumes: [{name: v, configMap: {name: cfg, items: [{key: zz, path: z}]}}]\n')}---\n${cm('cfg')}`, want: ['5:60 error @zz'] },
    { name: 'projected volume source', yaml: `${pod('  volumes: [{name: v, projected: {sources: [{configMap: {name: nope}}]}}]\n')}---\n${cm('cfg')}`, want: ['5:64 error @nope'] },
    { name: 'binaryData keys count', yaml: `${envRef('cfg', 'bin')}---\n${cm('cfg', '{a: "1"}\nbinaryData: {bin: AAAA}')}`, want: [] },
    { name: 'a ConfigMap in another namespace does not count', yaml: `${envRef('cfg')}---\n${cm('cfg').replace('name: cfg}', 'name: cfg, namespace: other}')}---\n${cm('x')}`, want: ['9:47 error @cfg'] },
    {
      name: 'kustomize configMapGenerator produces it (keys from literals)',
      files: {
        'app/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [pod.yaml]\nconfigMapGenerator:\n  - name: cfg\n    literals: [a=1]\n',
        'app/pod.yaml': `${envRef('cfg')}---\n${envRef('cfg', 'nokey').replace('name: p}', 'name: q}')}`,
      },
      want: ['app/pod.yaml:19:57 error @nokey'],
    },
    {
      name: 'CronJob and init containers are covered',
      yaml: `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          initContainers: [{name: i, envFrom: [{configMapRef: {name: nope}}]}]\n---\n${cm('cfg')}`,
      want: ['9:70 error @nope'],
    },
  ])('$name', ({ yaml, files, want }) => {
    expect(findingsAt(configmapRefMissing, files ?? yaml ?? '')).toEqual(want);
  });
  it('explains the consequence and names the keys it has', () => {
    expect(messages(configmapRefMissing, `${envRef('cfg', 'b')}---\n${cm('cfg')}`)[0]).toMatch(/ConfigMap "cfg" has no key "b" \(env X of container "app"; its keys: a; defined by ConfigMap default\/cfg \(test.yaml:11\)\); the container fails to start/);
  });
});
