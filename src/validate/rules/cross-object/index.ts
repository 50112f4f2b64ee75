// Cross-object rules: checks that need more than one object, over the run's resource graph. All on by default.
import type { Rule } from '../rule.ts';
import { hygieneRules } from '../hygiene/index.ts';
import { configmapRefMissing } from './configmap-ref-missing.ts';
import { duplicateObject } from './duplicate-object.ts';
import { hpaMultiplePerTarget } from './hpa-multiple-per-target.ts';
import { hpaTargetMissing } from './hpa-target-missing.ts';
import { hpaTargetNotScalable } from './hpa-target-not-scalable.ts';
import { ingressBackendMissing } from './ingress-backend-missing.ts';
import { ingressTlsSecretMissing } from './ingress-tls-secret-missing.ts';
import { makeInvalidSuppression } from './invalid-suppression.ts';
import { jobSelectorWithoutManual } from './job-selector-without-manual.ts';
import { namespaceOnClusterScoped } from './namespace-on-cluster-scoped.ts';
import { networkpolicySelectsNothing } from './networkpolicy-selects-nothing.ts';
import { pdbOverlapping } from './pdb-overlapping.ts';
import { pdbSelectsNoPods } from './pdb-selects-no-pods.ts';
import { pvcMissing } from './pvc-missing.ts';
import { secretCommitted } from './secret-committed.ts';
import { secretRefMissing } from './secret-ref-missing.ts';
import { serviceSelectorNoMatch } from './service-selector-no-match.ts';
import { serviceTargetPortUnresolved } from './service-target-port-unresolved.ts';
import { serviceaccountMissing } from './serviceaccount-missing.ts';
import { statefulsetServiceInvalid } from './statefulset-service-invalid.ts';
import { volatileSelectorLabel } from './volatile-selector-label.ts';
import { workloadSelectorMismatch } from './workload-selector-mismatch.ts';
import { workloadSelectorsOverlap } from './workload-selectors-overlap.ts';

const invalidSuppression = makeInvalidSuppression(() => [...crossObjectRules, ...hygieneRules].map((r) => r.meta.id));

export const crossObjectRules: readonly Rule[] = [
  workloadSelectorMismatch,
  jobSelectorWithoutManual,
  serviceSelectorNoMatch,
  serviceTargetPortUnresolved,
  ingressBackendMissing,
  ingressTlsSecretMissing,
  hpaTargetMissing,
  hpaTargetNotScalable,
  hpaMultiplePerTarget,
  pdbSelectsNoPods,
  pdbOverlapping,
  networkpolicySelectsNothing,
  configmapRefMissing,
  secretRefMissing,
  serviceaccountMissing,
  pvcMissing,
  statefulsetServiceInvalid,
  volatileSelectorLabel,
  workloadSelectorsOverlap,
  namespaceOnClusterScoped,
  duplicateObject,
  secretCommitted,
  invalidSuppression,
];

export {
  configmapRefMissing,
  duplicateObject,
  hpaMultiplePerTarget,
  hpaTargetMissing,
  hpaTargetNotScalable,
  ingressBackendMissing,
  ingressTlsSecretMissing,
  invalidSuppression,
  jobSelectorWithoutManual,
  namespaceOnClusterScoped,
  networkpolicySelectsNothing,
  pdbOverlapping,
  pdbSelectsNoPods,
  pvcMissing,
  secretCommitted,
  secretRefMissing,
  serviceSelectorNoMatch,
  serviceTargetPortUnresolved,
  serviceaccountMissing,
  statefulsetServiceInvalid,
  volatileSelectorLabel,
  workloadSelectorMismatch,
  workloadSelectorsOverlap,
};
