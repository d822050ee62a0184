import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditEntries,
  codeFor,
  openEnrollmentPage,
  raiseApproved,
  signedIn,
  submitEnrollment,
} from '../../helpers/lifecycle';
import { invitationLinkFor, outbox } from '../../helpers/mail';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
});
afterAll(() => platform.stop());

const password = 'correct horse battery staple';
let counter = 0;

/** An admin asks to invite a new address and a compliance officer approves: the request, as the admin sees it. */
async function invite() {
  counter++;
  const email = `delivered-${counter}@example.test`;
  const admin = await signedIn(platform, 'acme', 'admin');
  const executed = await raiseApproved(
    platform,
    'acme',
    'live',
    admin,
    'member.invite',
    { email, role: 'member', displayName: `Delivered ${counter}` },
    ['compliance_officer'],
  );
  expect(executed.status).toBe('executed');
  return { email, admin, executed };
}

describe('the enrollment link goes to the invited address, never to the requester', () => {
  it('mails it to the invitee (0600 in the outbox); the requester’s result, request and audit log say to whom, with no link', async () => {
    const { email, admin, executed } = await invite();
    // The requester collects nothing: there is no link for them to enroll the invitee themselves.
    const result = await platform.call('POST', `/v1/orgs/acme/envs/live/approvals/${executed.id}/result`, {
      token: admin.token,
    });
    expect(result.status).toBe(200);
    expect(result.json.secret).toBeNull();
    expect(executed.outcome).toMatch(
      new RegExp(
        `^invitation sent to ${email} \\(as member, inv_[a-z2-7]{26}\\); the enrollment link goes to that address only$`,
      ),
    );

    const mails = (await outbox(platform)).filter((m) => m.to.includes(email));
    expect(mails.length).toBe(1);
    const mail = mails[0] as (typeof mails)[number];
    expect(mail.mode).toBe(0o600);
    expect(mail.subject).toMatch(/^Join Acme.* on Compliance Console$/);
    const link = await invitationLinkFor(platform, email);
    expect(link.startsWith(`${platform.url}/enroll?token=inv_`)).toBe(true);
    const secret = link.split('.').pop() as string;

    // Nowhere the requester (or anyone in the organization) can read holds the link.
    const request = await platform.call('GET', `/v1/orgs/acme/envs/live/approvals/${executed.id}`, {
      token: admin.token,
    });
    expect(request.status).toBe(200);
    expect(request.text).not.toContain(secret);
    const invitationId = /inv_[a-z2-7]{26}/.exec(executed.outcome as string)?.[0];
    for (const env of ['live', 'test'] as const) {
      const sent = await auditEntries(platform, 'acme', env, 'invitation.sent');
      const entry = sent.find((e) => e.resource.id === invitationId);
      expect(entry?.change.after, env).toEqual({ to: email, invitation: invitationId });
      expect(JSON.stringify(sent)).not.toContain(secret);
    }
    expect(platform.logLines.join('\n')).not.toContain(secret);
  });

  it('shows each page visit its own authenticator secret: an earlier visitor’s secret and form are worthless', async () => {
    const { email } = await invite();
    const link = await invitationLinkFor(platform, email);
    // Someone opens the link first (a link preview, a mail scanner, whoever saw the mail).
    const early = await openEnrollmentPage(platform, link);
    expect(early.status).toBe(200);
    const invitee = await openEnrollmentPage(platform, link);
    expect(invitee.status).toBe(200);
    expect(Buffer.from(invitee.seed as Uint8Array).equals(Buffer.from(early.seed as Uint8Array))).toBe(false);
    expect(invitee.nonce).not.toBe(early.nonce);

    // The early visitor's form is refused, with their own secret's code.
    const stale = await submitEnrollment(platform, {
      token: early.token as string,
      nonce: early.nonce as string,
      password,
      confirm: password,
      totp: codeFor(platform, early.seed as Uint8Array),
    });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('opened again');
    // A form without the nonce is refused too.
    const bare = await submitEnrollment(platform, {
      token: early.token as string,
      password,
      confirm: password,
      totp: codeFor(platform, invitee.seed as Uint8Array),
    });
    expect(bare.status).toBe(409);

    const enrolled = await submitEnrollment(platform, {
      token: invitee.token as string,
      nonce: invitee.nonce as string,
      password,
      confirm: password,
      totp: codeFor(platform, invitee.seed as Uint8Array),
    });
    expect(enrolled.status, enrolled.text).toBe(200);
    // The account has the seed of the visit that enrolled, and only that one.
    const withEarly = await platform.call('POST', '/v1/auth/sign-in', {
      body: { email, password, totp: codeFor(platform, early.seed as Uint8Array) },
    });
    expect(withEarly.status).toBe(401);
    const withOwn = await platform.call('POST', '/v1/auth/sign-in', {
      body: { email, password, totp: codeFor(platform, invitee.seed as Uint8Array) },
    });
    expect(withOwn.status, withOwn.text).toBe(200);
  });

  it('keeps a wrong code on the page on record, and refuses a form without fetch metadata that does not name this origin', async () => {
    const { email } = await invite();
    const page = await openEnrollmentPage(platform, await invitationLinkFor(platform, email));
    const fields = {
      token: page.token as string,
      nonce: page.nonce as string,
      password,
      confirm: password,
      totp: '000000',
    };
    const wrong = await submitEnrollment(platform, fields);
    expect(wrong.status).toBe(401);
    const refused = await auditEntries(platform, 'acme', 'live', 'member.enroll_refused');
    expect(refused.some((e) => e.outcome === 'failure' && e.actor.type === 'anonymous')).toBe(true);
    // Origin: null and no Sec-Fetch-Site, or no Origin at all: nothing says the form is the page's own.
    for (const headers of [{ origin: 'null' }, {}] as Record<string, string>[]) {
      const reply = await platform.call('POST', '/enroll', {
        rawBody: new URLSearchParams(fields).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      });
      expect(reply.status, JSON.stringify(headers)).toBe(403);
    }
  });

  it('through an SMTP server that does not take it, withdraws the invitation and says so; the URL’s password is in no log', async () => {
    // A port nothing listens on: the mail server refuses the connection.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const smtp = await startPlatform({
      defaultPolicy: true,
      smtpUrl: `smtp://mailer:hunter2-smtp-pass@127.0.0.1:${port}`,
    });
    try {
      expect(smtp.ctx.mailer.describe).toBe(`the SMTP server smtp://mailer:***@127.0.0.1:${port}`);
      const admin = await signedIn(smtp, 'acme', 'admin');
      const executed = await raiseApproved(
        smtp,
        'acme',
        'live',
        admin,
        'member.invite',
        { email: 'unreachable@example.test', role: 'member', displayName: 'Unreachable' },
        ['compliance_officer'],
      );
      expect(executed.status).toBe('executed');
      await smtp.ctx.outgoingMail.idle();
      const listed = await smtp.call('GET', '/v1/orgs/acme/invitations?status=all', {
        token: (await smtp.signIn(smtp.user('acme', 'admin'))).accessToken,
      });
      expect(listed.status, listed.text).toBe(200);
      const invitation = listed.json.invitations.find(
        (i: { email: string }) => i.email === 'unreachable@example.test',
      );
      expect(invitation.status).toBe('revoked');
      const failed = await auditEntries(smtp, 'acme', 'live', 'invitation.send_failed');
      expect(failed[0]).toMatchObject({ outcome: 'failure', resource: { id: invitation.id } });
      expect(await auditEntries(smtp, 'acme', 'live', 'invitation.sent')).toEqual([]);
      expect(smtp.logLines.join('\n')).not.toContain('hunter2-smtp-pass');
    } finally {
      await smtp.stop();
    }
  });
});
