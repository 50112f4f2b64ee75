// The shared corpus (../shared/corpus: kube-prometheus, Online Boutique) must produce no false errors.
// Each deployable unit is one run, as a user would validate it. Everything reported is listed here with the reason.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../test/helpers/rule-tester.ts';
import type { Finding } from '../../../core/types.ts';
import { parseText } from '../../../manifests/parse.ts';
import { runRules } from '../run.ts';
import { crossObjectRules } from './index.ts';

const corpus = fileURLToPath(new URL('../../../../../shared/corpus/', import.meta.url));
const present = existsSync(corpus);
if (!present) console.warn(`skipping the corpus test: ${corpus} is absent (it lives in ../shared next to the repository)`);

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(e) ? [p] : [];
  });
}

function runOn(unit: string): Finding[] {
  const root = join(corpus, unit);
  const manifests = yamlFiles(root).flatMap((f) => {
    const parsed = parseText(relative(root, f), readFileSync(f, 'utf8'));
    expect(parsed.findings, `${f} should parse`).toEqual([]);
    return parsed.manifests;
  });
  expect(manifests.length).toBeGreaterThan(10);
  return runRules(crossObjectRules, manifests, defaultSettings);
}

const summary = (fs: Finding[]): string[] => fs.map((f) => `${f.severity} ${f.rule} ${f.file}`).sort();

describe.skipIf(!present)('corpus: no false errors from the default cross-object rules', () => {
  it('kube-prometheus/manifests', () => {
    const findings = runOn('kube-prometheus/manifests');
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(summary(findings)).toEqual([
      // The Prometheus and Alertmanager custom resources make the operator create the pods these select:
      // the repo can't show them, so these are "could not be checked", not "selects nothing".
      'info networkpolicy-selects-nothing alertmanager-networkPolicy.yaml',
      'info networkpolicy-selects-nothing prometheus-networkPolicy.yaml',
      'info pdb-selects-no-pods alertmanager-podDisruptionBudget.yaml',
      'info pdb-selects-no-pods prometheus-podDisruptionBudget.yaml',
      'info service-selector-no-match alertmanager-service.yaml',
      'info service-selector-no-match prometheus-service.yaml',
      // True positives: Alertmanager and Grafana configuration committed as Secret stringData (keys named, never values).
      'warning secret-committed alertmanager-secret.yaml',
      'warning secret-committed grafana-config.yaml',
      'warning secret-committed grafana-dashboardDatasources.yaml',
    ]);
    for (const f of findings.filter((x) => x.severity === 'info')) expect(f.message).toMatch(/may create pods the repo doesn't show: Alertmanager monitoring\/main/);
  });

  it('microservices-demo/kubernetes-manifests (kustomize base) and release/ (bundle), each on its own: nothing', () => {
    expect(summary(runOn('microservices-demo/kubernetes-manifests'))).toEqual([]);
    expect(summary(runOn('microservices-demo/release'))).toEqual([]);
  });

  it('the whole microservices-demo directory at once: only duplicate-object, which is right', () => {
    // kubernetes-manifests/ and release/kubernetes-manifests.yaml are two packagings of the same app: applied together,
    // every object is defined twice. Nothing else is reported (overlap between the copies is not double-counted).
    const findings = runOn('microservices-demo');
    expect(new Set(findings.map((f) => `${f.severity} ${f.rule}`))).toEqual(new Set(['error duplicate-object']));
    for (const f of findings) expect(f.file).toBe('release/kubernetes-manifests.yaml');
  });
});
