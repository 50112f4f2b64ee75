import { describe, expect, it } from 'vitest';
import { ingressTlsSecretMissing } from './ingress-tls-secret-missing.ts';
import { findingsAt, messages } from './test-support.ts';

const ingress = (annotations = '{}'): string => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ing, annotations: ${annotations}}
spec:
  tls:
    - hosts: [shop.example.com]
      secretName: shop-tls
`;
const secret = (name: string) => `apiVersion: v1\nkind: Secret\nmetadata: {name: ${name}}\ntype: kubernetes.io/tls\n`;

describe('ingress-tls-secret-missing', () => {
  it.each([
    { name: 'Secret in the repo', yaml: `${ingress()}---\n${secret('shop-tls')}`, want: [] as string[] },
    { name: 'other Secrets in the namespace, not this one: warning', yaml: `${ingress()}---\n${secret('other')}`, want: ['7:19 warning @shop-tls'] },
    { name: 'no Secrets in the namespace: info', yaml: ingress(), want: ['7:19 info @shop-tls'] },
    { name: 'cert-manager annotation creates it', yaml: `${ingress('{cert-manager.io/cluster-issuer: letsencrypt}')}---\n${secret('other')}`, want: [] },
    { name: 'a cert-manager Certificate produces it', yaml: `${ingress()}---\n${secret('other')}---\napiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: c}\nspec: {secretName: shop-tls}\n`, want: [] },
    { name: 'a SealedSecret produces it', yaml: `${ingress()}---\napiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: shop-tls}\nspec: {encryptedData: {tls.crt: AgB}}\n`, want: [] },
    { name: 'an ExternalSecret target produces it', yaml: `${ingress()}---\napiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata: {name: es}\nspec: {target: {name: shop-tls}}\n`, want: [] },
  ])('$name', ({ yaml, want }) => {
    expect(findingsAt(ingressTlsSecretMissing, yaml)).toEqual(want);
  });
  it('says why', () => {
    expect(messages(ingressTlsSecretMissing, `${ingress()}---\n${secret('other')}`)[0]).toMatch(/TLS Secret "shop-tls" is not defined in namespace "default"/);
  });
});
