// The resource graph: one per run, over every loaded object (see graph.ts).
export {
  buildResourceGraph,
  describeNode,
  labelsOf,
  namespaceNote,
  whereIs,
  type CrdInfo,
  type GraphObject,
  type GraphOptions,
  type NamespaceSource,
  type PodTemplate,
  type ResourceGraph,
  type Scope,
  type WorkloadAdapter,
  type WorkloadSelector,
} from './graph.ts';
export { ALL_RUNTIME_LABELS, CONTROLLER_RUNTIME_LABELS, mayCreatePods } from './kinds.ts';
export { isKustomization, kustomizeNamespaceResolver, readKustomization, type GeneratedObject, type Kustomization } from './kustomize.ts';
export type { Reference, ReferenceSource, ReferenceTarget } from './references.ts';
