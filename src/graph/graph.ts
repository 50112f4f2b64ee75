// One resource graph per run over every loaded object: identities with effective namespaces, indexes by
// group/kind/namespace/name, and per-namespace pod templates with their workloads' selectors.
// Cross-object rules and the planner query this instead of walking manifests themselves.
import { getArray, getObject, getString, groupOf, isObject, valueAt } from '../core/objects.ts';
import type { JsonObject, JsonPath, JsonValue, Manifest } from '../core/types.ts';
import { parseLabelSelector, parseSelectorMap, selectorFromMap, type Labels, type ParsedSelector } from '../selectors/index.ts';
import { isBuiltinGroup, isClusterScopedKind, POD_TEMPLATE_KINDS } from '../k8s/kinds.ts';
import { ALL_RUNTIME_LABELS, CONTROLLER_RUNTIME_LABELS, gk, mayCreatePods, NOT_SCALABLE, SCALABLE } from './kinds.ts';
import { isKustomization, kustomizeNamespaceResolver, readKustomization, type Kustomization } from './kustomize.ts';

/** A pod-bearing custom resource, as `.kubeplan.yaml` `workloads:` declares it (paths are dotted: "spec.template"). */
export interface WorkloadAdapter {
  group: string;
  kind: string;
  podTemplatePath: string | JsonPath;
  selectorPath?: string | JsonPath;
  /** Labels its controller adds to pods; default: every label any known controller adds (conservative). */
  runtimeLabels?: readonly string[];
  /** Has a /scale subresource (can be an HPA target). */
  scalable?: boolean;
}

export interface GraphOptions {
  /** Namespace for namespaced objects with no metadata.namespace and no kustomization namespace. Default "default". */
  defaultNamespace?: string;
  /** Namespace an outer tool gives a file (kustomize/Helm/Argo CD destination); wins over kustomizations found in the input. */
  namespaceForFile?: ((file: string) => string | undefined) | ReadonlyMap<string, string>;
  /** The schema validator's kind table: true/false when it knows the kind's scope. */
  isNamespaced?: (apiVersion: string, kind: string) => boolean | undefined;
  /** Pod-bearing custom resources, in addition to the built-ins (and Argo Rollouts, built in). */
  workloads?: readonly WorkloadAdapter[];
  /**
   * Files of the input that failed to parse or render: the objects they define are unknown, so rules must not
   * conclude that something is missing (kube-linter #249, #669: broken templates cascading into "dangling" findings).
   */
  unparsedFiles?: readonly string[];
}

export type Scope = 'namespaced' | 'cluster' | 'unknown';
export type NamespaceSource = 'metadata' | 'file' | 'kustomization' | 'default' | 'cluster';

export interface GraphObject {
  readonly manifest: Manifest;
  readonly apiVersion: string;
  readonly group: string;
  readonly kind: string;
  /** metadata.name ("" when only generateName is set). */
  readonly name: string;
  readonly scope: Scope;
  /** Effective namespace; undefined for cluster-scoped objects. */
  readonly namespace: string | undefined;
  readonly namespaceSource: NamespaceSource;
  /** Where a non-metadata namespace came from (the kustomization file), for messages. */
  readonly namespaceOrigin?: string;
  /** metadata.namespace as written (also on cluster-scoped objects, where it is ignored). */
  readonly declaredNamespace: string | undefined;
  readonly labels: Labels;
  readonly annotations: Labels;
}

export interface WorkloadSelector {
  /** Path of the selector inside the manifest. */
  readonly path: JsonPath;
  readonly raw: JsonValue | undefined;
  readonly type: 'label' | 'map';
  readonly parsed: ParsedSelector;
  /** Not written: defaulted from the template labels (ReplicationController, extensions/v1beta1). */
  readonly defaulted: boolean;
}

export interface PodTemplate {
  readonly owner: GraphObject;
  /** Path of the PodTemplateSpec ({metadata, spec}); [] for a Pod. */
  readonly path: JsonPath;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly spec: JsonObject | undefined;
  readonly specPath: JsonPath;
  /** Labels the controller adds to these pods at runtime, absent from the manifest. */
  readonly runtimeLabels: ReadonlySet<string>;
  /** The owning workload's own selector; undefined for Pods and Jobs with generated selectors. */
  readonly selector?: WorkloadSelector;
}

export interface CrdInfo {
  group: string;
  kind: string;
  scope: Scope;
  scalable: boolean;
  manifest: Manifest;
}

export interface ResourceGraph {
  readonly objects: readonly GraphObject[];
  readonly defaultNamespace: string;
  readonly kustomizations: readonly Kustomization[];
  /** GraphOptions.unparsedFiles: while non-empty, nothing can be proven missing. */
  readonly unparsedFiles: readonly string[];
  /** The graph node of a manifest (undefined for objects without apiVersion/kind and for kustomization files). */
  nodeOf(manifest: Manifest): GraphObject | undefined;
  /** Objects with this group, kind, name in this namespace (namespace ignored for cluster-scoped kinds). Usually 0 or 1. */
  find(group: string, kind: string, namespace: string | undefined, name: string): readonly GraphObject[];
  /** Objects of a group/kind, optionally in one namespace. */
  ofKind(group: string, kind: string, namespace?: string): readonly GraphObject[];
  /** Pod templates in a namespace (or all of them). */
  podTemplates(namespace?: string): readonly PodTemplate[];
  podTemplatesOf(obj: GraphObject): readonly PodTemplate[];
  /** A workload's own selector (also when it has no template); undefined for non-workloads, Pods, and generated Job selectors. */
  workloadSelector(obj: GraphObject): WorkloadSelector | undefined;
  /** Custom resources in the namespace that may create pods we can't see (operators' CRs, Helm releases…). */
  hiddenPodSources(namespace: string): readonly GraphObject[];
  scopeOf(apiVersion: string, kind: string): Scope;
  crd(group: string, kind: string): CrdInfo | undefined;
  /** Whether a kind can be scaled (HPA target): true/false when known, undefined when the kind is unknown. */
  isScalable(group: string, kind: string): boolean | undefined;
  isWorkloadKind(group: string, kind: string): boolean;
  namespaces(): readonly string[];
}

interface WorkloadKind {
  group: string;
  kind: string;
  templatePath: JsonPath;
  selector?: { path: JsonPath; type: 'label' | 'map'; generated?: boolean };
  runtimeLabels: readonly string[];
  scalable: boolean;
}

const L = CONTROLLER_RUNTIME_LABELS;
const RUNTIME_LABELS: Readonly<Record<string, readonly string[]>> = { Deployment: L.deployment, DaemonSet: L.daemonset, StatefulSet: L.statefulset, Job: L.job, CronJob: L.job };
/** Pods and the built-in controllers (not PodTemplate: nothing runs it by itself), and Argo Rollouts. */
const BUILTIN_WORKLOADS: readonly WorkloadKind[] = [
  ...POD_TEMPLATE_KINDS.filter((k) => k.role !== 'template').map(
    (k): WorkloadKind => ({
      group: k.group,
      kind: k.kind,
      templatePath: [...k.templatePath],
      ...(k.selector ? { selector: { ...k.selector, path: [...k.selector.path] } } : {}),
      runtimeLabels: RUNTIME_LABELS[k.kind] ?? [],
      scalable: SCALABLE.has(gk(k.group, k.kind)),
    }),
  ),
  { group: 'argoproj.io', kind: 'Rollout', templatePath: ['spec', 'template'], selector: { path: ['spec', 'selector'], type: 'label' }, runtimeLabels: L.rollout, scalable: true },
];

function dotted(p: string | JsonPath): JsonPath {
  if (typeof p !== 'string') return p;
  return p
    .split('.')
    .filter((s) => s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Label maps as the graph sees them: non-string scalars stringified (schema validation reports them; rules shouldn't cascade). */
export function labelsOf(value: JsonValue | undefined): Labels {
  const out: Record<string, string> = {};
  if (!isObject(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else if (v === null) out[k] = '';
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

export function buildResourceGraph(manifests: readonly Manifest[], options: GraphOptions = {}): ResourceGraph {
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const kustomizations = manifests.filter(isKustomization).map(readKustomization);
  const fromKustomize = kustomizeNamespaceResolver(kustomizations);
  const fileNs = options.namespaceForFile;
  const namespaceForFile = typeof fileNs === 'function' ? fileNs : fileNs ? (f: string) => fileNs.get(f) : () => undefined;

  const workloadKinds = new Map<string, WorkloadKind>();
  for (const w of BUILTIN_WORKLOADS) workloadKinds.set(gk(w.group, w.kind), w);
  for (const a of options.workloads ?? []) {
    const w: WorkloadKind = {
      group: a.group,
      kind: a.kind,
      templatePath: dotted(a.podTemplatePath),
      runtimeLabels: a.runtimeLabels ?? ALL_RUNTIME_LABELS,
      scalable: a.scalable ?? false,
    };
    if (a.selectorPath !== undefined) w.selector = { path: dotted(a.selectorPath), type: 'label' };
    workloadKinds.set(gk(a.group, a.kind), w);
  }

  const crds = new Map<string, CrdInfo>();
  for (const m of manifests) {
    const info = readCrd(m);
    if (info) crds.set(gk(info.group, info.kind), info);
  }

  const scopeOf = (apiVersion: string, kind: string): Scope => {
    const group = groupOf(apiVersion);
    const crd = crds.get(gk(group, kind));
    if (crd) return crd.scope;
    const fromTable = options.isNamespaced?.(apiVersion, kind);
    if (fromTable !== undefined) return fromTable ? 'namespaced' : 'cluster';
    if (isClusterScopedKind(group, kind)) return 'cluster';
    if (isBuiltinGroup(group)) return 'namespaced';
    return 'unknown';
  };
  const scopeCache = new Map<string, Scope>();
  const cachedScope = (apiVersion: string, kind: string): Scope => {
    const key = `${apiVersion}/${kind}`;
    let s = scopeCache.get(key);
    if (s === undefined) {
      s = scopeOf(apiVersion, kind);
      scopeCache.set(key, s);
    }
    return s;
  };
  const scopeOfGroupKind = (group: string, kind: string): Scope => cachedScope(group === '' ? 'v1' : `${group}/v1`, kind);

  const objects: GraphObject[] = [];
  const byManifest = new Map<Manifest, GraphObject>();
  const byIdentity = new Map<string, GraphObject[]>();
  const byKindNs = new Map<string, GraphObject[]>();
  const byKind = new Map<string, GraphObject[]>();
  const templatesByNs = new Map<string, PodTemplate[]>();
  const templatesByOwner = new Map<GraphObject, PodTemplate[]>();
  const hiddenByNs = new Map<string, GraphObject[]>();
  const selectorsByOwner = new Map<GraphObject, WorkloadSelector>();
  const push = <K, V>(map: Map<K, V[]>, key: K, v: V): void => {
    const list = map.get(key);
    if (list) list.push(v);
    else map.set(key, [v]);
  };

  for (const m of manifests) {
    if (isKustomization(m)) continue;
    const apiVersion = getString(m.object, 'apiVersion');
    const kind = getString(m.object, 'kind');
    if (apiVersion === undefined || kind === undefined || apiVersion === '' || kind === '') continue;
    const group = groupOf(apiVersion);
    const metadata = getObject(m.object, 'metadata');
    const name = getString(metadata, 'name') ?? '';
    const declared = getString(metadata, 'namespace');
    const scope = cachedScope(apiVersion, kind);
    let namespace: string | undefined;
    let namespaceSource: NamespaceSource;
    let namespaceOrigin: string | undefined;
    if (scope === 'cluster') {
      namespace = undefined;
      namespaceSource = 'cluster';
    } else if (declared !== undefined && declared !== '') {
      namespace = declared;
      namespaceSource = 'metadata';
    } else {
      const outer = namespaceForFile(m.file);
      const kz = outer === undefined ? fromKustomize(m.file) : undefined;
      if (outer !== undefined) {
        namespace = outer;
        namespaceSource = 'file';
      } else if (kz !== undefined) {
        namespace = kz.namespace;
        namespaceSource = 'kustomization';
        namespaceOrigin = kz.origin;
      } else {
        namespace = defaultNamespace;
        namespaceSource = 'default';
      }
    }
    const node: GraphObject = {
      manifest: m,
      apiVersion,
      group,
      kind,
      name,
      scope,
      namespace,
      namespaceSource,
      ...(namespaceOrigin !== undefined ? { namespaceOrigin } : {}),
      declaredNamespace: declared,
      labels: labelsOf(metadata?.labels),
      annotations: labelsOf(metadata?.annotations),
    };
    objects.push(node);
    byManifest.set(m, node);
    const nsKey = namespace ?? '';
    push(byIdentity, `${group}/${kind}/${nsKey}/${name}`, node);
    push(byKindNs, `${group}/${kind}/${nsKey}`, node);
    push(byKind, gk(group, kind), node);

    const wk = workloadKinds.get(gk(group, kind));
    if (wk) {
      const templateLabels = labelsOf(valueAt(m.object, [...wk.templatePath, 'metadata', 'labels']));
      const selector = selectorOf(node, wk, templateLabels);
      if (selector) selectorsByOwner.set(node, selector);
      const t = templateOf(node, wk, selector);
      if (t) {
        push(templatesByNs, nsKey, t);
        push(templatesByOwner, node, t);
      }
    } else if (namespace !== undefined && mayCreatePods(group, kind)) {
      push(hiddenByNs, namespace, node);
    }
  }

  const none: readonly never[] = [];
  return {
    objects,
    defaultNamespace,
    kustomizations,
    unparsedFiles: [...(options.unparsedFiles ?? [])],
    nodeOf: (m) => byManifest.get(m),
    find(group, kind, namespace, name) {
      const ns = scopeOfGroupKind(group, kind) === 'cluster' ? '' : (namespace ?? '');
      return byIdentity.get(`${group}/${kind}/${ns}/${name}`) ?? none;
    },
    ofKind(group, kind, namespace) {
      if (namespace === undefined) return byKind.get(gk(group, kind)) ?? none;
      return byKindNs.get(`${group}/${kind}/${namespace}`) ?? none;
    },
    podTemplates(namespace) {
      if (namespace === undefined) return [...templatesByNs.values()].flat();
      return templatesByNs.get(namespace) ?? none;
    },
    podTemplatesOf: (obj) => templatesByOwner.get(obj) ?? none,
    workloadSelector: (obj) => selectorsByOwner.get(obj),
    hiddenPodSources: (namespace) => hiddenByNs.get(namespace) ?? none,
    scopeOf: cachedScope,
    crd: (group, kind) => crds.get(gk(group, kind)),
    isScalable(group, kind) {
      if (SCALABLE.has(gk(group, kind))) return true;
      const crd = crds.get(gk(group, kind));
      if (crd?.scalable) return true;
      const wk = workloadKinds.get(gk(group, kind));
      if (wk?.scalable) return true;
      if (NOT_SCALABLE.has(gk(group, kind))) return false;
      if (crd) return false; // a CRD in the input without a scale subresource
      return undefined;
    },
    isWorkloadKind: (group, kind) => workloadKinds.has(gk(group, kind)),
    namespaces() {
      const set = new Set<string>();
      for (const o of objects) if (o.namespace !== undefined) set.add(o.namespace);
      return [...set].sort();
    },
  };
}

function selectorOf(owner: GraphObject, wk: WorkloadKind, templateLabels: Labels): WorkloadSelector | undefined {
  if (!wk.selector) return undefined;
  const root = owner.manifest.object;
  const raw = valueAt(root, wk.selector.path);
  const version = owner.apiVersion;
  const oldDefaulting = version === 'extensions/v1beta1' || version === 'apps/v1beta1';
  const path = wk.selector.path;
  if (wk.selector.type === 'map') {
    const empty = raw === undefined || raw === null || (isObject(raw) && Object.keys(raw).length === 0);
    // ReplicationController: an empty selector defaults to the template's labels.
    if (empty) return { path, raw, type: 'map', parsed: { ok: true, selector: selectorFromMap(templateLabels) }, defaulted: true };
    return { path, raw, type: 'map', parsed: parseSelectorMap(raw), defaulted: false };
  }
  if ((raw === undefined || raw === null) && oldDefaulting) return { path, raw, type: 'label', parsed: { ok: true, selector: selectorFromMap(templateLabels) }, defaulted: true };
  if ((raw === undefined || raw === null) && wk.selector.generated) return undefined; // generated by the Job controller (controller-uid)
  return { path, raw, type: 'label', parsed: parseLabelSelector(raw), defaulted: false };
}

function templateOf(owner: GraphObject, wk: WorkloadKind, selector: WorkloadSelector | undefined): PodTemplate | undefined {
  const root = owner.manifest.object;
  const tpl = wk.templatePath.length === 0 ? root : valueAt(root, wk.templatePath);
  if (!isObject(tpl)) return undefined;
  const meta = getObject(tpl, 'metadata');
  const t: PodTemplate = {
    owner,
    path: wk.templatePath,
    labels: labelsOf(meta?.labels),
    annotations: labelsOf(meta?.annotations),
    spec: getObject(tpl, 'spec'),
    specPath: [...wk.templatePath, 'spec'],
    runtimeLabels: new Set(wk.runtimeLabels),
    ...(selector ? { selector } : {}),
  };
  return t;
}

function readCrd(m: Manifest): CrdInfo | undefined {
  const apiVersion = getString(m.object, 'apiVersion');
  if (getString(m.object, 'kind') !== 'CustomResourceDefinition' || apiVersion === undefined || groupOf(apiVersion) !== 'apiextensions.k8s.io') return undefined;
  const spec = getObject(m.object, 'spec');
  const group = getString(spec, 'group');
  const kind = getString(getObject(spec, 'names'), 'kind');
  if (group === undefined || kind === undefined) return undefined;
  const scopeRaw = getString(spec, 'scope');
  const scope: Scope = scopeRaw === 'Cluster' ? 'cluster' : scopeRaw === 'Namespaced' ? 'namespaced' : 'unknown';
  const scalable = isObject(getObject(getObject(spec, 'subresources'), 'scale')) || (getArray(spec, 'versions') ?? []).some((v) => isObject(v) && isObject(getObject(getObject(v, 'subresources'), 'scale')));
  return { group, kind, scope, scalable, manifest: m };
}

/** "Deployment shop/web" for a graph node, using the effective namespace. */
export function describeNode(o: GraphObject): string {
  return `${o.kind} ${o.namespace !== undefined ? `${o.namespace}/` : ''}${o.name}`;
}

/** "deploy/web.yaml:12" — where a node starts. */
export function whereIs(o: GraphObject): string {
  return `${o.manifest.file}:${o.manifest.position.line}`;
}

/**
 * When the namespace was not written on the object, say where it came from; empty when it was written
 * (or the object is cluster-scoped). Messages append this so users see which namespace a check assumed.
 */
export function namespaceNote(o: GraphObject): string {
  switch (o.namespaceSource) {
    case 'default':
      return ` (namespace "${o.namespace ?? ''}" assumed: no metadata.namespace)`;
    case 'kustomization':
      return ` (namespace "${o.namespace ?? ''}" from ${o.namespaceOrigin ?? 'kustomization.yaml'})`;
    case 'file':
      return ` (namespace "${o.namespace ?? ''}" given for ${o.manifest.file})`;
    default:
      return '';
  }
}
