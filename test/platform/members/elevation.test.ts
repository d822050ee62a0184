import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decide } from '../../helpers/approvals';
import { auditEntries, raise, raiseApproved, signedIn } from '../../helpers/lifecycle';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
});
afterAll(() => platform.stop());

/** What a compliance officer may do and a member may not: read the live audit checkpoint. */
const officerOnly = '/v1/orgs/acme/envs/live/audit/checkpoint';

async function memberToken(): Promise<string> {
  return (await platform.signIn(platform.user('acme', 'member'))).accessToken;
}

async function activeElevations() {
  const admin = await platform.signIn(platform.user('acme', 'admin'));
  const reply = await platform.call('GET', '/v1/orgs/acme/elevations', { token: admin.accessToken });
  expect(reply.status).toBe(200);
  return reply.json.elevations as { id: string; userId: string; role: string; endsAt: string }[];
}

/** The member asks to be a compliance officer for `minutes`; the admin approves. */
async function elevateMember(minutes: number) {
  const member = await signedIn(platform, 'acme', 'member');
  return raiseApproved(
    platform,
    'acme',
    'live',
    member,
    'member.elevate',
    { role: 'compliance_officer', durationMinutes: minutes, reason: 'Quarter-end evidence review' },
    ['admin'],
  );
}

describe('time-limited elevation', () => {
  it('is asked by the member, approved by another person in its lane, and applies at once until its end', async () => {
    const member = await signedIn(platform, 'acme', 'member');
    expect((await platform.call('GET', officerOnly, { token: member.token })).status).toBe(403);
    const raised = await raise(platform, 'acme', 'live', member.token, 'member.elevate', {
      role: 'compliance_officer',
      durationMinutes: 60,
      reason: 'Quarter-end evidence review',
    });
    expect(raised.status, raised.text).toBe(201);
    expect(raised.json).toMatchObject({ lane: 'yellow', requiredApprovals: 1 });
    // No one approves their own elevation, whatever device they sign with.
    const own = await decide(
      platform,
      member.token,
      member.device,
      '/v1/orgs/acme/envs/live/approvals',
      raised.json,
      'approve',
    );
    expect(own.status).toBe(403);
    const admin = await signedIn(platform, 'acme', 'admin');
    const executed = await decide(
      platform,
      admin.token,
      admin.device,
      '/v1/orgs/acme/envs/live/approvals',
      raised.json,
      'approve',
    );
    expect(executed.json.status, executed.text).toBe('executed');

    expect((await platform.call('GET', officerOnly, { token: await memberToken() })).status).toBe(200);
    const [elevation] = await activeElevations();
    expect(elevation).toMatchObject({ userId: member.user.userId, role: 'compliance_officer' });
    const members = await platform.call('GET', '/v1/orgs/acme/members', { token: admin.token });
    expect(
      members.json.members.find((m: { userId: string }) => m.userId === member.user.userId),
    ).toMatchObject({
      role: 'member',
      elevation: { role: 'compliance_officer', endsAt: elevation?.endsAt },
    });
    for (const env of ['live', 'test'] as const) {
      const entries = await auditEntries(platform, 'acme', env, 'member.elevate');
      expect(entries[0].change.after).toMatchObject({ role: 'compliance_officer', request: raised.json.id });
    }

    // An administrator ends it early: the role reverts at once, on record.
    const ended = await platform.call('POST', `/v1/orgs/acme/elevations/${elevation?.id}/end`, {
      token: (await platform.signIn(platform.user('acme', 'admin'))).accessToken,
    });
    expect(ended.status).toBe(200);
    expect(ended.json).toMatchObject({ active: false, endReason: 'ended-early' });
    expect((await platform.call('GET', officerOnly, { token: await memberToken() })).status).toBe(403);
    const ends = await auditEntries(platform, 'acme', 'test', 'member.elevation_end');
    expect(ends[0].change.after).toMatchObject({ role: 'member', reason: 'ended-early' });
  });

  it('refuses an elevation longer than the policy allows, and puts one to admin in the red lane', async () => {
    const member = await signedIn(platform, 'acme', 'member');
    const tooLong = await raise(platform, 'acme', 'live', member.token, 'member.elevate', {
      role: 'compliance_officer',
      durationMinutes: 9 * 60,
      reason: 'A long day',
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.error.message).toContain('at most 8 hours');
    const toAdmin = await raise(platform, 'acme', 'live', member.token, 'member.elevate', {
      role: 'admin',
      durationMinutes: 60,
      reason: 'Incident response',
    });
    expect(toAdmin.json).toMatchObject({ lane: 'red', requiredApprovals: 2 });
    const toOwner = await raise(platform, 'acme', 'live', member.token, 'member.elevate', {
      role: 'owner',
      durationMinutes: 60,
      reason: 'Never',
    });
    expect(toOwner.status).toBe(400);
  });

  it('reverts by itself when its time runs out, also across platform restarts, with its end recorded at that moment', async () => {
    const executed = await elevateMember(120);
    expect(executed.status).toBe('executed');
    const [elevation] = await activeElevations();
    const endsAt = Date.parse(elevation?.endsAt ?? '');

    // A restart in the middle changes nothing: the elevation is a row, not a timer.
    await platform.restart();
    expect((await platform.call('GET', officerOnly, { token: await memberToken() })).status).toBe(200);

    // The time runs out across a restart…
    platform.clock.advance(endsAt - platform.clock.now() + 60_000);
    await platform.restart();
    // …and the role has reverted whether or not the end is recorded yet.
    expect((await platform.call('GET', officerOnly, { token: await memberToken() })).status).toBe(403);
    expect(await activeElevations()).toEqual([]);
    // The sweeper catches up at start and records the end at the moment it happened, in both logs.
    for (const env of ['live', 'test'] as const) {
      await vi.waitFor(async () => {
        const ends = await auditEntries(platform, 'acme', env, 'member.elevation_end');
        const end = ends.find((e) => e.change.before.elevation === elevation?.id);
        expect(end?.change.after).toMatchObject({
          role: 'member',
          reason: 'expired',
          endedAt: new Date(endsAt).toISOString(),
        });
        expect(end.actor).toMatchObject({ type: 'system' });
      });
    }
    const admin = await platform.signIn(platform.user('acme', 'admin'));
    const all = await platform.call('GET', '/v1/orgs/acme/elevations?status=all', {
      token: admin.accessToken,
    });
    expect(all.json.elevations.find((e: { id: string }) => e.id === elevation?.id)).toMatchObject({
      active: false,
      endReason: 'expired',
      endedAt: new Date(endsAt).toISOString(),
    });
  });

  it('ends with a role change, and a second elevation waits until the first has ended', async () => {
    await elevateMember(60);
    const member = await signedIn(platform, 'acme', 'member');
    const second = await raise(platform, 'acme', 'live', member.token, 'member.elevate', {
      role: 'viewer',
      durationMinutes: 60,
      reason: 'Another',
    });
    expect(second.status).toBe(409);
    const owner = await signedIn(platform, 'acme', 'owner');
    await raiseApproved(
      platform,
      'acme',
      'live',
      owner,
      'member.role_change',
      { userId: member.user.userId, role: 'viewer' },
      ['admin', 'compliance_officer'],
    );
    expect(await activeElevations()).toEqual([]);
    const ends = await auditEntries(platform, 'acme', 'live', 'member.elevation_end');
    expect(ends[0].change.after).toMatchObject({ role: 'viewer', reason: 'role-changed' });
  });
});
