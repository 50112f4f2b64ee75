import { describe, expect, it } from 'vitest';
import { statefulsetServiceInvalid } from './statefulset-service-invalid.ts';
import { findingsAt, messages } from './test-support.ts';

const sts = (serviceName: string) => `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: ${serviceName}\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n`;
const svc = (name: string, clusterIP: string, selector = '{app: db}') => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec: {clusterIP: ${clusterIP}, selector: ${selector}}\n`;

describe('statefulset-service-invalid', () => {
  it.each([
    { name: 'headless Service selecting the pods', yaml: `${sts('db')}---\n${svc('db', 'None')}`, want: [] as string[], message: undefined },
    { name: 'missing Service', yaml: `${sts('db-headless')}---\n${svc('db', 'None')}`, want: ['5:16 warning @db-headless'], message: /governing Service "db-headless" is not defined/ },
    { name: 'Service with a cluster IP', yaml: `${sts('db')}---\n${svc('db', '10.0.0.1')}`, want: ['5:16 warning @db'], message: /is not headless/ },
    { name: 'headless Service not selecting the pods', yaml: `${sts('db')}---\n${svc('db', 'None', '{app: other}')}`, want: ['5:16 warning @db'], message: /doesn't match the pod template labels/ },
    { name: 'no Services in the namespace: info', yaml: sts('db'), want: ['5:16 info @db'], message: undefined },
    { name: 'serviceName unset is fine', yaml: sts('""'), want: [], message: undefined },
  ])('$name', ({ yaml, want, message }) => {
    expect(findingsAt(statefulsetServiceInvalid, yaml)).toEqual(want);
    if (message) expect(messages(statefulsetServiceInvalid, yaml)[0]).toMatch(message);
  });
});
