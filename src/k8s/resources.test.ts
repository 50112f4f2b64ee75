import { describe, expect, it } from 'vitest';
import { containerResourceNameErrors, isExtendedResourceName, isIntegerResourceName, isNativeResource, isOvercommitAllowed, quotaResourceNameErrors } from './resources.ts';

describe('resource name classes (pkg/apis/core/helper)', () => {
  it.each([
    // name, native, extended, overcommit, integer
    ['cpu', true, false, true, false],
    ['hugepages-2Mi', true, false, false, false],
    ['kubernetes.io/something', true, false, true, false],
    ['nvidia.com/gpu', false, true, false, true],
    ['requests.example.com/x', false, false, false, false],
    ['count/deployments.apps', false, true, false, true],
    ['pods', true, false, true, true],
  ] as const)('%s', (name, native, extended, overcommit, integer) => {
    expect([isNativeResource(name), isExtendedResourceName(name), isOvercommitAllowed(name), isIntegerResourceName(name)]).toEqual([native, extended, overcommit, integer]);
  });

  it('container and quota names', () => {
    expect(containerResourceNameErrors('memory')).toEqual([]);
    expect(containerResourceNameErrors('hugepages-1Gi')).toEqual([]);
    expect(containerResourceNameErrors('storage')).toEqual(['must be a standard resource for containers']);
    expect(containerResourceNameErrors('cpus')).toEqual(['must be a standard resource type or fully qualified', 'must be a standard resource for containers']);
    expect(quotaResourceNameErrors('requests.storage')).toEqual([]);
    expect(quotaResourceNameErrors('storage')).toEqual(['must be a standard resource for quota']);
  });
});
