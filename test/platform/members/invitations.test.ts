import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditEntries,
  codeFor,
  openEnrollmentPage,
  raise,
  raiseApproved,
  signedIn,
  submitEnrollment,
} from '../../helpers/lifecycle';
import { invitationLinkFor } from '../../helpers/mail';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
});
afterAll(() => platform.stop());

let counter = 0;
/** An admin invites a new address; a compliance officer approves; the invitee finds the link in their mail. */
async function invite(role = 'member'): Promise<{ email: string; link: string; requestId: string }> {
  counter++;
  const email = `invitee-${counter}@example.test`;
  const admin = await signedIn(platform, 'acme', 'admin');
  const executed = await raiseApproved(
    platform,
    'acme',
    'live',
    admin,
    'member.invite',
    { email, role, displayName: `Invitee ${counter}` },
    ['compliance_officer'],
  );
  expect(executed.status).toBe('executed');
  return { email, link: await invitationLinkFor(platform, email), requestId: executed.id };
}

const password = 'correct horse battery staple';

describe('an invitation goes through its lane and mails a one-time enrollment link to the invitee', () => {
  it('is a yellow request that one other person approves; the link goes to the invited address, not to the requester', async () => {
    const admin = await signedIn(platform, 'acme', 'admin');
    const raised = await raise(platform, 'acme', 'live', admin.token, 'member.invite', {
      email: 'lane@example.test',
      role: 'member',
      displayName: 'Lane Test',
    });
    expect(raised.status).toBe(201);
    expect(raised.json).toMatchObject({ lane: 'yellow', requiredApprovals: 1, status: 'pending' });

    const { link, requestId } = await invite();
    expect(link).toBe(`${platform.url}/enroll?token=${link.split('token=')[1]}`);
    expect(link).toMatch(/\/enroll\?token=inv_[a-z2-7]{26}\.[A-Za-z0-9_-]{43}$/);
    const result = await platform.call('POST', `/v1/orgs/acme/envs/live/approvals/${requestId}/result`, {
      token: (await platform.signIn(platform.user('acme', 'admin'))).accessToken,
    });
    expect(result.json.secret).toBeNull();
  });

  it('makes an invitation as owner or admin red, whatever the lane of member.invite', async () => {
    const owner = await signedIn(platform, 'acme', 'owner');
    const raised = await raise(platform, 'acme', 'live', owner.token, 'member.invite', {
      email: 'new-admin@example.test',
      role: 'admin',
      displayName: 'New Admin',
    });
    expect(raised.status).toBe(201);
    expect(raised.json).toMatchObject({ lane: 'red', requiredApprovals: 2 });
  });

  it('refuses to invite someone who is already a member, or who has an open invitation', async () => {
    const admin = await signedIn(platform, 'acme', 'admin');
    const member = platform.user('acme', 'member');
    const already = await raise(platform, 'acme', 'live', admin.token, 'member.invite', {
      email: member.email,
      role: 'viewer',
      displayName: 'Again',
    });
    expect(already.status).toBe(409);
    const { email } = await invite();
    const twice = await raise(platform, 'acme', 'live', admin.token, 'member.invite', {
      email,
      role: 'viewer',
      displayName: 'Twice',
    });
    expect(twice.status).toBe(409);
    expect(twice.json.error.message).toContain('pending invitation');
  });

  it('keeps the link out of the logs, the audit log and the database, and records the invitation in both environments', async () => {
    const { link, email } = await invite();
    const secret = link.split('.').pop() as string;
    expect(secret.length).toBe(43);
    // The page itself is opened too: its URL carries the token.
    expect((await openEnrollmentPage(platform, link)).status).toBe(200);
    expect(platform.logLines.join('\n')).not.toContain(secret);
    expect((await platform.databaseBytes()).includes(Buffer.from(secret))).toBe(false);
    for (const env of ['live', 'test'] as const) {
      const entries = await auditEntries(platform, 'acme', env, 'member.invite');
      const entry = entries.find((e) => e.change?.after?.email === email);
      expect(entry, env).toBeDefined();
      expect(JSON.stringify(entries)).not.toContain(secret);
    }
  });
});

describe('the enrollment page', () => {
  it('lets a new person set a password and enroll TOTP from the page’s QR code and secret, then sign in', async () => {
    const { link, email } = await invite('compliance_officer');
    const page = await openEnrollmentPage(platform, link);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<img class="qr" src="data:image/svg+xml;base64,');
    expect(page.html).toContain('Join Acme');
    expect(page.html).not.toContain('<script');
    expect(page.seed?.length).toBe(20);
    const seed = page.seed as Uint8Array;
    const token = page.token as string;
    const nonce = page.nonce as string;

    const wrongCode = await submitEnrollment(platform, {
      token,
      nonce,
      password,
      confirm: password,
      totp: '000000',
    });
    expect(wrongCode.status).toBe(401);
    expect(wrongCode.text).toContain('That code does not match');
    const mismatch = await submitEnrollment(platform, {
      token,
      nonce,
      password,
      confirm: `${password}!`,
      totp: codeFor(platform, seed),
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain('The two passwords differ.');
    const short = await submitEnrollment(platform, {
      token,
      nonce,
      password: 'short',
      confirm: 'short',
      totp: codeFor(platform, seed),
    });
    expect(short.status).toBe(400);

    const enrolled = await submitEnrollment(platform, {
      token,
      nonce,
      password,
      confirm: password,
      totp: codeFor(platform, seed),
    });
    expect(enrolled.status, enrolled.text).toBe(200);
    expect(enrolled.text).toContain('You have joined Acme');
    expect(platform.logLines.join('\n')).not.toContain(password);

    const signIn = await platform.call('POST', '/v1/auth/sign-in', {
      body: { email, password, totp: codeFor(platform, seed) },
    });
    expect(signIn.status, signIn.text).toBe(200);
    const members = await platform.call('GET', '/v1/orgs/acme/members', { token: signIn.json.accessToken });
    expect(members.status).toBe(200);
    const me = members.json.members.find((m: { email: string }) => m.email === email);
    expect(me).toMatchObject({ role: 'compliance_officer', suspended: false });
    expect(me.lastSignInAt).not.toBeNull();

    const admin = await platform.signIn(platform.user('acme', 'admin'));
    const listed = await platform.call('GET', '/v1/orgs/acme/invitations?status=all', {
      token: admin.accessToken,
    });
    expect(listed.json.invitations.find((i: { email: string }) => i.email === email)).toMatchObject({
      status: 'accepted',
      acceptedUserId: me.userId,
    });
    for (const env of ['live', 'test'] as const) {
      const added = await auditEntries(platform, 'acme', env, 'member.add');
      expect(added.some((e) => e.resource.id === me.userId && e.actor.id === me.userId)).toBe(true);
    }
  });

  it('works once: the used link opens neither the page nor the form again', async () => {
    const { link } = await invite();
    const page = await openEnrollmentPage(platform, link);
    const seed = page.seed as Uint8Array;
    const token = page.token as string;
    const nonce = page.nonce as string;
    const first = await submitEnrollment(platform, {
      token,
      nonce,
      password,
      confirm: password,
      totp: codeFor(platform, seed),
    });
    expect(first.status).toBe(200);
    const reopened = await openEnrollmentPage(platform, link);
    expect(reopened.status).toBe(410);
    expect(reopened.html).toContain('already been used');
    expect(reopened.seed).toBeUndefined();
    const resent = await submitEnrollment(platform, {
      token,
      nonce,
      password: `${password} again`,
      confirm: `${password} again`,
      totp: codeFor(platform, seed),
    });
    expect(resent.status).toBe(410);
  });

  it('expires 72 hours after it was issued', async () => {
    const { link, email } = await invite();
    const admin = await platform.signIn(platform.user('acme', 'admin'));
    const listed = await platform.call('GET', '/v1/orgs/acme/invitations', { token: admin.accessToken });
    const invitation = listed.json.invitations.find((i: { email: string }) => i.email === email);
    expect(Date.parse(invitation.expiresAt) - Date.parse(invitation.createdAt)).toBe(72 * 3600 * 1000);
    platform.clock.advance(Date.parse(invitation.expiresAt) - platform.clock.now() - 60_000);
    const stillOpen = await openEnrollmentPage(platform, link);
    expect(stillOpen.status).toBe(200);
    platform.clock.advance(60_000);
    const expired = await openEnrollmentPage(platform, link);
    expect(expired.status).toBe(410);
    expect(expired.html).toContain('has expired');
    // The page opened before expiry cannot be sent after it.
    const sent = await submitEnrollment(platform, {
      token: stillOpen.token as string,
      nonce: stillOpen.nonce as string,
      password,
      confirm: password,
      totp: codeFor(platform, stillOpen.seed as Uint8Array),
    });
    expect(sent.status).toBe(410);
    const fresh = await platform.signIn(platform.user('acme', 'admin'));
    const all = await platform.call('GET', '/v1/orgs/acme/invitations?status=all', {
      token: fresh.accessToken,
    });
    expect(all.json.invitations.find((i: { email: string }) => i.email === email).status).toBe('expired');
  });

  it('refuses a revoked invitation’s link, and an administrator’s revocation is on record', async () => {
    const { link, email } = await invite();
    const admin = await platform.signIn(platform.user('acme', 'admin'));
    const pending = await platform.call('GET', '/v1/orgs/acme/invitations', { token: admin.accessToken });
    const invitation = pending.json.invitations.find((i: { email: string }) => i.email === email);
    expect(invitation.status).toBe('pending');
    const revoked = await platform.call('POST', `/v1/orgs/acme/invitations/${invitation.id}/revoke`, {
      token: admin.accessToken,
    });
    expect(revoked.status).toBe(200);
    expect(revoked.json.status).toBe('revoked');
    const page = await openEnrollmentPage(platform, link);
    expect(page.status).toBe(410);
    expect(page.html).toContain('withdrawn');
    const again = await platform.call('POST', `/v1/orgs/acme/invitations/${invitation.id}/revoke`, {
      token: admin.accessToken,
    });
    expect(again.status).toBe(409);
    const entries = await auditEntries(platform, 'acme', 'test', 'member.invite_revoke');
    expect(entries.some((e) => e.resource.id === invitation.id)).toBe(true);
  });

  it('answers a link with a wrong secret like an unknown one, and refuses a form from another origin', async () => {
    const { link } = await invite();
    const tampered = link.replace(/\.[A-Za-z0-9_-]{43}$/, `.${'A'.repeat(43)}`);
    const page = await openEnrollmentPage(platform, tampered);
    expect(page.status).toBe(404);
    expect(page.html).toContain('not valid');
    const real = await openEnrollmentPage(platform, link);
    const crossSite = await submitEnrollment(
      platform,
      {
        token: real.token as string,
        nonce: real.nonce as string,
        password,
        confirm: password,
        totp: codeFor(platform, real.seed as Uint8Array),
      },
      { origin: 'https://attacker.example' },
    );
    expect(crossSite.status).toBe(403);
    // What a browser sends from the page itself (no-referrer hides the origin) passes the check; the same
    // marked as from another site does not.
    const fields = {
      token: real.token as string,
      nonce: real.nonce as string,
      password,
      confirm: password,
      totp: '000000',
    };
    const elsewhere = await submitEnrollment(platform, fields, {
      origin: 'null',
      'sec-fetch-site': 'cross-site',
    });
    expect(elsewhere.status).toBe(403);
    const ownPage = await submitEnrollment(platform, fields, {
      origin: 'null',
      'sec-fetch-site': 'same-origin',
    });
    expect(ownPage.status).toBe(401);
    // Still open: the refused form used nothing up.
    expect((await openEnrollmentPage(platform, link)).status).toBe(200);
  });

  it('lets a person who has an account already (another organization’s) accept by signing in', async () => {
    const outsider = platform.user('globex', 'viewer');
    const admin = await signedIn(platform, 'acme', 'admin');
    const executed = await raiseApproved(
      platform,
      'acme',
      'live',
      admin,
      'member.invite',
      { email: outsider.email, role: 'viewer', displayName: 'Globex Viewer' },
      ['compliance_officer'],
    );
    expect(executed.status).toBe('executed');
    const page = await openEnrollmentPage(platform, await invitationLinkFor(platform, outsider.email));
    expect(page.status).toBe(200);
    expect(page.html).toContain('sign in to accept');
    expect(page.seed).toBeUndefined();
    const wrong = await submitEnrollment(platform, {
      token: page.token as string,
      password: `${outsider.password}x`,
      totp: platform.totp(outsider),
    });
    expect(wrong.status).toBe(401);
    const accepted = await submitEnrollment(platform, {
      token: page.token as string,
      password: outsider.password,
      totp: platform.totp(outsider),
    });
    expect(accepted.status, accepted.text).toBe(200);
    const session = await platform.signIn(outsider);
    const orgs = await platform.call('GET', '/v1/orgs', { token: session.accessToken });
    expect(orgs.json.organizations.map((o: { slug: string }) => o.slug).sort()).toEqual(['acme', 'globex']);
  });
});
