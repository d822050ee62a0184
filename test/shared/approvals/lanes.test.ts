import { describe, expect, it } from 'vitest';
import type { Policy } from '../../../shared/api/approvals';
import { defaultLanes, lanePreview, validateLanes } from '../../../shared/approvals/lanes';

const policy = (lanes: Policy['lanes'] = {}, redApprovals = 2): Policy => ({
  lanes: { ...defaultLanes, ...lanes },
  redApprovals,
  expiryDays: 7,
  auditRetentionDays: null,
});

describe('the lane preview the console shows before a request is raised', () => {
  it('takes the kind’s lane in the environment and the approvals that lane needs', () => {
    expect(lanePreview(policy(), 'api_key.create', 'test')).toEqual({ lane: 'green', requiredApprovals: 0 });
    expect(lanePreview(policy(), 'api_key.create', 'live')).toEqual({ lane: 'yellow', requiredApprovals: 1 });
    expect(lanePreview(policy({}, 3), 'evidence.delete', 'test')).toEqual({
      lane: 'red',
      requiredApprovals: 3,
    });
  });

  it('keeps policy.update red whatever the policy says, with the policy’s red count', () => {
    const loose = policy({ 'policy.update': { test: 'green', live: 'green' } }, 4);
    expect(lanePreview(loose, 'policy.update', 'test')).toEqual({ lane: 'red', requiredApprovals: 4 });
  });

  it('never puts live below test, and gives role changes the live lane wherever they are raised', () => {
    const odd = policy({ 'api_key.revoke': { test: 'red', live: 'green' } });
    expect(lanePreview(odd, 'api_key.revoke', 'live').lane).toBe('red');
    expect(lanePreview(policy(), 'member.role_change', 'test').lane).toBe('red');
  });

  it('puts custom kinds in the custom.* lane unless they have their own', () => {
    const own = policy({ 'custom.payment': { test: 'red', live: 'red' } });
    expect(lanePreview(own, 'custom.vendor', 'live')).toEqual({ lane: 'yellow', requiredApprovals: 1 });
    expect(lanePreview(own, 'custom.payment', 'test').lane).toBe('red');
  });

  it('refuses lanes a policy may not hold', () => {
    expect(validateLanes({ 'policy.update': { test: 'yellow', live: 'red' } }).ok).toBe(false);
    expect(validateLanes({ 'custom.x': { test: 'red', live: 'yellow' } }).ok).toBe(false);
    expect(validateLanes({ 'nonsense.kind': { test: 'red', live: 'red' } }).ok).toBe(false);
    expect(validateLanes({ 'custom.x': { test: 'yellow', live: 'red' } }).ok).toBe(true);
  });
});
