// Changed-only modes (pre-commit, --changed-since) report on some files and keep the rest as context. Rules may skip
// subjects in context files (support.ts isReported), but the findings must be exactly those of a full run that land
// in the reported files: checked here for every cross-object rule, on every single file and pair of files.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../test/helpers/rule-tester.ts';
import type { Finding, Manifest } from '../../../core/types.ts';
import { parseText } from '../../../manifests/parse.ts';
import { runRules } from '../run.ts';
import { crossObjectRules } from './index.ts';

const files: Record<string, string> = {
  'shop/web.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, annotations: {kubeplan.dev/ignore: "pvc-mising: because"}}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: fe}}
    spec:
      serviceAccountName: web-sa
      containers:
        - name: web
          image: nginx:1.27
          ports: [{name: http, containerPort: 8080}]
          envFrom: [{configMapRef: {name: web-config}}, {secretRef: {name: web-secret}}]
      volumes: [{name: data, persistentVolumeClaim: {claimName: web-data}}]
`,
  'shop/web-svc.yaml': `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: web}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{port: 80}]
`,
  'shop/other.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: web-canary, namespace: shop}
spec:
  selector: {matchLabels: {tier: fe}}
  template:
    metadata: {labels: {app: web, tier: fe}}
    spec:
      containers: [{name: web, image: nginx:1.27}]
`,
  'shop/config.yaml': `apiVersion: v1
kind: ConfigMap
metadata: {name: other-config, namespace: shop}
---
apiVersion: v1
kind: Secret
metadata: {name: web-secret, namespace: shop}
stringData: {token: x}
`,
  'ops/pdb.yaml': `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: nothing-here}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: shop}
spec:
  podSelector: {matchLabels: {app: nothing-here}}
  policyTypes: [Ingress]
`,
};

function parseAll(texts: Record<string, string>): Manifest[] {
  return Object.entries(texts).flatMap(([path, text]) => {
    const parsed = parseText(path, text);
    expect(parsed.findings).toEqual([]);
    return parsed.manifests;
  });
}

const key = (f: Finding): string => `${f.file}:${f.line}:${f.column} ${f.rule} ${f.severity} ${f.message}`;

function expectSameAsFullRun(manifests: Manifest[], subsets: string[][]): void {
  const full = runRules(crossObjectRules, manifests, defaultSettings).map(key);
  for (const subset of subsets) {
    const reportOn = new Set(subset);
    const changedOnly = runRules(crossObjectRules, manifests, defaultSettings, {}, { reportOn }).map(key);
    expect(changedOnly, `reporting on ${subset.join(', ')}`).toEqual(full.filter((k) => subset.some((f) => k.startsWith(`${f}:`))));
  }
}

describe('changed-only runs report exactly the full run’s findings in the reported files', () => {
  it('on a repo with a finding of each kind', () => {
    const manifests = parseAll(files);
    const full = runRules(crossObjectRules, manifests, defaultSettings);
    // The fixture must exercise the rules that skip context subjects.
    for (const rule of ['configmap-ref-missing', 'serviceaccount-missing', 'pvc-missing', 'service-selector-no-match', 'service-target-port-unresolved', 'workload-selectors-overlap', 'invalid-suppression', 'pdb-selects-no-pods', 'networkpolicy-selects-nothing']) {
      expect(full.map((f) => f.rule), rule).toContain(rule);
    }
    const names = Object.keys(files);
    const subsets = [...names.map((n) => [n]), ...names.flatMap((a, i) => names.slice(i + 1).map((b) => [a, b])), []];
    expectSameAsFullRun(manifests, subsets);
  });

  const corpus = fileURLToPath(new URL('../../../../../shared/corpus/', import.meta.url));
  it.skipIf(!existsSync(corpus))('on each corpus unit, a third of its files at a time', () => {
    const yamlFiles = (dir: string): string[] => readdirSync(dir).flatMap((e) => (statSync(join(dir, e)).isDirectory() ? yamlFiles(join(dir, e)) : /\.ya?ml$/.test(e) ? [join(dir, e)] : []));
    for (const unit of ['kube-prometheus/manifests', 'microservices-demo/kubernetes-manifests']) {
      const root = join(corpus, unit);
      const texts = Object.fromEntries(yamlFiles(root).map((f) => [relative(root, f), readFileSync(f, 'utf8')]));
      const names = Object.keys(texts).sort();
      const thirds = [0, 1, 2].map((r) => names.filter((_, i) => i % 3 === r));
      expectSameAsFullRun(parseAll(texts), thirds);
    }
  });
});
