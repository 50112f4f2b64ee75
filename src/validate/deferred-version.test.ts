// validate() with the Kubernetes version given as a promise (kubeplan plan learns the cluster's version while the
// repo is read and parsed): schemas, API lifecycle and rules all use the version the promise gives.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validate, type ValidateInput } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'kubeplan-deferred-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// flowcontrol v1beta3: deprecated in 1.29, removed in 1.32.
writeFileSync(join(dir, 'fs.yaml'), 'apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata: {name: f}\nspec:\n  priorityLevelConfiguration: {name: p}\n');

const input = (kubernetesVersion: ValidateInput['kubernetesVersion']): ValidateInput => ({
  source: { kind: 'paths', paths: ['fs.yaml'], cwd: dir },
  ...(kubernetesVersion !== undefined ? { kubernetesVersion } : {}),
  strict: true,
  ignoreMissingSchemas: false,
  extraCrds: [],
  defaultNamespace: 'default',
  rules: {},
});
const rulesOf = async (v: ValidateInput['kubernetesVersion']) => {
  const r = await validate(input(v));
  if (!r.ok) throw new Error(r.error);
  return { rules: r.report.findings.map((f) => `${f.rule} ${f.severity}`), version: r.report.summary.kubernetesVersion };
};

describe('a Kubernetes version known only after parsing', () => {
  it('is the version of the whole run, as if it had been given at the start', async () => {
    expect(await rulesOf(Promise.resolve('1.29'))).toEqual(await rulesOf('1.29'));
    expect(await rulesOf(Promise.resolve('1.29'))).toEqual({ rules: ['deprecated-api warning'], version: '1.29' });
    expect(await rulesOf(Promise.resolve(undefined))).toEqual(await rulesOf(undefined));
    expect((await rulesOf(undefined)).rules).toEqual(['removed-api error']);
  });

  it('an unsupported version is validate\'s error, as when given at the start', async () => {
    const r = await validate(input(Promise.resolve('1.10')));
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/^unsupported Kubernetes version "1.10"/) as unknown as string });
  });
});
