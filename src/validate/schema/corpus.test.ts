// No false positives on real-world manifests: all of ../shared/corpus (kube-prometheus with its CRDs under setup/ and
// the custom resources using them; microservices-demo with its release bundles) validates clean, except what truly has
// no schema. The exact list of what is reported is pinned here, with the reason.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../core/types.ts';
import { parseSource } from '../../manifests/parse.ts';
import { createSchemaValidator, supportedKubernetesVersions } from './index.ts';

const CORPUS = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'corpus');
const hasCorpus = existsSync(CORPUS);
// Compiled CRD validators are cached (content-addressed) between runs, as in real use; outside the user's cache.
const cacheDir = join(tmpdir(), 'kubeplan-schema-test-cache');
if (!hasCorpus) console.warn(`schema corpus test skipped: ${CORPUS} is absent (the corpus lives in ../shared beside the clone)`);

/**
 * Everything the corpus is expected to report, as "file: rule apiVersion kind". All are missing-schema, and rightly so:
 * - kustomization.yaml is kustomize's build file, not a Kubernetes object;
 * - release/istio-manifests.yaml holds Istio and Gateway API custom resources, whose CRDs are not in the corpus.
 */
const EXPECTED = [
  'microservices-demo/kubernetes-manifests/kustomization.yaml: missing-schema kustomize.config.k8s.io/v1beta1 Kustomization',
  'microservices-demo/release/istio-manifests.yaml: missing-schema networking.istio.io/v1alpha3 VirtualService',
  'microservices-demo/release/istio-manifests.yaml: missing-schema gateway.networking.k8s.io/v1beta1 Gateway',
  'microservices-demo/release/istio-manifests.yaml: missing-schema gateway.networking.k8s.io/v1beta1 HTTPRoute',
  'microservices-demo/release/istio-manifests.yaml: missing-schema networking.istio.io/v1alpha3 ServiceEntry',
  'microservices-demo/release/istio-manifests.yaml: missing-schema networking.istio.io/v1alpha3 ServiceEntry',
];

function loadCorpus(): Manifest[] {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ya?ml|json)$/.test(f)) files.push(p);
    }
  };
  walk(CORPUS);
  return files.flatMap((f) => {
    const r = parseSource({ path: relative(CORPUS, f).split('\\').join('/'), bytes: readFileSync(f) });
    expect(r.findings, f).toEqual([]);
    return r.manifests;
  });
}

describe.runIf(hasCorpus)('the shared corpus', () => {
  const manifests = hasCorpus ? loadCorpus() : [];

  it('has the custom resources and CRDs this test relies on', () => {
    const kinds = new Set(manifests.map((m) => `${String(m.object.apiVersion)} ${String(m.object.kind)}`));
    for (const k of ['apiextensions.k8s.io/v1 CustomResourceDefinition', 'monitoring.coreos.com/v1 Prometheus', 'monitoring.coreos.com/v1 Alertmanager', 'monitoring.coreos.com/v1 ServiceMonitor', 'apps/v1 Deployment']) {
      expect(kinds.has(k), k).toBe(true);
    }
    expect(manifests.length).toBeGreaterThan(200);
  });

  it.each(['1.36', '1.29'])('validates clean at Kubernetes %s except the objects that have no schema', (version) => {
    expect(supportedKubernetesVersions).toContain(version);
    const v = createSchemaValidator({ kubernetesVersion: version, cacheDir });
    const findings = v.registerCrds(manifests);
    for (const m of manifests) findings.push(...v.validate(m));
    const got = findings.map((f) => `${f.file}: ${f.rule} ${f.object ? `${f.object.apiVersion} ${f.object.kind}` : ''}${f.rule === 'missing-schema' ? '' : ` ${f.line}:${f.column} ${f.message}`}`);
    expect(got).toEqual(EXPECTED);
  }, 60_000);

  it('really validates every object that has a schema (an unknown field injected into each is found)', () => {
    const v = createSchemaValidator({ cacheDir });
    v.registerCrds(manifests);
    let checked = 0;
    for (const m of manifests) {
      const apiVersion = String(m.object.apiVersion);
      const kind = String(m.object.kind);
      if (!v.kindInfo(apiVersion, kind)) continue;
      const mutated: Manifest = { ...m, object: { ...m.object, kubeplanInjected: 1, metadata: { ...(m.object.metadata as object), kubeplanInjected: 2 } } };
      const rules = v.validate(mutated).map((f) => `${f.rule} ${f.message}`);
      expect(rules, `${m.file} ${kind}`).toEqual(['unknown-field kubeplanInjected: unknown field "kubeplanInjected"', 'unknown-field metadata.kubeplanInjected: unknown field "kubeplanInjected"']);
      checked++;
    }
    expect(checked).toBe(manifests.length - EXPECTED.length);
  }, 60_000);
});
