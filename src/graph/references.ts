// References from the repo to objects it does not define: the relations the cross-object rules could not
// settle from the repo alone ("unknown": the repo defines no object of that kind in the namespace, or a file
// failed to parse) or settled as missing. validate reports them; `kubeplan plan` resolves them against the
// live state (src/plan/references.ts). Plain data: produced in src/validate/rules/cross-object/references.ts.
import type { Selector } from '../selectors/index.ts';

/** The object that holds the reference (for a pod template: its workload), as the planner keys it. */
export interface ReferenceSource {
  group: string;
  kind: string;
  /** Effective namespace. */
  namespace: string;
  name: string;
}

export type ReferenceTarget =
  /** One named object in the referencing object's namespace (ConfigMap, Secret, ServiceAccount, PVC, Service). */
  | { type: 'object'; group: string; kind: string; namespace: string; name: string }
  /** The pods a selector must select (Service, PodDisruptionBudget, NetworkPolicy). */
  | { type: 'pods'; namespace: string; selector: Selector };

export interface Reference {
  /** The cross-object rule that checks this relation in the repo (`configmap-ref-missing`, …). */
  rule: string;
  from: ReferenceSource;
  target: ReferenceTarget;
  /** What is referenced and how, for messages: `ConfigMap "app-config" (envFrom of container "app")`. */
  what: string;
  /** What follows when the target is absent: `the container fails to start (CreateContainerConfigError)`. */
  consequence: string;
  /** What the repo alone says: the target may exist elsewhere (unknown), or the repo lacks it (missing, already reported). */
  outcome: 'unknown' | 'missing';
  /** Why an unknown relation could not be decided from the repo. */
  reason?: string;
}
