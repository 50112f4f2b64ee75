import { describe, expect, it } from 'vitest';
import { runRuleOn, yaml } from '../../../../test/helpers/rule-tester.ts';
import { serviceSelectorNoMatch } from './service-selector-no-match.ts';

const svc = (selector: string, ns = ''): string => yaml`
  apiVersion: v1
  kind: Service
  metadata: {name: web${ns}}
  spec:
    selector: ${selector}
    ports: [{port: 80}]
`;
const deploy = (labels: string, ns = '', kind = 'Deployment', apiVersion = 'apps/v1'): string => yaml`
  apiVersion: ${apiVersion}
  kind: ${kind}
  metadata: {name: web${ns}, labels: {app: web, tier: frontend}}
  spec:
    selector: {matchLabels: {app: web}}
    template:
      metadata: {labels: ${labels}}
      spec: {containers: [{name: app, image: nginx}]}
`;

type Want = { line: number; column: number; severity: string; message?: RegExp };
const cases: { name: string; files: Record<string, string>; want: Want[] }[] = [
  { name: 'matches a Deployment template', files: { 'a.yaml': `${svc('{app: web}')}---\n${deploy('{app: web, tier: frontend}')}` }, want: [] },
  {
    name: 'no template has the label: warning with the closest template',
    files: { 'a.yaml': `${svc('{app: web, tier: fe}')}---\n${deploy('{app: web, tier: frontend}')}` },
    want: [{ line: 5, column: 13, severity: 'warning', message: /matches no pod template in namespace "default".*closest: Deployment default\/web \(a\.yaml:8\) fails tier=fe/ }],
  },
  {
    name: 'Service and Deployment in different directories are one graph (kube-linter #87, #179)',
    files: { 'svc/web.yaml': svc('{app: web}'), 'deploy/web.yaml': deploy('{app: web}') },
    want: [],
  },
  {
    name: 'conjunction per template, not per key across workloads (kube-score #316, Monokle pairs)',
    files: { 'a.yaml': `${svc('{app: web, tier: frontend}')}---\n${deploy('{app: web}')}---\n${deploy('{tier: frontend}', '2')}` },
    want: [{ line: 5, column: 13, severity: 'warning' }],
  },
  {
    name: 'template labels count, workload metadata.labels do not (Polaris PR #1027, stackrox PR #2537)',
    files: { 'a.yaml': `${svc('{tier: frontend}')}---\n${deploy('{app: web}')}` },
    want: [{ line: 5, column: 13, severity: 'warning' }],
  },
  {
    name: 'omitted namespace equals the default namespace (kube-linter #140)',
    files: { 'a.yaml': svc('{app: web}').replace('name: web}', 'name: web, namespace: default}'), 'b.yaml': deploy('{app: web}') },
    want: [],
  },
  {
    name: 'different namespaces do not match; the finding says the namespace was assumed',
    files: { 'a.yaml': svc('{app: web}'), 'b.yaml': deploy('{app: web}').replace('name: web,', 'name: web, namespace: shop,') },
    want: [{ line: 5, column: 13, severity: 'info', message: /no pod templates in namespace "default".*namespace "default" assumed/ }],
  },
  {
    name: 'kustomization namespace: applies to files without metadata.namespace',
    files: {
      'app/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop\nresources: [svc.yaml]\n',
      'app/svc.yaml': svc('{app: web}'),
      'other/deploy.yaml': deploy('{app: web}').replace('name: web,', 'name: web, namespace: shop,'),
    },
    want: [],
  },
  { name: 'ExternalName Services are skipped (kube-score #53)', files: { 'a.yaml': `${svc('{app: nope}').replace('spec:', 'spec:\n  type: ExternalName\n  externalName: example.com')}---\n${deploy('{app: web}')}` }, want: [] },
  {
    name: 'selectorless Service with manual Endpoints is fine (kube-linter #746)',
    files: { 'a.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {ports: [{port: 5432}]}\n---\napiVersion: v1\nkind: Endpoints\nmetadata: {name: db}\nsubsets: []\n' },
    want: [],
  },
  {
    name: 'selectorless Service with an EndpointSlice is fine',
    files: { 'a.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {ports: [{port: 5432}]}\n---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: db-1, labels: {kubernetes.io/service-name: db}}\naddressType: IPv4\nendpoints: []\n' },
    want: [],
  },
  {
    name: 'selectorless Service without endpoints: info, not dangling; {} selects nothing (kube-score treats it as everything)',
    files: { 'a.yaml': `${svc('{}')}---\n${deploy('{app: web}')}` },
    want: [{ line: 5, column: 13, severity: 'info', message: /has no selector/ }],
  },
  {
    name: 'selector using runtime-injected StatefulSet pod-name label (kube-linter PR #465)',
    files: { 'a.yaml': `${svc('{app: web, statefulset.kubernetes.io/pod-name: web-0}')}---\n${deploy('{app: web}', '', 'StatefulSet')}` },
    want: [],
  },
  {
    name: 'pod-template-hash is not something a StatefulSet adds',
    files: { 'a.yaml': `${svc('{app: web, pod-template-hash: abc}')}---\n${deploy('{app: web}', '', 'StatefulSet')}` },
    want: [{ line: 5, column: 13, severity: 'warning' }],
  },
  {
    name: 'Argo Rollout templates count (kube-linter #848)',
    files: { 'a.yaml': `${svc('{app: web}')}---\n${deploy('{app: web}', '', 'Rollout', 'argoproj.io/v1alpha1')}` },
    want: [],
  },
  {
    name: 'namespace with an operator CR that may create pods: info, not a warning',
    files: { 'a.yaml': `${svc('{app: prometheus}')}---\n${deploy('{app: web}')}---\napiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: k8s}\n` },
    want: [{ line: 5, column: 13, severity: 'info', message: /Prometheus default\/k8s \(a\.yaml:17\) may create pods|may create pods.*Prometheus default\/k8s/ }],
  },
  {
    name: 'a ServiceMonitor does not make the namespace incomplete',
    files: { 'a.yaml': `${svc('{app: nope}')}---\n${deploy('{app: web}')}---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: sm}\n` },
    want: [{ line: 5, column: 13, severity: 'warning' }],
  },
  {
    name: 'CronJob and bare Pod templates are candidates',
    files: {
      'a.yaml': `${svc('{app: job}')}---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        metadata: {labels: {app: job}}\n---\n${svc('{app: pod}', '2')}---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app: pod}}\n`,
    },
    want: [],
  },
  { name: 'invalid selectors are left to label-syntax and schema validation', files: { 'a.yaml': `${svc('{app: true}')}---\n${deploy('{app: web}')}` }, want: [] },
];

describe('service-selector-no-match', () => {
  it.each(cases)('$name', ({ files, want }) => {
    const got = runRuleOn(serviceSelectorNoMatch, files);
    expect(got.map((f) => ({ line: f.line, column: f.column, severity: f.severity }))).toEqual(want.map(({ line, column, severity }) => ({ line, column, severity })));
    got.forEach((f, i) => {
      if (want[i]?.message) expect(f.message).toMatch(want[i].message);
    });
  });

  it('uses the configured default namespace', () => {
    const got = runRuleOn(serviceSelectorNoMatch, { 'a.yaml': svc('{app: web}'), 'b.yaml': deploy('{app: web}').replace('name: web,', 'name: web, namespace: shop,') }, { settings: { defaultNamespace: 'shop' } });
    expect(got).toEqual([]);
  });
});
