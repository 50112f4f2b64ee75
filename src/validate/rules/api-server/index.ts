// The rules the API server enforces in Go but the published OpenAPI schemas do not express: names, label
// syntax, ports, quantities, container and volume references, enums, and per-kind spec constraints.
// Each rule's help is its docs/rules/<id>.md (a test keeps the two identical).
import type { Rule } from '../rule.ts';
import { annotationSyntax } from './annotation-syntax.ts';
import { configData } from './config-data.ts';
import { containerImage } from './container-image.ts';
import { containerName } from './container-name.ts';
import { envVar } from './env-var.ts';
import { hpaSpec } from './hpa-spec.ts';
import { ingressSpec } from './ingress-spec.ts';
import { jobSpec } from './job-spec.ts';
import { enumValue } from './enum-value.ts';
import { labelSyntax } from './label-syntax.ts';
import { objectName } from './object-name.ts';
import { pdbSpec } from './pdb-spec.ts';
import { portName } from './port-name.ts';
import { portRange } from './port-range.ts';
import { probe } from './probe.ts';
import { protocol } from './protocol.ts';
import { quantity } from './quantity.ts';
import { rbac } from './rbac.ts';
import { resourceRequirements } from './resource-requirements.ts';
import { serviceSpec } from './service-spec.ts';
import { volumeMount } from './volume-mount.ts';
import { volumeName } from './volume-name.ts';
import { workloadSpec } from './workload-spec.ts';

export const apiServerRules: Rule[] = [
  objectName,
  labelSyntax,
  annotationSyntax,
  portRange,
  portName,
  protocol,
  quantity,
  resourceRequirements,
  containerImage,
  containerName,
  envVar,
  volumeName,
  volumeMount,
  enumValue,
  serviceSpec,
  workloadSpec,
  jobSpec,
  probe,
  rbac,
  configData,
  hpaSpec,
  ingressSpec,
  pdbSpec,
];
