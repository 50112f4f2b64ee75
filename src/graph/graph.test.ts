import { describe, expect, it } from 'vitest';
import type { Manifest } from '../core/types.ts';
import { parseText } from '../manifests/parse.ts';
import { yaml } from '../../test/helpers/rule-tester.ts';
import { buildResourceGraph, namespaceNote, type GraphOptions } from './index.ts';

function load(files: Record<string, string>): Manifest[] {
  return Object.entries(files).flatMap(([path, text]) => {
    const r = parseText(path, text);
    if (r.findings.length > 0) throw new Error(r.findings.map((f) => f.message).join('; '));
    return r.manifests;
  });
}
const graph = (files: Record<string, string>, opts: GraphOptions = {}) => buildResourceGraph(load(files), opts);

const deployment = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web}
  spec:
    selector: {matchLabels: {app: web}}
    template:
      metadata: {labels: {app: web, tier: fe}}
      spec: {containers: [{name: app, image: nginx}]}
`;

describe('effective namespaces', () => {
  it('metadata.namespace, then namespaceForFile, then kustomization, then the default', () => {
    const g = graph(
      {
        'a/explicit.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: shop}\n',
        'b/outer.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
        'c/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: team-c\nresources: [cm.yaml]\n',
        'c/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
        'd/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
      },
      { defaultNamespace: 'dflt', namespaceForFile: new Map([['b/outer.yaml', 'from-flag']]) },
    );
    const byFile = Object.fromEntries(g.objects.map((o) => [o.manifest.file, [o.namespace, o.namespaceSource]]));
    expect(byFile).toEqual({
      'a/explicit.yaml': ['shop', 'metadata'],
      'b/outer.yaml': ['from-flag', 'file'],
      'c/cm.yaml': ['team-c', 'kustomization'],
      'd/cm.yaml': ['dflt', 'default'],
    });
    const c = g.objects.find((o) => o.manifest.file === 'c/cm.yaml');
    expect(c && namespaceNote(c)).toBe(' (namespace "team-c" from c/kustomization.yaml)');
    const d = g.objects.find((o) => o.manifest.file === 'd/cm.yaml');
    expect(d && namespaceNote(d)).toBe(' (namespace "dflt" assumed: no metadata.namespace)');
  });

  it('"" and "default" are the same namespace when the default is "default" (kube-linter #140)', () => {
    const g = graph({ 'x.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: default}\n---\n' + deployment });
    expect(g.podTemplates('default')).toHaveLength(1);
    expect(g.ofKind('', 'Service', 'default')).toHaveLength(1);
  });

  it('a kustomization listing a directory gives its files the namespace; overlays that disagree give none', () => {
    const g = graph({
      'overlays/prod/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: prod\nresources: [../../app]\n',
      'app/web.yaml': deployment,
      'overlays/a/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: a\nresources: [../../shared]\n',
      'overlays/b/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: b\nresources: [../../shared, https://github.com/x/y//base?ref=v1]\n',
      'shared/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
    });
    expect(g.objects.find((o) => o.manifest.file === 'app/web.yaml')?.namespace).toBe('prod');
    expect(g.objects.find((o) => o.manifest.file === 'shared/cm.yaml')?.namespaceSource).toBe('default');
    // Kustomization files are configuration, not cluster objects.
    expect(g.objects.some((o) => o.kind === 'Kustomization')).toBe(false);
    expect(g.kustomizations).toHaveLength(3);
  });
});

describe('scope', () => {
  it('built-in cluster-scoped kinds have no namespace, even when one is written', () => {
    const g = graph({ 'r.yaml': 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r, namespace: oops}\n' });
    const o = g.objects[0];
    expect(o?.scope).toBe('cluster');
    expect(o?.namespace).toBeUndefined();
    expect(o?.declaredNamespace).toBe('oops');
    expect(g.find('rbac.authorization.k8s.io', 'ClusterRole', 'anything', 'r')).toHaveLength(1);
  });
  it('CRDs in the input decide the scope of their kinds; unknown kinds are "unknown"', () => {
    const g = graph({
      'crd.yaml': yaml`
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.com}
        spec:
          group: example.com
          scope: Cluster
          names: {kind: Widget, plural: widgets}
          versions: [{name: v1, served: true, storage: true, subresources: {scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}}}]
      `,
      'w.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n---\napiVersion: other.io/v1\nkind: Gadget\nmetadata: {name: g}\n',
    });
    expect(g.scopeOf('example.com/v1', 'Widget')).toBe('cluster');
    expect(g.isScalable('example.com', 'Widget')).toBe(true);
    expect(g.scopeOf('other.io/v1', 'Gadget')).toBe('unknown');
    expect(g.isScalable('other.io', 'Gadget')).toBeUndefined();
    expect(g.isScalable('apps', 'DaemonSet')).toBe(false);
  });
  it('the isNamespaced callback (the schema kind table) is consulted', () => {
    const g = graph({ 'x.yaml': 'apiVersion: other.io/v1\nkind: Gadget\nmetadata: {name: g, namespace: n}\n' }, { isNamespaced: (_a, k) => (k === 'Gadget' ? false : undefined) });
    expect(g.objects[0]?.scope).toBe('cluster');
  });
});

describe('pod templates', () => {
  it('comes from every built-in workload kind, with template paths and runtime labels', () => {
    const g = graph({
      'w.yaml': [
        deployment,
        yaml`
          apiVersion: batch/v1
          kind: CronJob
          metadata: {name: cj}
          spec:
            schedule: "* * * * *"
            jobTemplate:
              spec:
                template:
                  metadata: {labels: {app: cj}}
                  spec: {containers: [{name: c, image: busybox}], restartPolicy: Never}
        `,
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app: p}}\nspec: {containers: [{name: c, image: x}]}\n',
        'apiVersion: v1\nkind: ReplicationController\nmetadata: {name: rc}\nspec:\n  template:\n    metadata: {labels: {app: rc}}\n',
      ].join('---\n'),
    });
    const ts = g.podTemplates('default');
    expect(ts.map((t) => [t.owner.kind, t.path.join('.'), t.labels])).toEqual([
      ['Deployment', 'spec.template', { app: 'web', tier: 'fe' }],
      ['CronJob', 'spec.jobTemplate.spec.template', { app: 'cj' }],
      ['Pod', '', { app: 'p' }],
      ['ReplicationController', 'spec.template', { app: 'rc' }],
    ]);
    expect([...(ts[0]?.runtimeLabels ?? [])]).toEqual(['pod-template-hash']);
    expect(ts[1]?.runtimeLabels.has('job-name')).toBe(true);
    expect(ts[1]?.selector).toBeUndefined(); // generated by the Job controller
    // An empty ReplicationController selector defaults to the template labels.
    expect(ts[3]?.selector?.defaulted).toBe(true);
    expect(ts[3]?.selector?.parsed.ok && ts[3].selector.parsed.selector.toString()).toBe('app=rc');
  });

  it('configured workload CRDs contribute templates (kube-linter #848, kube-score #430)', () => {
    const g = graph(
      { 'r.yaml': 'apiVersion: example.com/v1\nkind: Runner\nmetadata: {name: r}\nspec:\n  podTemplate:\n    metadata: {labels: {app: r}}\n  sel: {matchLabels: {app: r}}\n' },
      { workloads: [{ group: 'example.com', kind: 'Runner', podTemplatePath: 'spec.podTemplate', selectorPath: 'spec.sel' }] },
    );
    const t = g.podTemplates('default')[0];
    expect(t?.labels).toEqual({ app: 'r' });
    expect(t?.selector?.path).toEqual(['spec', 'sel']);
    expect(g.hiddenPodSources('default')).toEqual([]);
  });

  it('Argo Rollouts are built in; unknown custom resources are possible hidden pod sources', () => {
    const g = graph({
      'r.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\nspec:\n  selector: {matchLabels: {app: r}}\n  template:\n    metadata: {labels: {app: r}}\n',
      'p.yaml': 'apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: k8s}\n---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: sm}\n',
    });
    expect(g.podTemplates('default').map((t) => t.owner.kind)).toEqual(['Rollout']);
    expect(g.hiddenPodSources('default').map((o) => o.kind)).toEqual(['Prometheus']);
  });

  it('non-string label values are stringified rather than dropped (no cascading findings)', () => {
    const g = graph({ 'p.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {canary: true, v: 1.10}}\n' });
    expect(g.podTemplates('default')[0]?.labels).toEqual({ canary: 'true', v: '1.1' });
  });
});

describe('indexes', () => {
  it('find compares group (not version), kind, namespace and name', () => {
    const g = graph({ 'w.yaml': deployment.replace('apps/v1', 'apps/v1beta2') });
    expect(g.find('apps', 'Deployment', 'default', 'web')).toHaveLength(1);
    expect(g.find('extensions', 'Deployment', 'default', 'web')).toHaveLength(0);
    expect(g.find('apps', 'Deployment', 'other', 'web')).toHaveLength(0);
    expect(g.namespaces()).toEqual(['default']);
  });
});
