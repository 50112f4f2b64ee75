// Opt-in hygiene rules (the kube-score / Polaris favourites). Off by default: enable them in .kubeplan.yaml `rules:`.
import type { Rule } from '../rule.ts';
import { hostNamespaces } from './host-namespaces.ts';
import { hostPathVolume } from './host-path-volume.ts';
import { imageTagMutable } from './image-tag-mutable.ts';
import { privilegeEscalationAllowed } from './privilege-escalation-allowed.ts';
import { privilegedContainer } from './privileged-container.ts';
import { probesMissing } from './probes-missing.ts';
import { resourcesUnset } from './resources-unset.ts';
import { rootFilesystemWritable } from './root-filesystem-writable.ts';
import { runAsRoot } from './run-as-root.ts';

export const hygieneRules: readonly Rule[] = [
  probesMissing,
  resourcesUnset,
  imageTagMutable,
  privilegedContainer,
  runAsRoot,
  hostPathVolume,
  hostNamespaces,
  privilegeEscalationAllowed,
  rootFilesystemWritable,
];

export { hostNamespaces, hostPathVolume, imageTagMutable, privilegeEscalationAllowed, privilegedContainer, probesMissing, resourcesUnset, rootFilesystemWritable, runAsRoot };
