import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgScope } from '../../../platform/db/scope';
import { addMember, createUser } from '../../../platform/organizations/provisioning';
import type { DemoUser } from '../../../platform/seed/demo';
import { type RoleName, roleNames } from '../../../shared/domain/permissions';
import { decide, registerDevice } from '../../helpers/approvals';
import { rawSql, startPlatform, type TestPlatform } from '../../helpers/platform';

let platform: TestPlatform;
const directory = '/v1/orgs/acme/envs/test/directory';
const approvals = '/v1/orgs/acme/envs/test/approvals';
const password = 'a long test password';

interface Person {
  readonly id: string;
  readonly displayName: string;
  readonly email: string;
  readonly role: string | null;
  readonly removed: boolean;
}

/** A person added to acme for one test, who can sign in like the demo users. */
async function joiner(name: string, role: RoleName): Promise<DemoUser> {
  const org = await platform.ctx.stores.organizations.findBySlug('acme');
  if (!org) throw new Error('acme missing');
  const email = `${name}@acme.example`;
  const { userId, totpSeed } = await createUser(platform.ctx, {
    email,
    displayName: `Dir ${name}`,
    password,
  });
  await addMember(platform.ctx, orgScope(org.id, org.slug), userId, role);
  return { organization: 'acme', role, userId, email, password, totpSeed };
}

/** Test setup only: the platform has no route that removes a member yet, so the row goes directly. */
async function leave(user: DemoUser): Promise<void> {
  await rawSql(platform, sql`DELETE FROM memberships WHERE user_id = ${user.userId}`);
}

async function token(user: DemoUser): Promise<string> {
  return (await platform.signIn(user)).accessToken;
}

beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(() => platform.stop());

describe('the tenant directory', () => {
  it('every member reads it, whatever their role, with each member’s role', async () => {
    for (const role of roleNames) {
      const reply = await platform.call('GET', directory, {
        token: await token(platform.user('acme', role)),
      });
      expect([role, reply.status]).toEqual([role, 200]);
      const people = reply.json.people as Person[];
      for (const member of roleNames) {
        const user = platform.user('acme', member);
        expect(people.find((p) => p.id === user.userId)).toEqual({
          id: user.userId,
          displayName: (await platform.ctx.stores.users.findById(user.userId))?.display_name,
          email: user.email,
          role: member,
          removed: false,
        });
      }
      const globex = platform.users.filter((u) => u.organization === 'globex').map((u) => u.userId);
      expect(people.filter((p) => globex.includes(p.id))).toEqual([]);
    }
  });

  it('names the people this tenant’s records name who have left, as removed with no role', async () => {
    const requester = await joiner('dir-requester', 'member');
    const commenter = await joiner('dir-commenter', 'member');
    const uploader = await joiner('dir-uploader', 'member');
    const approver = await joiner('dir-approver', 'compliance_officer');
    const keyMaker = await joiner('dir-key-maker', 'admin');
    const elsewhere = await joiner('dir-live-only', 'member');
    const bystander = await joiner('dir-bystander', 'member');

    const raised = await platform.call('POST', approvals, {
      token: await token(requester),
      body: { kind: 'custom.directory', title: 'Directory check', summary: 'why', payload: { n: 1 } },
    });
    expect(raised.status, raised.text).toBe(201);
    const commented = await platform.call('POST', `${approvals}/${raised.json.id}/comments`, {
      token: await token(commenter),
      body: { body: 'Looks right to me.' },
    });
    expect(commented.status, commented.text).toBe(200);
    const uploaded = await platform.call('POST', '/v1/orgs/acme/envs/test/evidence?name=notes.txt', {
      token: await token(uploader),
      rawBody: 'directory notes',
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(uploaded.status, uploaded.text).toBe(201);
    const approverToken = await token(approver);
    const device = await registerDevice(platform, approverToken);
    const decided = await decide(platform, approverToken, device, approvals, raised.json, 'approve');
    expect(decided.status, decided.text).toBe(200);
    const key = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
      token: await token(keyMaker),
      body: { name: 'left behind', scopes: ['approvals:read'] },
    });
    expect(key.status, key.text).toBe(201);
    const inLive = await platform.call('POST', '/v1/orgs/acme/envs/live/approvals', {
      token: await token(elsewhere),
      body: { kind: 'custom.directory', title: 'Live only', summary: 'why', payload: { n: 2 } },
    });
    expect(inLive.status, inLive.text).toBe(201);
    for (const user of [requester, commenter, uploader, approver, keyMaker, elsewhere, bystander])
      await leave(user);

    const reply = await platform.call('GET', directory, {
      token: await token(platform.user('acme', 'viewer')),
    });
    expect(reply.status, reply.text).toBe(200);
    const people = reply.json.people as Person[];
    for (const user of [requester, commenter, uploader, approver, keyMaker]) {
      expect(people.find((p) => p.id === user.userId)).toEqual({
        id: user.userId,
        displayName: `Dir ${user.email.split('@')[0]}`,
        email: user.email,
        role: null,
        removed: true,
      });
    }
    // Someone who left without a trace here (or acted only in the other environment) is not named.
    expect(people.map((p) => p.id)).not.toContain(elsewhere.userId);
    expect(people.map((p) => p.id)).not.toContain(bystander.userId);
    expect(reply.json.apiKeys).toContainEqual({
      id: key.json.key.id,
      name: 'left behind',
      ownerId: keyMaker.userId,
      environment: 'test',
    });
  });

  it('lists this environment’s API keys with name, owner and environment, revoked ones too', async () => {
    const owner = await token(platform.user('acme', 'owner'));
    const testKey = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
      token: owner,
      body: { name: 'test reader', scopes: ['orgs:read'] },
    });
    const liveKey = await platform.call('POST', '/v1/orgs/acme/envs/live/api-keys', {
      token: owner,
      body: { name: 'live reader', scopes: ['orgs:read'] },
    });
    await platform.call('POST', `/v1/orgs/acme/envs/test/api-keys/${testKey.json.key.id}/revoke`, {
      token: owner,
    });
    const reply = await platform.call('GET', directory, { token: owner });
    const keys = reply.json.apiKeys as { id: string; environment: string }[];
    expect(keys).toContainEqual({
      id: testKey.json.key.id,
      name: 'test reader',
      ownerId: platform.user('acme', 'owner').userId,
      environment: 'test',
    });
    expect(keys.map((k) => k.id)).not.toContain(liveKey.json.key.id);
    expect(keys.every((k) => k.environment === 'test')).toBe(true);
  });

  it('an API key of the tenant reads it with any read scope, and not without one', async () => {
    const owner = await token(platform.user('acme', 'owner'));
    const key = async (scopes: string[]) =>
      (
        await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
          token: owner,
          body: { name: `scopes ${scopes.join(' ')}`, scopes },
        })
      ).json.secret as string;
    for (const scope of ['audit:read', 'evidence:read', 'approvals:read', 'orgs:read']) {
      const reply = await platform.call('GET', directory, { token: await key([scope]) });
      expect([scope, reply.status]).toEqual([scope, 200]);
    }
    const writer = await platform.call('GET', directory, {
      token: await key(['approvals:request', 'evidence:upload']),
    });
    expect(writer.status).toBe(403);
    expect(writer.json.error.code).toBe('forbidden');
    const otherEnvironment = await platform.call('GET', '/v1/orgs/acme/envs/live/directory', {
      token: await key(['audit:read']),
    });
    expect(otherEnvironment.json.error.code).toBe('wrong-environment');
  });
});
