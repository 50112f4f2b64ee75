// The relations validate cannot settle from the repo, as data for the planner: the same relations the rules report
// as info (unknown) or as findings (missing), none that resolve, none that are optional, off or suppressed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildResourceGraph } from '../../../graph/index.ts';
import { parseText } from '../../../manifests/parse.ts';
import { unresolvedReferences } from './references.ts';
import { configmapRefMissing } from './configmap-ref-missing.ts';
import { run } from './test-support.ts';

function graphOf(files: Record<string, string>) {
  return buildResourceGraph(Object.entries(files).flatMap(([file, text]) => parseText(file, text).manifests));
}

function summary(files: Record<string, string>, enabled?: (rule: string) => boolean): string[] {
  return unresolvedReferences(graphOf(files), enabled).map((r) => {
    const t = r.target.type === 'object' ? `${r.target.kind} ${r.target.namespace}/${r.target.name}` : `pods ${r.target.selector.toString()} in ${r.target.namespace}`;
    return `${r.rule}: ${r.from.kind} ${r.from.namespace}/${r.from.name} → ${t} (${r.outcome})`;
  });
}

const fixture = (f: string): string => readFileSync(new URL(`../../../../fixtures/live-refs/manifests/${f}`, import.meta.url), 'utf8');

describe('unresolvedReferences', () => {
  it('the fixture repo: every reference the rules report as info, with the rule, the referencing object and the target', () => {
    expect(summary({ 'shop.yaml': fixture('shop.yaml'), 'edge.yaml': fixture('edge.yaml') })).toEqual([
      'configmap-ref-missing: Deployment shop/web → ConfigMap shop/app-config (unknown)',
      'configmap-ref-missing: Deployment shop/api → ConfigMap shop/api-config (unknown)',
      'secret-ref-missing: Deployment shop/web → Secret shop/db-credentials (unknown)',
      'serviceaccount-missing: Deployment shop/web → ServiceAccount shop/web (unknown)',
      'pvc-missing: Deployment shop/web → PersistentVolumeClaim shop/uploads (unknown)',
      'service-selector-no-match: Service edge/legacy → pods app=legacy in edge (unknown)',
      'service-selector-no-match: Service edge/ghost → pods app=ghost in edge (unknown)',
      'pdb-selects-no-pods: PodDisruptionBudget edge/legacy → pods app=legacy in edge (unknown)',
    ]);
  });

  it('matches what the rule reports: one reference per info finding', () => {
    const files = { 'shop.yaml': fixture('shop.yaml') };
    const infos = run(configmapRefMissing, files).findings.filter((f) => f.severity === 'info');
    const refs = unresolvedReferences(graphOf(files)).filter((r) => r.rule === 'configmap-ref-missing');
    expect(refs.length).toBe(infos.length);
    expect(refs.map((r) => r.reason)).toEqual(infos.map(() => 'the repo defines no ConfigMaps in namespace "shop", so it is created outside the repo or not at all'));
  });

  it('a conclusive miss is "missing"; a resolved or optional reference is left out', () => {
    const yaml = `apiVersion: v1
kind: ConfigMap
metadata: {name: present, namespace: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: web:1
          envFrom: [{configMapRef: {name: present}}, {configMapRef: {name: absent}}, {configMapRef: {name: maybe, optional: true}}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  tls: [{secretName: web-tls}]
  defaultBackend: {service: {name: frontend, port: {number: 80}}}
`;
    expect(summary({ 'a.yaml': yaml })).toEqual([
      'configmap-ref-missing: Deployment shop/web → ConfigMap shop/absent (missing)',
      'ingress-backend-missing: Ingress shop/web → Service shop/frontend (unknown)',
      'ingress-tls-secret-missing: Ingress shop/web → Secret shop/web-tls (unknown)',
    ]);
  });

  it('leaves out rules that are off and references suppressed on their object or pod template', () => {
    const files = { 'shop.yaml': fixture('shop.yaml') };
    expect(summary(files, (rule) => rule !== 'configmap-ref-missing').some((s) => s.startsWith('configmap-ref-missing'))).toBe(false);
    const suppressed = fixture('shop.yaml').replace(
      '    metadata:\n      labels:\n        app: web\n',
      '    metadata:\n      labels:\n        app: web\n      annotations:\n        kubeplan.dev/ignore: "secret-ref-missing: created by the vault operator"\n',
    );
    expect(suppressed).not.toBe(fixture('shop.yaml'));
    const rules = summary({ 'shop.yaml': suppressed }).map((s) => s.split(':')[0]);
    expect(rules).not.toContain('secret-ref-missing');
    expect(rules).toContain('configmap-ref-missing');
  });
});
