import { describe, expect, it } from 'vitest';
import {
  changeOf,
  checkDraft,
  DEFAULT_POLICY_TITLE,
  diffOf,
  draftDiff,
  draftOf,
} from '../../../renderer/stores/policy-draft';
import type { Policy } from '../../../shared/api/approvals';
import { defaultLanes } from '../../../shared/approvals/lanes';

// The draft's pure parts: the payload holds only what changes, the diff says it row by row, and what the
// platform would refuse is named field by field.
const policy: Policy = {
  lanes: { ...defaultLanes },
  redApprovals: 2,
  expiryDays: 7,
  auditRetentionDays: null,
};
const draft = { ...draftOf(policy), summary: 'Why' };

describe('policy draft', () => {
  it('starts as the policy in force, with a title, changing nothing', () => {
    expect(draftOf(policy)).toMatchObject({
      redApprovals: '2',
      expiryDays: '7',
      title: DEFAULT_POLICY_TITLE,
    });
    expect(changeOf(policy, draft)).toEqual({});
    expect(draftDiff(policy, draft)).toEqual([]);
  });

  it('sends only what differs, and diffs it row by row', () => {
    const edited = {
      ...draft,
      redApprovals: ' 3 ',
      lanes: { ...draft.lanes, 'api_key.create': { test: 'yellow', live: 'yellow' } as const },
      webhook: { action: 'remove', environment: 'test', url: 'typed before' } as const,
    };
    const change = changeOf(policy, edited);
    expect(change).toEqual({
      lanes: { 'api_key.create': { test: 'yellow', live: 'yellow' } },
      redApprovals: 3,
      webhook: { environment: 'test', url: null },
    });
    expect(diffOf(policy, change)).toEqual([
      { what: 'lane', kind: 'api_key.create', environment: 'test', before: 'green', after: 'yellow' },
      { what: 'redApprovals', before: 2, after: 3 },
      { what: 'webhook', environment: 'test', after: null },
    ]);
    expect(checkDraft(policy, edited)).toEqual([]);
  });

  it('names what is not a number, and the limits, without losing the text', () => {
    const typed = { ...draft, redApprovals: '2.5', expiryDays: '120' };
    expect(checkDraft(policy, typed)).toEqual([
      { field: 'redApprovals', message: 'Enter a whole number of approvals.' },
      { field: 'expiryDays', message: 'Requests expire after 1 to 90 days.', rule: true },
    ]);
    expect(draftDiff(policy, typed)).toEqual([{ what: 'expiryDays', before: 7, after: 120 }]);
    expect(checkDraft(policy, { ...draft, redApprovals: '11' })).toEqual([
      { field: 'redApprovals', message: 'The red lane asks for at most 10 approvals.', rule: true },
    ]);
  });

  it('refuses a webhook target that is not an address, and a policy.update out of red', () => {
    const webhook = { action: 'set', environment: 'live', url: 'hooks.example.com' } as const;
    expect(checkDraft(policy, { ...draft, webhook }).map((p) => p.field)).toEqual(['webhook']);
    const lanes = { ...draft.lanes, 'policy.update': { test: 'yellow', live: 'red' } as const };
    expect(checkDraft(policy, { ...draft, lanes })).toEqual([
      {
        field: 'lanes',
        kind: 'policy.update',
        message: 'policy.update is always red in both environments.',
        rule: true,
      },
    ]);
  });
});
