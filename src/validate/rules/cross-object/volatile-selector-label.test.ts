import { describe, expect, it } from 'vitest';
import { volatileSelectorLabel } from './volatile-selector-label.ts';
import { findingsAt } from './test-support.ts';

const deploy = (selector: string, name = 'web', kind = 'Deployment', apiVersion = 'apps/v1') => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: ${name}}\nspec:\n  selector: ${selector}\n`;

describe('volatile-selector-label', () => {
  it.each([
    { name: 'stable labels', yaml: deploy('{matchLabels: {app.kubernetes.io/name: web, app.kubernetes.io/instance: prod}}'), want: [] as string[] },
    { name: 'helm.sh/chart (gabibbo97/charts #20)', yaml: deploy('{matchLabels: {app: web, helm.sh/chart: web-1.2.3}}'), want: ['5:53 warning @web-1.2.3'] },
    { name: 'app.kubernetes.io/version', yaml: deploy('{matchLabels: {app.kubernetes.io/version: "2"}}'), want: ['5:55 warning @"2"'] },
    { name: 'a semver in any value (kustomize commonLabels, kustomize #1009)', yaml: deploy('{matchLabels: {release: v1.4.0}}'), want: ['5:37 warning @v1.4.0'] },
    { name: 'semver in matchExpressions values', yaml: deploy('{matchExpressions: [{key: rel, operator: In, values: [1.2.3-rc.1]}]}'), want: ['5:67 warning @1.2.3-rc.1'] },
    { name: 'Istio per-version Deployments: the version is in the name', yaml: deploy('{matchLabels: {app: reviews, version: v1}}', 'reviews-v1'), want: [] },
    { name: 'Service selectors are mutable: not checked', yaml: 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  selector: {version: 1.2.3}\n', want: [] },
    { name: 'StatefulSet', yaml: deploy('{matchLabels: {chart: db-0.1.0}}', 'db', 'StatefulSet'), want: ['5:35 warning @db-0.1.0'] },
  ])('$name', ({ yaml, want }) => {
    expect(findingsAt(volatileSelectorLabel, yaml)).toEqual(want);
  });
});
