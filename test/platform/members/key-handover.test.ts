import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveBy, auditEntries, raise, raiseApproved, signedIn } from '../../helpers/lifecycle';
import { newPerson, signedInAs } from '../../helpers/people';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
});
afterAll(() => platform.stop());

async function grantOf(keyId: string) {
  const owner = await platform.signIn(platform.user('acme', 'owner'));
  const grants = await platform.call('GET', '/v1/orgs/acme/envs/test/grants', { token: owner.accessToken });
  return grants.json.apiKeys.find((k: { id: string }) => k.id === keyId);
}

describe('handing over a departed person’s API key', () => {
  it('kills the old secret at once; the key works again only once its new owner rotates it, as them', async () => {
    const departing = await newPerson(platform, { acme: 'admin' });
    const session = await platform.signIn(departing);
    const key = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
      token: session.accessToken,
      body: { name: 'nightly export', scopes: ['members:read'] },
    });
    expect(key.status, key.text).toBe(201);
    const owner = await signedIn(platform, 'acme', 'owner');
    await raiseApproved(platform, 'acme', 'test', owner, 'member.remove', { userId: departing.userId }, [
      'admin',
    ]);

    const heir = await newPerson(platform, { acme: 'admin' });
    const handedOver = await raiseApproved(
      platform,
      'acme',
      'test',
      owner,
      'api_key.transfer',
      { keyId: key.json.key.id, toUserId: heir.userId },
      ['admin', 'compliance_officer'],
    );
    expect(handedOver.status, handedOver.outcome ?? '').toBe('executed');
    // The departed person's secret (which they may have kept) acts as no one: not them, not the heir.
    const old = await platform.call('GET', '/v1/orgs/acme/members', { token: key.json.secret });
    expect(old.status).toBe(401);
    expect(await grantOf(key.json.key.id)).toMatchObject({ ownerId: heir.userId });
    // The keys screen says so: handed over, no working secret, until the heir rotates it.
    const listed = await platform.call('GET', '/v1/orgs/acme/envs/test/api-keys', { token: owner.token });
    const shown = listed.json.keys.find((k: { id: string }) => k.id === key.json.key.id);
    expect(shown).toMatchObject({ status: 'active', handedOverAt: expect.any(String) });

    // Nobody but the heir may rotate it (that would take for themselves a key meant for the heir).
    const admin = await signedIn(platform, 'acme', 'admin');
    const byOther = await raise(platform, 'acme', 'test', admin.token, 'api_key.rotate', {
      keyId: key.json.key.id,
      gracePeriodSeconds: 3600,
    });
    expect(byOther.json.status, byOther.text).toBe('failed');
    expect(byOther.json.outcome).toContain('only its new owner');

    const heirSession = await signedInAs(platform, heir);
    const rotated = await raise(platform, 'acme', 'test', heirSession.token, 'api_key.rotate', {
      keyId: key.json.key.id,
      gracePeriodSeconds: 3600,
    });
    expect(rotated.json.status, rotated.text).toBe('executed');
    const result = await platform.call(
      'POST',
      `/v1/orgs/acme/envs/test/approvals/${rotated.json.id}/result`,
      {
        token: heirSession.token,
      },
    );
    const fresh = result.json.secret as string;
    expect(fresh).toMatch(/^cck_test_/);
    const works = await platform.call('GET', '/v1/orgs/acme/members', { token: fresh });
    expect(works.status).toBe(200);
    // The old secret gets no grace from the rotation either.
    expect((await platform.call('GET', '/v1/orgs/acme/members', { token: key.json.secret })).status).toBe(
      401,
    );
    const successor = await grantOf(fresh.split('.')[0] as string);
    expect(successor).toMatchObject({ createdBy: heir.userId });
    const after = await platform.call('GET', '/v1/orgs/acme/envs/test/api-keys', { token: owner.token });
    const rotatedKey = after.json.keys.find((k: { id: string }) => k.id === fresh.split('.')[0]);
    expect(rotatedKey).toMatchObject({ status: 'active', handedOverAt: null });
    const transfers = await auditEntries(platform, 'acme', 'test', 'api_key.transfer');
    expect(transfers[0].change.after).toEqual({ owner: heir.userId, oldSecretInvalidated: true });
  });

  it('refuses a hand-over that its new owner approved', async () => {
    const owner = await signedIn(platform, 'acme', 'owner');
    const key = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
      token: owner.token,
      body: { name: 'owner’s reporting key', scopes: ['members:read'] },
    });
    const officer = platform.user('acme', 'compliance_officer');
    const raised = await raise(platform, 'acme', 'test', owner.token, 'api_key.transfer', {
      keyId: key.json.key.id,
      toUserId: officer.userId,
    });
    expect(raised.status, raised.text).toBe(201);
    const done = await approveBy(platform, 'acme', 'test', raised.json, ['admin', 'compliance_officer']);
    expect(done.json.status, done.text).toBe('failed');
    expect(done.json.outcome).toBe('The new owner of a key may not approve its hand-over.');
    expect(await grantOf(key.json.key.id)).toMatchObject({ ownerId: owner.user.userId });
    expect((await platform.call('GET', '/v1/orgs/acme/members', { token: key.json.secret })).status).toBe(
      200,
    );
  });
});
