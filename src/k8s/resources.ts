// Resource names as pkg/apis/core/helper classifies them: which names containers, quotas and limit ranges
// accept, which resources may be overcommitted, and which must be integers.
import { isQualifiedName } from './validation.ts';

const STANDARD_CONTAINER = new Set(['cpu', 'memory', 'ephemeral-storage']);
const STANDARD = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'storage',
  'requests.storage',
  'services.nodeports',
  'services.loadbalancers',
]);
const STANDARD_QUOTA = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.storage',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'persistentvolumeclaims',
  'configmaps',
  'services.nodeports',
  'services.loadbalancers',
]);
const INTEGER = new Set(['pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers']);
const STANDARD_LIMIT_TYPES = new Set(['Pod', 'Container', 'PersistentVolumeClaim']);

export const isHugePageResourceName = (name: string): boolean => name.startsWith('hugepages-');
const isQuotaHugePageResourceName = (name: string): boolean => name.startsWith('hugepages-') || name.startsWith('requests.hugepages-');

/** Unprefixed names and names under kubernetes.io/ are native; everything else is extended or foreign. */
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/** A device-plugin style name such as nvidia.com/gpu. */
export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${name}`).length === 0;
}

/** Requests may be below limits; extended resources and hugepages must request exactly their limit. */
export function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !isHugePageResourceName(name);
}

/** Counted resources and extended resources hold whole numbers only. */
export function isIntegerResourceName(name: string): boolean {
  return INTEGER.has(name) || isExtendedResourceName(name);
}

export function isStandardResourceName(name: string): boolean {
  return STANDARD.has(name) || isQuotaHugePageResourceName(name);
}

export function isStandardContainerResourceName(name: string): boolean {
  return STANDARD_CONTAINER.has(name) || isHugePageResourceName(name);
}

export function isStandardQuotaResourceName(name: string): boolean {
  return STANDARD_QUOTA.has(name) || isQuotaHugePageResourceName(name);
}

export function isStandardLimitRangeType(name: string): boolean {
  return STANDARD_LIMIT_TYPES.has(name);
}

/** validateResourceName: a qualified name, and a standard one when it has no prefix. */
export function resourceNameErrors(name: string): string[] {
  const errs = isQualifiedName(name);
  if (errs.length > 0) return errs;
  if (!name.includes('/') && !isStandardResourceName(name)) return ['must be a standard resource type or fully qualified'];
  return [];
}

/** validateContainerResourceName: what may appear under a container's requests and limits. */
export function containerResourceNameErrors(name: string): string[] {
  const errs = resourceNameErrors(name);
  if (!name.includes('/')) {
    if (!isStandardContainerResourceName(name)) return [...errs, 'must be a standard resource for containers'];
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    return [...errs, "doesn't follow extended resource name standard"];
  }
  return errs;
}

/** ValidateResourceQuotaResourceName */
export function quotaResourceNameErrors(name: string): string[] {
  const errs = resourceNameErrors(name);
  if (!name.includes('/') && !isStandardQuotaResourceName(name)) return [...errs, 'must be a standard resource for quota'];
  return errs;
}
