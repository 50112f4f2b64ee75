import { describe, expect, it } from 'vitest';
import { yaml } from '../../../../test/helpers/rule-tester.ts';
import { ingressBackendMissing } from './ingress-backend-missing.ts';
import { findingsAt, messages } from './test-support.ts';

const service = yaml`
  apiVersion: v1
  kind: Service
  metadata: {name: web}
  spec:
    selector: {app: web}
    ports:
      - {name: http, port: 80}
      - {port: 8443}
`;
const ingress = (backend: string): string => yaml`
  apiVersion: networking.k8s.io/v1
  kind: Ingress
  metadata: {name: ing}
  spec:
    rules:
      - http:
          paths:
            - path: /
              pathType: Prefix
              backend:
                service: ${backend}
`;

const cases: { name: string; yaml: string; want: string[]; message?: RegExp }[] = [
  { name: 'by port name', yaml: `${service}---\n${ingress('{name: web, port: {name: http}}')}`, want: [] },
  { name: 'by port number', yaml: `${service}---\n${ingress('{name: web, port: {number: 80}}')}`, want: [] },
  { name: 'an unnamed port by number', yaml: `${service}---\n${ingress('{name: web, port: {number: 8443}}')}`, want: [] },
  { name: 'Service missing', yaml: `${service}---\n${ingress('{name: api, port: {number: 80}}')}`, want: ['20:31 error @api'], message: /backend Service "api" does not exist in namespace "default"/ },
  { name: 'port name not exposed', yaml: `${service}---\n${ingress('{name: web, port: {name: https}}')}`, want: ['20:49 error @https'], message: /has no port named "https"; it exposes 80 \(http\), 8443/ },
  {
    name: 'port number not exposed, even with an unnamed Service port (kube-score else-if)',
    yaml: `${service}---\n${ingress('{name: web, port: {number: 81}}')}`,
    want: ['20:51 error @81'],
    message: /has no port 81; it exposes 80 \(http\), 8443/,
  },
  {
    name: 'defaultBackend is checked too',
    yaml: `${service}---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n  defaultBackend:\n    service: {name: nope, port: {number: 80}}\n`,
    want: ['15:21 error @nope'],
  },
  { name: 'no Services in the namespace: info', yaml: ingress('{name: web, port: {number: 80}}'), want: ['11:31 info @web'], message: /could not be checked: the repo defines no Services/ },
  {
    name: 'a Service in another namespace does not count',
    yaml: `${service.replace('name: web}', 'name: web, namespace: other}')}---\n${service.replace('name: web}', 'name: x}')}---\n${ingress('{name: web, port: {number: 80}}')}`,
    want: ['29:31 error @web'],
  },
  {
    name: 'legacy v1beta1 serviceName/servicePort',
    yaml: `${service}---\napiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata: {name: i}\nspec:\n  backend: {serviceName: web, servicePort: https}\n`,
    want: ['14:44 error @https'],
  },
  { name: 'resource backends are not checked', yaml: `${service}---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n  defaultBackend:\n    resource: {apiGroup: x.io, kind: Bucket, name: b}\n`, want: [] },
];

describe('ingress-backend-missing', () => {
  it.each(cases)('$name', ({ yaml: text, want, message }) => {
    expect(findingsAt(ingressBackendMissing, text)).toEqual(want);
    if (message) expect(messages(ingressBackendMissing, text)[0]).toMatch(message);
  });
});
