import { describe, expect, it } from 'vitest';
import { invalidSuppression } from './index.ts';
import { findingsAt, messages } from './test-support.ts';

const svc = (annotation: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations:\n    kubeplan.dev/ignore: ${annotation}\n`;

describe('invalid-suppression', () => {
  it.each([
    { name: 'well-formed', yaml: svc('"service-selector-no-match: vendor chart"'), want: [] as string[] },
    { name: 'several clauses, unknown-but-plausible rule ids are fine', yaml: svc('"schema: CRD missing; duplicate-object: intentional override"'), want: [] },
    { name: 'no reason', yaml: svc('service-selector-no-match'), want: ['6:26 warning @service-selector-no-match'], message: /has no reason: write "service-selector-no-match: <why this is fine here>"/ },
    { name: 'misspelt rule id', yaml: svc('"service-selector-nomatch: x"'), want: ['6:26 warning @"service-selector-nomatch: x"'], message: /did you mean "service-selector-no-match"\?/ },
    {
      name: 'on a pod template',
      yaml: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    metadata:\n      annotations: {kubeplan.dev/ignore: "probes-missing"}\n',
      want: ['7:42 warning @"probes-missing"'],
    },
  ])('$name', ({ yaml, want, message }) => {
    expect(findingsAt(invalidSuppression, yaml)).toEqual(want);
    if (message) expect(messages(invalidSuppression, yaml)[0]).toMatch(message);
  });
});
