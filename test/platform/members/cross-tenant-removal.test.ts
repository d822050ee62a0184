import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDevice } from '../../helpers/approvals';
import { auditEntries, raiseApproved, signedIn } from '../../helpers/lifecycle';
import { newPerson } from '../../helpers/people';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
});
afterAll(() => platform.stop());

// biome-ignore lint/suspicious/noExplicitAny: test assertions read the entries' JSON
type Entry = any;

/** What of one tenant may show in another's log: its people's ids, its slug, its requests' details. */
function expectNothingOf(entry: Entry, acme: { ids: string[] }) {
  expect(entry.actor).toEqual({ type: 'system', id: 'platform' });
  expect(entry.request).toBeNull();
  const text = JSON.stringify(entry);
  for (const id of acme.ids) expect(text).not.toContain(id);
  expect(text).not.toContain('acme');
}

describe('a removal in one organization, seen from another the person belongs to', () => {
  it('ends the person’s device key everywhere, but the other organization’s logs name a system actor and no request of the removing tenant', async () => {
    const person = await newPerson(platform, { acme: 'member', globex: 'member' });
    const session = await platform.signIn(person);
    const device = await registerDevice(platform, session.accessToken);
    const owner = await signedIn(platform, 'acme', 'owner');
    const admin = platform.user('acme', 'admin');
    const removed = await raiseApproved(
      platform,
      'acme',
      'live',
      owner,
      'member.remove',
      { userId: person.userId },
      ['admin'],
    );
    expect(removed.status).toBe('executed');

    for (const env of ['live', 'test'] as const) {
      const globex = (await auditEntries(platform, 'globex', env, 'device_key.revoke')).filter(
        (e: Entry) => e.resource.id === device.id,
      );
      expect(globex.length, env).toBe(1);
      expectNothingOf(globex[0], { ids: [owner.user.userId, admin.userId, removed.id] });
      expect(globex[0].change.after).toEqual({
        owner: person.userId,
        revoked: true,
        reason: 'removed by another organization',
      });
      // The removing organization's own log keeps its actor and request details.
      const acme = (await auditEntries(platform, 'acme', env, 'device_key.revoke')).filter(
        (e: Entry) => e.resource.id === device.id,
      );
      expect(acme.length, env).toBe(1);
      expect(acme[0].actor).toEqual({ type: 'user', id: admin.userId });
      expect(acme[0].request?.ip).toBe('127.0.0.1');
      expect(acme[0].change.after.reason).toBeUndefined();
    }
  });

  it('records an organization’s revocation of a member’s device key the same way in the other organization', async () => {
    const person = await newPerson(platform, { acme: 'member', globex: 'member' });
    const session = await platform.signIn(person);
    const device = await registerDevice(platform, session.accessToken);
    const admin = await signedIn(platform, 'acme', 'admin');
    const officer = platform.user('acme', 'compliance_officer');
    const revoked = await raiseApproved(
      platform,
      'acme',
      'live',
      admin,
      'device_key.revoke',
      { userId: person.userId, deviceKeyId: device.id },
      ['compliance_officer'],
    );
    expect(revoked.status, revoked.outcome ?? '').toBe('executed');
    const globex = (await auditEntries(platform, 'globex', 'live', 'device_key.revoke')).filter(
      (e: Entry) => e.resource.id === device.id,
    );
    expect(globex.length).toBe(1);
    expectNothingOf(globex[0], { ids: [admin.user.userId, officer.userId, revoked.id] });
    expect(globex[0].change.after.reason).toBe('revoked by another organization');
    const acme = (await auditEntries(platform, 'acme', 'live', 'device_key.revoke')).filter(
      (e: Entry) => e.resource.id === device.id,
    );
    expect(acme[0].actor).toEqual({ type: 'user', id: officer.userId });
  });
});
