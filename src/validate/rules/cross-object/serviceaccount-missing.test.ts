import { describe, expect, it } from 'vitest';
import { serviceaccountMissing } from './serviceaccount-missing.ts';
import { findingsAt } from './test-support.ts';

const deploy = (sa: string, field = 'serviceAccountName', ns = '') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web${ns ? `, namespace: ${ns}` : ''}}\nspec:\n  template:\n    spec:\n      ${field}: ${sa}\n`;
const sa = (name: string, ns = '') => `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ${name}${ns ? `, namespace: ${ns}` : ''}}\n`;

describe('serviceaccount-missing', () => {
  it.each([
    { name: 'exists', yaml: `${deploy('web')}---\n${sa('web')}`, want: [] as string[] },
    { name: 'default always exists', yaml: `${deploy('default')}---\n${sa('web')}`, want: [] },
    { name: 'missing while the namespace has ServiceAccounts', yaml: `${deploy('api')}---\n${sa('web')}`, want: ['7:27 error @api'] },
    { name: 'deprecated serviceAccount field', yaml: `${deploy('api', 'serviceAccount')}---\n${sa('web')}`, want: ['7:23 error @api'] },
    { name: 'no ServiceAccounts in the namespace: info (kube-linter #137)', yaml: deploy('api'), want: ['7:27 info @api'] },
    { name: '"" vs "default" namespace (kube-linter #140)', yaml: `${deploy('web')}---\n${sa('web', 'default')}`, want: [] },
    { name: 'a ServiceAccount in another namespace does not count', yaml: `${deploy('web', 'serviceAccountName', 'a')}---\n${sa('web', 'b')}---\n${sa('x', 'a')}`, want: ['7:27 error @web'] },
  ])('$name', ({ yaml, want }) => {
    expect(findingsAt(serviceaccountMissing, yaml)).toEqual(want);
  });
});
