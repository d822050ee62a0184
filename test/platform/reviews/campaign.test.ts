import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { approveBy, auditEntries, raise, signedIn } from '../../helpers/lifecycle';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
});
afterAll(() => platform.stop());

const DAY = 24 * 3600_000;

interface Item {
  id: string;
  campaignId: string;
  subject: { type: string; id: string; personId: string; environment: string | null; name: string };
  snapshot: {
    role: string | null;
    scopes: string[] | null;
    lastUsedAt: string | null;
    unused90Days: boolean;
  };
  changedSinceSnapshot: boolean;
  reviewerId: string;
  decision: string | null;
  request: { id: string; environment: string; status: string } | null;
}

const token = async (role: 'owner' | 'admin' | 'compliance_officer' | 'member' | 'auditor') =>
  (await platform.signIn(platform.user('acme', role))).accessToken;

async function startCampaign(body: Record<string, unknown>) {
  return platform.call('POST', '/v1/orgs/acme/reviews', { token: await token('compliance_officer'), body });
}

async function itemsOf(
  campaignId: string,
  role: 'admin' | 'compliance_officer' | 'auditor',
  reviewer = 'all',
) {
  const reply = await platform.call(
    'GET',
    `/v1/orgs/acme/review-items?reviewer=${reviewer}&campaignId=${campaignId}&limit=200`,
    { token: await token(role) },
  );
  expect(reply.status, reply.text).toBe(200);
  return reply.json.items as Item[];
}

async function decideItem(
  role: 'admin' | 'compliance_officer',
  item: Item,
  body: { decision: string; reason: string; role?: string },
) {
  return platform.call('POST', `/v1/orgs/acme/reviews/${item.campaignId}/items/${item.id}/decision`, {
    token: await token(role),
    body,
  });
}

async function download(evidenceId: string): Promise<Buffer> {
  const owner = await token('owner');
  const url = await platform.call('POST', `/v1/orgs/acme/envs/live/evidence/${evidenceId}/url`, {
    token: owner,
  });
  expect(url.status, url.text).toBe(200);
  const target = new URL(url.json.url, platform.url);
  const response = await fetch(`${platform.url}${target.pathname}${target.search}`, {
    headers: { authorization: `Bearer ${owner}` },
  });
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

describe('an access review campaign, from start to evidence pack', () => {
  it('snapshots the grants, assigns no one their own, takes decisions with their requests, and writes a hashed, immutable pack', async () => {
    const officer = platform.user('acme', 'compliance_officer');
    const admin = platform.user('acme', 'admin');
    // A live key nobody has used, and one the admin made (the admin's own grant).
    const ownerToken = await token('owner');
    const stale = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
      token: ownerToken,
      body: { name: 'stale export', scopes: ['approvals:read'] },
    });
    expect(stale.status, stale.text).toBe(201);
    const adminsKey = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
      token: await token('admin'),
      body: { name: 'admin tooling', scopes: ['orgs:read'] },
    });
    expect(adminsKey.status).toBe(201);
    // The stale key's last use is long ago: it is used once, then 100 days pass.
    expect((await platform.call('GET', '/v1/orgs/acme', { token: adminsKey.json.secret })).status).toBe(200);
    platform.clock.advance(100 * DAY);
    expect((await platform.call('GET', '/v1/orgs/acme', { token: adminsKey.json.secret })).status).toBe(200);

    const deadline = new Date(platform.clock.now() + 7 * DAY).toISOString();
    const started = await startCampaign({
      title: 'Q4 access review',
      covers: ['members', 'api_keys'],
      reviewers: [officer.userId, admin.userId],
      deadline,
    });
    expect(started.status, started.text).toBe(201);
    const campaign = started.json;
    expect(campaign).toMatchObject({ status: 'open', reviewers: [officer.userId, admin.userId] });

    const items = await itemsOf(campaign.id, 'compliance_officer');
    expect(items.length).toBe(campaign.progress.total);
    expect(items.filter((i) => i.subject.type === 'member').length).toBe(6);
    // No one is assigned their own access.
    expect(items.filter((i) => i.subject.personId === i.reviewerId)).toEqual([]);
    // Both reviewers have work.
    expect(new Set(items.map((i) => i.reviewerId))).toEqual(new Set([officer.userId, admin.userId]));
    const staleItem = items.find((i) => i.subject.id === stale.json.key.id) as Item;
    expect(staleItem.snapshot).toMatchObject({
      lastUsedAt: null,
      unused90Days: true,
      scopes: ['approvals:read'],
    });
    const usedKey = items.find((i) => i.subject.id === adminsKey.json.key.id) as Item;
    expect(usedKey.snapshot.lastUsedAt).not.toBeNull();
    expect(usedKey.snapshot.unused90Days).toBe(false);
    expect(usedKey.reviewerId).toBe(officer.userId);
    const started2 = await auditEntries(platform, 'acme', 'test', 'review.start');
    expect(started2[0].change.after).toMatchObject({ items: items.length });
    expect(started2[0].change.after.snapshotSha256).toMatch(/^[0-9a-f]{64}$/);

    // A reviewer who tries to review themselves is refused, and the attempt is on record.
    const officersOwn = items.find(
      (i) => i.subject.type === 'member' && i.subject.id === officer.userId,
    ) as Item;
    expect(officersOwn.reviewerId).toBe(admin.userId);
    const self = await decideItem('compliance_officer', officersOwn, {
      decision: 'keep',
      reason: 'I am fine',
    });
    expect(self.status).toBe(403);
    expect(self.json.error.message).toContain('own access');
    const refusals = await auditEntries(platform, 'acme', 'live', 'review.decide_refused');
    expect(refusals[0]).toMatchObject({ resource: { id: officersOwn.id }, outcome: 'failure' });
    // Another reviewer's item is refused too.
    const notMine = items.find((i) => i.reviewerId === admin.userId && i.id !== officersOwn.id) as Item;
    expect((await decideItem('compliance_officer', notMine, { decision: 'keep', reason: 'x' })).status).toBe(
      403,
    );

    // Revoking the stale key raises an ordinary api_key.revoke in the key's environment, linked to the item.
    const revoke = await decideItem(
      staleItem.reviewerId === officer.userId ? 'compliance_officer' : 'admin',
      staleItem,
      {
        decision: 'revoke',
        reason: 'Unused for over 90 days',
      },
    );
    expect(revoke.status, revoke.text).toBe(200);
    expect(revoke.json.decision).toBe('revoke');
    expect(revoke.json.request).toMatchObject({ environment: 'test' });
    const request = await platform.call(
      'GET',
      `/v1/orgs/acme/envs/test/approvals/${revoke.json.request.id}`,
      {
        token: await token('owner'),
      },
    );
    expect(request.status, request.text).toBe(200);
    expect(request.json.kind).toBe('api_key.revoke');
    expect(request.json.payload).toEqual({ keyId: stale.json.key.id });
    // Test keys' revocation is green by default: carried out at once; the key stops working.
    expect(request.json.status).toBe('executed');
    const keys = await platform.call('GET', `/v1/orgs/acme/envs/test/api-keys/${stale.json.key.id}`, {
      token: await token('owner'),
    });
    expect(keys.json.status).toBe('revoked');
    const decidedEntries = await auditEntries(platform, 'acme', 'live', 'review.decide');
    expect(decidedEntries[0].change.after).toMatchObject({
      decision: 'revoke',
      request: { id: revoke.json.request.id, environment: 'test' },
    });
    const requestEntries = await auditEntries(platform, 'acme', 'test', 'approval.request');
    expect(
      requestEntries.find((e) => e.resource.id === revoke.json.request.id)?.change.after.reviewItem,
    ).toEqual({
      campaignId: campaign.id,
      itemId: staleItem.id,
    });

    // A change lowers access and goes through member.role_change's lane.
    const memberItem = officersOwn;
    const reviewerOfMember = 'admin' as const;
    const raising = await decideItem(reviewerOfMember, memberItem, {
      decision: 'change',
      reason: 'Only reads now',
      role: 'admin',
    });
    expect(raising.status).toBe(400);
    const change = await decideItem(reviewerOfMember, memberItem, {
      decision: 'change',
      reason: 'Only raises requests now',
      role: 'member',
    });
    expect(change.status, change.text).toBe(200);
    expect(change.json.request.status).toBe('pending');
    // A decision is final.
    expect(
      (await decideItem(reviewerOfMember, memberItem, { decision: 'keep', reason: 'again' })).status,
    ).toBe(409);

    // A grant changed outside the campaign since its snapshot is marked.
    const auditorItem = items.find(
      (i) => i.subject.type === 'member' && i.subject.id === platform.user('acme', 'auditor').userId,
    ) as Item;
    expect(auditorItem.changedSinceSnapshot).toBe(false);
    const owner = await signedIn(platform, 'acme', 'owner');
    const demote = await raise(platform, 'acme', 'live', owner.token, 'member.role_change', {
      userId: platform.user('acme', 'auditor').userId,
      role: 'viewer',
    });
    await approveBy(platform, 'acme', 'live', demote.json, ['admin', 'compliance_officer']);
    const marked = await itemsOf(campaign.id, 'admin');
    expect(marked.find((i) => i.id === auditorItem.id)?.changedSinceSnapshot).toBe(true);
    expect(marked.find((i) => i.id === staleItem.id)?.changedSinceSnapshot).toBe(true);
    const progress = await platform.call('GET', `/v1/orgs/acme/reviews/${campaign.id}`, {
      token: await token('admin'),
    });
    expect(progress.json.progress.changedSinceSnapshot).toBeGreaterThanOrEqual(2);
    expect(progress.json.progress.byReviewer.map((r: { reviewerId: string }) => r.reviewerId).sort()).toEqual(
      [officer.userId, admin.userId].sort(),
    );

    // Everyone keeps the rest; the last decision closes the campaign and writes the pack.
    for (const item of marked.filter((i) => i.decision === null)) {
      const reply = await decideItem(
        item.reviewerId === officer.userId ? 'compliance_officer' : 'admin',
        item,
        {
          decision: 'keep',
          reason: 'Still needed',
        },
      );
      expect(reply.status, reply.text).toBe(200);
    }
    const closed = await platform.call('GET', `/v1/orgs/acme/reviews/${campaign.id}`, {
      token: await token('auditor'),
    });
    expect(closed.json).toMatchObject({ status: 'closed', closeReason: 'completed' });
    const pack = await platform.call('GET', `/v1/orgs/acme/reviews/${campaign.id}/pack`, {
      token: await token('auditor'),
    });
    expect(pack.json.pack.environment).toBe('live');
    const files = pack.json.pack.files as { id: string; name: string; sha256: string }[];
    expect(files.map((f) => f.name).sort()).toEqual([
      `access-review-${campaign.id}.csv`,
      `access-review-${campaign.id}.json`,
    ]);

    const closeEntries = await auditEntries(platform, 'acme', 'live', 'review.close');
    const closeEntry = closeEntries.find((e) => e.resource.id === campaign.id);
    expect(closeEntry.change.after.undecided).toEqual([]);
    for (const file of files) {
      const bytes = await download(file.id);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      expect(sha256).toBe(file.sha256);
      expect(closeEntry.change.after.pack).toContainEqual({
        evidence: file.id,
        name: file.name,
        sha256,
        environment: 'live',
      });
      if (file.name.endsWith('.json')) {
        const json = JSON.parse(bytes.toString('utf8'));
        expect(json.items.length).toBe(items.length);
        const packed = json.items.find((i: Item) => i.id === staleItem.id);
        expect(packed).toMatchObject({ decision: 'revoke', reason: 'Unused for over 90 days' });
        expect(packed.request.id).toBe(revoke.json.request.id);
      } else {
        const lines = bytes.toString('utf8').trim().split('\r\n');
        expect(lines.length).toBe(items.length + 1);
        expect(lines[0]).toContain('reviewer_name');
        expect(lines.find((l) => l.includes(staleItem.id))).toContain('Unused for over 90 days');
      }
    }

    // The pack is immutable evidence: a deletion request for it is refused.
    const deletion = await raise(platform, 'acme', 'live', await token('owner'), 'evidence.delete', {
      evidenceId: files[0]?.id,
    });
    expect(deletion.status).toBe(403);
    expect(deletion.json.error.message).toContain('access review');
    // And the campaign takes no more decisions.
    expect(
      (await decideItem(reviewerOfMember, memberItem, { decision: 'keep', reason: 'late' })).status,
    ).toBe(409);
  });

  it('refuses a campaign whose only reviewer would review themselves, and one with a reviewer who may not decide', async () => {
    const officer = platform.user('acme', 'compliance_officer');
    const alone = await startCampaign({
      title: 'Only me',
      covers: ['members'],
      reviewers: [officer.userId],
      deadline: new Date(platform.clock.now() + 7 * DAY).toISOString(),
    });
    expect(alone.status).toBe(400);
    expect(alone.json.error.message).toContain('no one reviews their own access');
    const viewer = await startCampaign({
      title: 'With a viewer',
      covers: ['members'],
      reviewers: [officer.userId, platform.user('acme', 'viewer').userId],
      deadline: new Date(platform.clock.now() + 7 * DAY).toISOString(),
    });
    expect(viewer.status).toBe(400);
  });

  it('closes at its deadline (also when the platform was down) with what is undecided listed in the pack', async () => {
    const officer = platform.user('acme', 'compliance_officer');
    const admin = platform.user('acme', 'admin');
    const started = await startCampaign({
      title: 'Deadline review',
      covers: ['members'],
      reviewers: [officer.userId, admin.userId],
      deadline: new Date(platform.clock.now() + 2 * DAY).toISOString(),
    });
    expect(started.status).toBe(201);
    const items = await itemsOf(started.json.id, 'compliance_officer', 'me');
    const first = items[0] as Item;
    expect((await decideItem('compliance_officer', first, { decision: 'keep', reason: 'ok' })).status).toBe(
      200,
    );
    platform.clock.advance(2 * DAY + 60_000);
    await platform.restart();
    await vi.waitFor(async () => {
      const reply = await platform.call('GET', `/v1/orgs/acme/reviews/${started.json.id}`, {
        token: await token('admin'),
      });
      expect(reply.json).toMatchObject({ status: 'closed', closeReason: 'deadline' });
    });
    const closeEntries = await auditEntries(platform, 'acme', 'test', 'review.close');
    const entry = closeEntries.find((e) => e.resource.id === started.json.id);
    expect(entry.change.after.undecided.length).toBe(started.json.progress.total - 1);
    expect(entry.change.after.undecided).not.toContain(first.id);
  });

  it('lets the starter close early, and no other reviewer below admin', async () => {
    const officer = platform.user('acme', 'compliance_officer');
    const admin = platform.user('acme', 'admin');
    const owner = await token('owner');
    const started = await platform.call('POST', '/v1/orgs/acme/reviews', {
      token: await token('admin'),
      body: {
        title: 'Started by the admin',
        covers: ['members'],
        reviewers: [officer.userId, admin.userId],
        deadline: new Date(platform.clock.now() + 3 * DAY).toISOString(),
      },
    });
    expect(started.status).toBe(201);
    const byOfficer = await platform.call('POST', `/v1/orgs/acme/reviews/${started.json.id}/close`, {
      token: await token('compliance_officer'),
    });
    expect(byOfficer.status).toBe(403);
    const byOwner = await platform.call('POST', `/v1/orgs/acme/reviews/${started.json.id}/close`, {
      token: owner,
    });
    expect(byOwner.status, byOwner.text).toBe(200);
    expect(byOwner.json).toMatchObject({ status: 'closed', closeReason: 'closed-early' });
  });
});
