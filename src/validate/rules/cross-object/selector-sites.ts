// Every place a label selector appears in the input, for validation.
import { getArray, getObject, isObject } from '../../../core/objects.ts';
import type { JsonPath, JsonValue } from '../../../core/types.ts';
import type { GraphObject, ResourceGraph } from '../../../graph/index.ts';
import { getAt } from '../../../graph/index.ts';

export interface SelectorSite {
  node: GraphObject;
  path: JsonPath;
  raw: JsonValue | undefined;
  type: 'label' | 'map';
  /** "spec.selector", "pod anti-affinity term" — for messages. */
  what: string;
}

export function* selectorSites(graph: ResourceGraph): Generator<SelectorSite> {
  for (const node of graph.objects) {
    const obj = node.manifest.object;
    const at = (path: JsonPath, type: 'label' | 'map', what: string): SelectorSite | undefined => {
      const raw = getAt(obj, path);
      return raw === undefined || raw === null ? undefined : { node, path, raw, type, what };
    };
    const sites: (SelectorSite | undefined)[] = [];
    if (node.group === '' && node.kind === 'Service') sites.push(at(['spec', 'selector'], 'map', 'spec.selector'));
    if (node.group === 'policy' && node.kind === 'PodDisruptionBudget') sites.push(at(['spec', 'selector'], 'label', 'spec.selector'));
    if (node.group === 'networking.k8s.io' && node.kind === 'NetworkPolicy') {
      sites.push(at(['spec', 'podSelector'], 'label', 'spec.podSelector'));
      for (const dir of ['ingress', 'egress'] as const) {
        const peersKey = dir === 'ingress' ? 'from' : 'to';
        (getArray(getObject(obj, 'spec'), dir) ?? []).forEach((rule, i) => {
          if (!isObject(rule)) return;
          (getArray(rule, peersKey) ?? []).forEach((_peer, j) => {
            for (const s of ['podSelector', 'namespaceSelector']) sites.push(at(['spec', dir, i, peersKey, j, s], 'label', `${dir} peer ${s}`));
          });
        });
      }
    }
    const ws = graph.workloadSelector(node);
    if (ws && !ws.defaulted) sites.push({ node, path: ws.path, raw: ws.raw, type: ws.type, what: 'workload selector' });
    for (const t of graph.podTemplatesOf(node)) {
      const spec = t.spec;
      if (!spec) continue;
      const affinity = getObject(spec, 'affinity');
      for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
        const a = getObject(affinity, kind);
        const base = [...t.specPath, 'affinity', kind];
        (getArray(a, 'requiredDuringSchedulingIgnoredDuringExecution') ?? []).forEach((_term, i) => {
          for (const s of ['labelSelector', 'namespaceSelector']) sites.push(at([...base, 'requiredDuringSchedulingIgnoredDuringExecution', i, s], 'label', `${kind} term ${s}`));
        });
        (getArray(a, 'preferredDuringSchedulingIgnoredDuringExecution') ?? []).forEach((_term, i) => {
          for (const s of ['labelSelector', 'namespaceSelector']) sites.push(at([...base, 'preferredDuringSchedulingIgnoredDuringExecution', i, 'podAffinityTerm', s], 'label', `${kind} term ${s}`));
        });
      }
      (getArray(spec, 'topologySpreadConstraints') ?? []).forEach((_c, i) => {
        sites.push(at([...t.specPath, 'topologySpreadConstraints', i, 'labelSelector'], 'label', 'topologySpreadConstraints labelSelector'));
      });
    }
    for (const s of sites) if (s) yield s;
  }
}
