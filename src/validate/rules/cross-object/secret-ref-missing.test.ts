import { describe, expect, it } from 'vitest';
import { secretRefMissing } from './secret-ref-missing.ts';
import { findingsAt } from './test-support.ts';

const pod = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n${spec}`;
const secret = (name: string) => `apiVersion: v1\nkind: Secret\nmetadata: {name: ${name}}\nstringData: {password: x}\n`;

describe('secret-ref-missing', () => {
  it.each([
    { name: 'secretKeyRef resolves (stringData keys count)', yaml: `${pod('  containers: [{name: a, env: [{name: P, valueFrom: {secretKeyRef: {name: db, key: password}}}]}]\n')}---\n${secret('db')}`, want: [] as string[] },
    { name: 'secretKeyRef to a missing Secret: warning', yaml: `${pod('  containers: [{name: a, env: [{name: P, valueFrom: {secretKeyRef: {name: nope, key: password}}}]}]\n')}---\n${secret('db')}`, want: ['5:75 warning @nope'] },
    { name: 'secret volume', yaml: `${pod('  volumes: [{name: v, secret: {secretName: nope}}]\n')}---\n${secret('db')}`, want: ['5:44 warning @nope'] },
    { name: 'secret volume optional', yaml: `${pod('  volumes: [{name: v, secret: {secretName: nope, optional: true}}]\n')}---\n${secret('db')}`, want: [] },
    { name: 'imagePullSecrets', yaml: `${pod('  imagePullSecrets: [{name: regcred}]\n')}---\n${secret('db')}`, want: ['5:29 warning @regcred'] },
    { name: 'no Secrets in the namespace: info (they usually come from outside)', yaml: pod('  imagePullSecrets: [{name: regcred}]\n'), want: ['5:29 info @regcred'] },
    { name: 'SealedSecret produces it, with its keys', yaml: `${pod('  containers: [{name: a, envFrom: [{secretRef: {name: db}}]}]\n')}---\napiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: db}\nspec: {encryptedData: {password: AgB}}\n`, want: [] },
    { name: 'ExternalSecret produces it; keys from spec.data', yaml: `${pod('  containers: [{name: a, env: [{name: P, valueFrom: {secretKeyRef: {name: db, key: user}}}]}]\n')}---\napiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata: {name: db}\nspec: {data: [{secretKey: password, remoteRef: {key: k}}]}\n`, want: ['5:84 warning @user'] },
  ])('$name', ({ yaml, want }) => {
    expect(findingsAt(secretRefMissing, yaml)).toEqual(want);
  });
});
