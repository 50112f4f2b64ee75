// Removed and deprecated API versions.
//
// Three sources, merged by the generator into schemas/api-lifecycle.json:
// - "spec": comparing the specs of 1.29…1.36 (a group-version-kind missing from version N that N-1 had was removed in
//   N) and deprecation notes in the spec's own descriptions ("Deprecated: This API is deprecated in v1.33+").
// - "deprecation-guide": facts from https://kubernetes.io/docs/reference/using-api/deprecation-guide/ for API versions
//   removed before 1.29 (manifests in the wild still use them) and the ones in range.
// - "derived": a pre-release version (alpha/beta) is deprecated once a more mature version of the same kind is
//   served (e.g. networking.k8s.io/v1beta1 IPAddress once v1 exists in 1.33).

import type { SchemaBundle } from './types.ts';
import { gvKey } from './types.ts';

export interface ApiLifecycleEntry {
  apiVersion: string;
  kind: string;
  /** Versions of the supported range whose spec serves it. */
  servedIn?: string[];
  deprecatedIn?: string;
  removedIn?: string;
  /** apiVersion that replaces it (same kind unless replacementKind says otherwise). */
  replacement?: string;
  replacementKind?: string;
  /** What to do when there is no drop-in replacement. */
  note?: string;
  sources: string[];
}

export interface ApiLifecycleFile {
  format: number;
  kubernetesVersions: string[];
  apis: ApiLifecycleEntry[];
}

interface GuideFact {
  apiVersion: string;
  kinds: string[];
  removedIn: string;
  deprecatedIn?: string;
  replacement?: string;
  note?: string;
}

/** The Kubernetes deprecation guide, one line per removal. */
export const DEPRECATION_GUIDE: GuideFact[] = [
  { apiVersion: 'extensions/v1beta1', kinds: ['DaemonSet', 'Deployment', 'ReplicaSet'], removedIn: '1.16', deprecatedIn: '1.9', replacement: 'apps/v1' },
  { apiVersion: 'apps/v1beta1', kinds: ['Deployment', 'StatefulSet', 'ControllerRevision'], removedIn: '1.16', deprecatedIn: '1.9', replacement: 'apps/v1' },
  { apiVersion: 'apps/v1beta2', kinds: ['DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet', 'ControllerRevision'], removedIn: '1.16', deprecatedIn: '1.9', replacement: 'apps/v1' },
  { apiVersion: 'extensions/v1beta1', kinds: ['NetworkPolicy'], removedIn: '1.16', deprecatedIn: '1.9', replacement: 'networking.k8s.io/v1' },
  { apiVersion: 'extensions/v1beta1', kinds: ['PodSecurityPolicy'], removedIn: '1.16', deprecatedIn: '1.11', replacement: 'policy/v1beta1' },
  { apiVersion: 'admissionregistration.k8s.io/v1beta1', kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'], removedIn: '1.22', deprecatedIn: '1.16', replacement: 'admissionregistration.k8s.io/v1' },
  { apiVersion: 'apiextensions.k8s.io/v1beta1', kinds: ['CustomResourceDefinition'], removedIn: '1.22', deprecatedIn: '1.16', replacement: 'apiextensions.k8s.io/v1' },
  { apiVersion: 'apiregistration.k8s.io/v1beta1', kinds: ['APIService'], removedIn: '1.22', deprecatedIn: '1.19', replacement: 'apiregistration.k8s.io/v1' },
  { apiVersion: 'authentication.k8s.io/v1beta1', kinds: ['TokenReview'], removedIn: '1.22', deprecatedIn: '1.19', replacement: 'authentication.k8s.io/v1' },
  {
    apiVersion: 'authorization.k8s.io/v1beta1',
    kinds: ['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SubjectAccessReview', 'SelfSubjectRulesReview'],
    removedIn: '1.22',
    deprecatedIn: '1.19',
    replacement: 'authorization.k8s.io/v1',
  },
  { apiVersion: 'certificates.k8s.io/v1beta1', kinds: ['CertificateSigningRequest'], removedIn: '1.22', deprecatedIn: '1.19', replacement: 'certificates.k8s.io/v1' },
  { apiVersion: 'coordination.k8s.io/v1beta1', kinds: ['Lease'], removedIn: '1.22', deprecatedIn: '1.19', replacement: 'coordination.k8s.io/v1' },
  { apiVersion: 'extensions/v1beta1', kinds: ['Ingress'], removedIn: '1.22', deprecatedIn: '1.14', replacement: 'networking.k8s.io/v1' },
  { apiVersion: 'networking.k8s.io/v1beta1', kinds: ['Ingress', 'IngressClass'], removedIn: '1.22', deprecatedIn: '1.19', replacement: 'networking.k8s.io/v1' },
  { apiVersion: 'rbac.authorization.k8s.io/v1beta1', kinds: ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'], removedIn: '1.22', deprecatedIn: '1.17', replacement: 'rbac.authorization.k8s.io/v1' },
  { apiVersion: 'scheduling.k8s.io/v1beta1', kinds: ['PriorityClass'], removedIn: '1.22', deprecatedIn: '1.14', replacement: 'scheduling.k8s.io/v1' },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'], removedIn: '1.22', deprecatedIn: '1.19', replacement: 'storage.k8s.io/v1' },
  { apiVersion: 'batch/v1beta1', kinds: ['CronJob'], removedIn: '1.25', deprecatedIn: '1.21', replacement: 'batch/v1' },
  { apiVersion: 'discovery.k8s.io/v1beta1', kinds: ['EndpointSlice'], removedIn: '1.25', deprecatedIn: '1.21', replacement: 'discovery.k8s.io/v1' },
  { apiVersion: 'events.k8s.io/v1beta1', kinds: ['Event'], removedIn: '1.25', deprecatedIn: '1.19', replacement: 'events.k8s.io/v1' },
  { apiVersion: 'autoscaling/v2beta1', kinds: ['HorizontalPodAutoscaler'], removedIn: '1.25', deprecatedIn: '1.22', replacement: 'autoscaling/v2' },
  { apiVersion: 'policy/v1beta1', kinds: ['PodDisruptionBudget'], removedIn: '1.25', deprecatedIn: '1.21', replacement: 'policy/v1' },
  {
    apiVersion: 'policy/v1beta1',
    kinds: ['PodSecurityPolicy'],
    removedIn: '1.25',
    deprecatedIn: '1.21',
    note: 'PodSecurityPolicy has no replacement API; use Pod Security Admission (pod-security.kubernetes.io/* namespace labels) or a policy engine',
  },
  { apiVersion: 'node.k8s.io/v1beta1', kinds: ['RuntimeClass'], removedIn: '1.25', deprecatedIn: '1.20', replacement: 'node.k8s.io/v1' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1', kinds: ['FlowSchema', 'PriorityLevelConfiguration'], removedIn: '1.26', deprecatedIn: '1.23', replacement: 'flowcontrol.apiserver.k8s.io/v1' },
  { apiVersion: 'autoscaling/v2beta2', kinds: ['HorizontalPodAutoscaler'], removedIn: '1.26', deprecatedIn: '1.23', replacement: 'autoscaling/v2' },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIStorageCapacity'], removedIn: '1.27', deprecatedIn: '1.24', replacement: 'storage.k8s.io/v1' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', kinds: ['FlowSchema', 'PriorityLevelConfiguration'], removedIn: '1.29', deprecatedIn: '1.26', replacement: 'flowcontrol.apiserver.k8s.io/v1' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kinds: ['FlowSchema', 'PriorityLevelConfiguration'], removedIn: '1.32', deprecatedIn: '1.29', replacement: 'flowcontrol.apiserver.k8s.io/v1' },
];

/** Deprecations that are announced in prose, not in the spec's structure. */
export const GUIDE_DEPRECATIONS: { apiVersion: string; kind: string; deprecatedIn: string; replacement?: string; replacementKind?: string; note?: string }[] = [
  { apiVersion: 'v1', kind: 'Endpoints', deprecatedIn: '1.33', replacement: 'discovery.k8s.io/v1', replacementKind: 'EndpointSlice', note: 'Endpoints keeps working; new code should use EndpointSlice' },
  { apiVersion: 'v1', kind: 'ComponentStatus', deprecatedIn: '1.19', note: 'use the API server /livez and /readyz endpoints or the component metrics instead' },
];

export const compareVersions = (a: string, b: string): number => {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
};

/** v1 > v1beta2 > v1beta1 > v1alpha1 (Kubernetes' version priority). */
export function apiVersionMaturity(version: string): number {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(version);
  if (!m) return -1;
  const major = Number(m[1]);
  const stage = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
  return major * 10000 + stage * 1000 + Number(m[3] ?? 0);
}

const isPrerelease = (version: string): boolean => /alpha|beta/.test(version);
const splitApiVersion = (apiVersion: string): { group: string; version: string } => {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
};

/** Deprecation notes in descriptions: "Deprecated: This API is deprecated in v1.33+", "Deprecated in 1.7, please use…". */
export function deprecationFromDescription(description: string | undefined): string | undefined {
  if (!description) return undefined;
  const m = /deprecated in v?(1\.\d+)\+?/i.exec(description);
  return m?.[1];
}

/**
 * Build the lifecycle table from the per-version bundles (sorted ascending) and the spec's own deprecation notes
 * (`specDeprecations`: "apiVersion Kind" → version from the description of the kind's definition).
 */
export function buildLifecycle(bundles: ReadonlyMap<string, SchemaBundle>, specDeprecations: ReadonlyMap<string, string>): ApiLifecycleFile {
  const versions = [...bundles.keys()].sort(compareVersions);
  const entries = new Map<string, ApiLifecycleEntry>();
  const entry = (apiVersion: string, kind: string): ApiLifecycleEntry => {
    const key = `${apiVersion} ${kind}`;
    let e = entries.get(key);
    if (!e) {
      e = { apiVersion, kind, sources: [] };
      entries.set(key, e);
    }
    return e;
  };
  const addSource = (e: ApiLifecycleEntry, s: string): void => {
    if (!e.sources.includes(s)) e.sources.push(s);
  };
  const served = new Map<string, string[]>();
  const byGroupKind = new Map<string, Map<string, string[]>>(); // "group Kind" → version → [k8s versions]
  for (const v of versions) {
    for (const k of bundles.get(v)?.kinds ?? []) {
      const key = `${gvKey(k.group, k.version)} ${k.kind}`;
      served.set(key, [...(served.get(key) ?? []), v]);
      const gk = `${k.group} ${k.kind}`;
      const m = byGroupKind.get(gk) ?? new Map<string, string[]>();
      m.set(k.version, [...(m.get(k.version) ?? []), v]);
      byGroupKind.set(gk, m);
    }
  }
  // Removals and additions seen in the specs.
  for (const [key, vs] of served) {
    const [apiVersion = '', kind = ''] = key.split(' ');
    const last = vs[vs.length - 1] as string;
    const lastIdx = versions.indexOf(last);
    const gone = lastIdx < versions.length - 1;
    const partial = vs.length < versions.length;
    if (!gone && !partial && !specDeprecations.has(key)) continue;
    const e = entry(apiVersion, kind);
    e.servedIn = vs;
    if (gone) {
      e.removedIn = versions[lastIdx + 1];
      addSource(e, 'spec');
    }
  }
  for (const [key, v] of specDeprecations) {
    const [apiVersion = '', kind = ''] = key.split(' ');
    const e = entry(apiVersion, kind);
    e.deprecatedIn = v;
    addSource(e, 'spec');
  }
  // Pre-release versions superseded by a more mature version of the same kind.
  for (const [gk, byVersion] of byGroupKind) {
    const [group = '', kind = ''] = gk.split(' ');
    for (const [version, vs] of byVersion) {
      if (!isPrerelease(version)) continue;
      let since: string | undefined;
      let by: string | undefined;
      for (const [other, ovs] of byVersion) {
        if (apiVersionMaturity(other) <= apiVersionMaturity(version)) continue;
        const first = vs.find((v) => ovs.includes(v));
        if (first !== undefined && (since === undefined || compareVersions(first, since) < 0 || (first === since && apiVersionMaturity(other) > apiVersionMaturity(by ?? '')))) {
          since = first;
          by = other;
        }
      }
      if (since === undefined || by === undefined) continue;
      const e = entry(gvKey(group, version), kind);
      if (e.deprecatedIn === undefined) {
        e.deprecatedIn = since;
        addSource(e, 'derived');
      }
    }
  }
  for (const fact of DEPRECATION_GUIDE) {
    for (const kind of fact.kinds) {
      const e = entry(fact.apiVersion, kind);
      if (e.removedIn === undefined) e.removedIn = fact.removedIn;
      if (fact.deprecatedIn !== undefined && (e.deprecatedIn === undefined || compareVersions(fact.deprecatedIn, e.deprecatedIn) < 0)) e.deprecatedIn = fact.deprecatedIn;
      if (fact.replacement !== undefined) e.replacement = fact.replacement;
      if (fact.note !== undefined) e.note = fact.note;
      addSource(e, 'deprecation-guide');
    }
  }
  for (const d of GUIDE_DEPRECATIONS) {
    const e = entry(d.apiVersion, d.kind);
    e.deprecatedIn = d.deprecatedIn;
    if (d.replacement !== undefined) e.replacement = d.replacement;
    if (d.replacementKind !== undefined) e.replacementKind = d.replacementKind;
    if (d.note !== undefined) e.note = d.note;
    addSource(e, 'deprecation-guide');
  }
  // Replacement for spec-derived entries: the most mature version of the same group and kind in the newest spec.
  const newest = bundles.get(versions[versions.length - 1] as string);
  for (const e of entries.values()) {
    if (e.replacement !== undefined || e.note !== undefined) continue;
    if (e.removedIn === undefined && e.deprecatedIn === undefined) continue;
    const { group, version } = splitApiVersion(e.apiVersion);
    const best = (newest?.kinds ?? [])
      .filter((k) => k.group === group && k.kind === e.kind && k.version !== version)
      .sort((a, b) => apiVersionMaturity(b.version) - apiVersionMaturity(a.version))[0];
    if (best && apiVersionMaturity(best.version) > apiVersionMaturity(version)) e.replacement = gvKey(best.group, best.version);
  }
  for (const e of entries.values()) e.sources.sort();
  const apis = [...entries.values()]
    .filter((e) => e.removedIn !== undefined || e.deprecatedIn !== undefined || (e.servedIn !== undefined && e.servedIn.length < versions.length))
    .sort((a, b) => (a.apiVersion < b.apiVersion ? -1 : a.apiVersion > b.apiVersion ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  return { format: 1, kubernetesVersions: versions, apis };
}

export interface LifecycleVerdict {
  status: 'removed' | 'deprecated' | 'not-yet';
  entry: ApiLifecycleEntry;
}

/** What the lifecycle table says about an apiVersion/kind at a target version (undefined: nothing to say). */
export function lifecycleOf(table: ApiLifecycleFile, apiVersion: string, kind: string, target: string, servedInTarget: boolean): LifecycleVerdict | undefined {
  const e = table.apis.find((a) => a.apiVersion === apiVersion && a.kind === kind);
  if (!e) return undefined;
  if (!servedInTarget) {
    if (e.removedIn !== undefined && compareVersions(e.removedIn, target) <= 0) return { status: 'removed', entry: e };
    if (e.servedIn !== undefined && e.servedIn.length > 0) return { status: 'not-yet', entry: e };
    return undefined;
  }
  if (e.deprecatedIn !== undefined && compareVersions(e.deprecatedIn, target) <= 0) return { status: 'deprecated', entry: e };
  return undefined;
}
