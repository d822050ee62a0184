import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveBy, auditEntries, raise, signedIn } from '../../helpers/lifecycle';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
  // One approval for a hand-over here, so that the reviewer it is handed to need not approve it.
  await platform.setLanes('acme', { 'api_key.transfer': { test: 'yellow', live: 'yellow' } });
});
afterAll(() => platform.stop());

const DAY = 24 * 3600_000;

describe('a key handed to its reviewer after the snapshot', () => {
  it('is the reviewer’s own access: their decision on it is refused and on record', async () => {
    const officer = platform.user('acme', 'compliance_officer');
    const admin = platform.user('acme', 'admin');
    const owner = await signedIn(platform, 'acme', 'owner');
    const key = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
      token: owner.token,
      body: { name: 'export job', scopes: ['approvals:read'] },
    });
    expect(key.status, key.text).toBe(201);
    const started = await platform.call('POST', '/v1/orgs/acme/reviews', {
      token: (await platform.signIn(officer)).accessToken,
      body: {
        title: 'Keys review',
        covers: ['api_keys'],
        reviewers: [officer.userId, admin.userId],
        deadline: new Date(platform.clock.now() + 7 * DAY).toISOString(),
      },
    });
    expect(started.status, started.text).toBe(201);
    const items = await platform.call(
      'GET',
      `/v1/orgs/acme/review-items?reviewer=all&campaignId=${started.json.id}&limit=200`,
      { token: (await platform.signIn(officer)).accessToken },
    );
    const item = items.json.items.find((i: { subject: { id: string } }) => i.subject.id === key.json.key.id);
    expect(item.subject.personId).toBe(owner.user.userId);
    const reviewer = item.reviewerId === officer.userId ? officer : admin;
    const other = reviewer === officer ? 'admin' : 'compliance_officer';

    // After the snapshot, the key is handed over to its reviewer.
    const handOver = await raise(platform, 'acme', 'test', owner.token, 'api_key.transfer', {
      keyId: key.json.key.id,
      toUserId: reviewer.userId,
    });
    expect(handOver.status, handOver.text).toBe(201);
    const done = await approveBy(platform, 'acme', 'test', handOver.json, [other]);
    expect(done.json.status, done.text).toBe('executed');

    const decided = await platform.call(
      'POST',
      `/v1/orgs/acme/reviews/${started.json.id}/items/${item.id}/decision`,
      {
        token: (await platform.signIn(reviewer)).accessToken,
        body: { decision: 'keep', reason: 'Looks fine to me' },
      },
    );
    expect(decided.status, decided.text).toBe(403);
    expect(decided.json.error.message).toContain('own access');
    const refusals = await auditEntries(platform, 'acme', 'live', 'review.decide_refused');
    expect(refusals.some((e) => e.resource.id === item.id && e.actor.id === reviewer.userId)).toBe(true);
  });
});
