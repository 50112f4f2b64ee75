import { describe, expect, it } from 'vitest';
import { yaml } from '../../../../test/helpers/rule-tester.ts';
import { serviceTargetPortUnresolved } from './service-target-port-unresolved.ts';
import { findingsAt, messages } from './test-support.ts';

const svc = (port: string): string => yaml`
  apiVersion: v1
  kind: Service
  metadata: {name: web}
  spec:
    selector: {app: web}
    ports:
      - ${port}
`;
const deploy = (name: string, ports: string, extra = ''): string => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: ${name}}
  spec:
    selector: {matchLabels: {app: web, v: ${name}}}
    template:
      metadata: {labels: {app: web, v: ${name}}}
      spec:
        ${extra}containers:
          - name: app
            image: nginx
            ports: ${ports}
`;

const cases: { name: string; yaml: string; want: string[]; message?: RegExp }[] = [
  { name: 'named targetPort resolves', yaml: `${svc('{port: 80, targetPort: http}')}---\n${deploy('a', '[{name: http, containerPort: 8080}]')}`, want: [] },
  { name: 'numeric targetPort is not checked (kube-linter #1086)', yaml: `${svc('{port: 80, targetPort: 9999}')}---\n${deploy('a', '[{name: http, containerPort: 8080}]')}`, want: [] },
  { name: 'no targetPort is not checked', yaml: `${svc('{port: 80}')}---\n${deploy('a', '[]')}`, want: [] },
  {
    name: 'name not declared by any selected pod: error',
    yaml: `${svc('{port: 80, targetPort: http}')}---\n${deploy('a', '[{name: web, containerPort: 8080}]')}`,
    want: ['7:30 error @http'],
    message: /targetPort "http" is not a TCP container port name in the pods it selects \(Deployment default\/a\)/,
  },
  {
    name: 'protocol must match (FindPort compares name and protocol)',
    yaml: `${svc('{port: 53, targetPort: dns, protocol: UDP}')}---\n${deploy('a', '[{name: dns, containerPort: 53}]')}`,
    want: ['7:30 error @dns'],
    message: /protocol differs: Deployment default\/a has it as TCP/,
  },
  {
    name: 'some selected templates lack it: warning',
    yaml: `${svc('{port: 80, targetPort: http}')}---\n${deploy('a', '[{name: http, containerPort: 8080}]')}---\n${deploy('b', '[{name: web, containerPort: 8080}]')}`,
    want: ['7:30 warning @http'],
    message: /missing from some selected pods: Deployment default\/b has no TCP container port named "http"/,
  },
  {
    name: 'a native sidecar (init container with restartPolicy: Always) can serve the port',
    yaml: `${svc('{port: 80, targetPort: proxy}')}---\n${deploy('a', '[]', 'initContainers: [{name: envoy, image: envoy, restartPolicy: Always, ports: [{name: proxy, containerPort: 15001}]}]\n    ')}`,
    want: [],
  },
  {
    name: 'a plain init container cannot',
    yaml: `${svc('{port: 80, targetPort: proxy}')}---\n${deploy('a', '[]', 'initContainers: [{name: init, image: x, ports: [{name: proxy, containerPort: 15001}]}]\n    ')}`,
    want: ['7:30 error @proxy'],
  },
  { name: 'selector matching nothing: left to service-selector-no-match', yaml: `${svc('{port: 80, targetPort: http}')}`, want: [] },
];

describe('service-target-port-unresolved', () => {
  it.each(cases)('$name', ({ yaml: text, want, message }) => {
    expect(findingsAt(serviceTargetPortUnresolved, text)).toEqual(want);
    if (message) expect(messages(serviceTargetPortUnresolved, text)[0]).toMatch(message);
  });
});
