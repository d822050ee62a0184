import type { z } from 'zod';
import type { Invitation } from '../../shared/api/lifecycle';
import type { builtInPayloads } from '../../shared/approvals/kinds';
import type { AuditRequestMeta } from '../../shared/audit/format';
import { fail, ok, type Result } from '../../shared/result';
import { type AuditContext, systemContext } from '../audit/audit-context';
import { hashPassword } from '../auth/passwords';
import { totpSeedAad } from '../auth/sessions';
import { matchTotpStep, newTotpSeed } from '../auth/totp';
import type { PlatformContext } from '../context';
import { secretMatches, sha256 } from '../crypto/hash';
import { newId, newSecret } from '../crypto/random';
import type { InvitationRow } from '../db/invitations';
import { type OrgScope, orgScope, type TenantScope } from '../db/scope';
import { recordInBothLogs } from '../lifecycle/membership-facts';
import type { MailMessage } from '../mail/mailer';
import { enrollmentLink } from './enrollment-link';
import { invitationMail } from './invitation-mail';

type InvitePayload = z.infer<(typeof builtInPayloads)['member.invite']>;

/** An enrollment link lives this long, and is used once. */
export const ENROLLMENT_TTL_MS = 72 * 3600 * 1000;
export const MIN_PASSWORD_LENGTH = 12;

const TOKEN = /^(inv_[a-z2-7]{26})\.([A-Za-z0-9_-]{43})$/;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export type LinkState = 'open' | 'expired' | 'used' | 'revoked';

/** What an enrollment link opens, once its secret has matched. */
export interface ResolvedLink {
  readonly row: InvitationRow;
  readonly org: OrgScope;
  readonly organizationName: string;
  readonly inviterName: string;
  readonly state: LinkState;
  /** The address already has an account (another organization's, or a former member's): it signs in. */
  readonly existingUser: boolean;
}

/**
 * One visit of the enrollment page by a new person: the TOTP seed it shows, minted for this visit, and the
 * one-time nonce its form posts back. Only the latest visit's nonce is kept (as a SHA-256, its seed sealed),
 * so whoever opened the link before (a link preview, a mail scanner) holds nothing that still works.
 */
export interface PageVisit {
  readonly nonce: string;
  readonly totpSeed: Uint8Array;
}

function statusOf(row: InvitationRow, now: number): Invitation['status'] {
  if (row.accepted_at !== null) return 'accepted';
  if (row.revoked_at !== null) return 'revoked';
  return row.expires_at <= now ? 'expired' : 'pending';
}

export function toInvitation(row: InvitationRow, now: number): Invitation {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    status: statusOf(row, now),
    invitedBy: row.invited_by,
    requestId: row.request_id,
    environment: row.environment,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
    acceptedAt: iso(row.accepted_at),
    acceptedUserId: row.accepted_user_id,
    revokedAt: iso(row.revoked_at),
    revokedBy: row.revoked_by,
  };
}

function invitationSeedAad(id: string, nonceSha256: Uint8Array): string {
  return `invitation-totp-seed:${id}:${Buffer.from(nonceSha256).toString('hex')}`;
}

/**
 * Invitations: an executed member.invite request issues a one-time enrollment link (its secret stored as a
 * SHA-256 only) and mails it to the invited address, never to the requester: holding the link proves the
 * address is the invitee's before an account (platform-wide) is made for it. The invitee sets a password
 * and enrolls TOTP on the platform's own page, or, already having an account, signs in there to accept.
 */
export class InvitationService {
  constructor(private readonly ctx: PlatformContext) {}

  /**
   * Whether `requesterId` may invite `payload` now: checked when the request is raised and again when it is
   * carried out (the requester's role may have changed meanwhile). As with role changes, only an owner
   * may bring in an owner: otherwise an admin would mint one by invitation.
   */
  async check(org: OrgScope, requesterId: string, payload: InvitePayload): Promise<Result<void>> {
    const { stores, clock } = this.ctx;
    if (payload.role === 'owner') {
      const requesterRole = await stores.memberships.roleOf(org.organizationId, requesterId, clock.now());
      if (requesterRole !== 'owner') return fail('forbidden', 'Only an owner can invite an owner.');
    }
    const user = await stores.users.findByEmail(payload.email);
    if (user && (await stores.memberships.get(org, user.id)))
      return fail('conflict', `${payload.email} is already a member.`);
    if (user && user.disabled_at !== null) return fail('forbidden', 'This account is disabled.');
    if (await stores.invitations.openFor(org, payload.email, clock.now()))
      return fail('conflict', `${payload.email} has a pending invitation; revoke it first.`);
    return ok(undefined);
  }

  /**
   * Carries out an approved member.invite inside the decision's transaction: the invitation is recorded,
   * and its link mailed to the invited address once the transaction has committed (never while it is open;
   * a mail server may be slow). A mail that fails withdraws the invitation, since no one holds its link.
   */
  async issue(
    tenant: TenantScope,
    requestId: string,
    invitedBy: string,
    payload: InvitePayload,
    context: AuditContext,
  ): Promise<Result<{ invitation: Invitation }>> {
    const { stores, clock, auditLog, publicOrigin } = this.ctx;
    const org = orgScope(tenant.organizationId, tenant.organizationSlug);
    const checked = await this.check(org, invitedBy, payload);
    if (!checked.ok) return checked;
    const origin = publicOrigin.get();
    if (!origin) return fail('unavailable', 'The platform does not know its public address yet.');
    const organization = await stores.organizations.findById(org.organizationId);
    const inviter = await stores.users.findById(invitedBy);
    const now = clock.now();
    const id = newId('inv');
    const secret = newSecret();
    const row: Omit<InvitationRow, 'organization_id'> = {
      id,
      email: payload.email,
      display_name: payload.displayName,
      role: payload.role,
      invited_by: invitedBy,
      environment: tenant.environment,
      request_id: requestId,
      secret_sha256: sha256(secret),
      // No seed until the page is visited: each visit mints its own (visit()).
      totp_seed_sealed: Buffer.alloc(0),
      created_at: now,
      expires_at: now + ENROLLMENT_TTL_MS,
      accepted_at: null,
      accepted_user_id: null,
      revoked_at: null,
      revoked_by: null,
      visit_nonce_sha256: null,
    };
    await stores.invitations.insert(org, row);
    await recordInBothLogs(auditLog, org, context, {
      action: 'member.invite',
      resource: { type: 'invitation', id },
      change: {
        before: null,
        after: {
          email: payload.email,
          displayName: payload.displayName,
          role: payload.role,
          expiresAt: iso(row.expires_at),
          request: requestId,
        },
      },
    });
    const message = invitationMail({
      to: payload.email,
      displayName: payload.displayName,
      organizationName: organization?.name ?? org.organizationSlug,
      inviterName: inviter?.display_name ?? 'An administrator',
      role: payload.role,
      link: enrollmentLink(origin, `${id}.${secret}`),
      expiresAt: row.expires_at,
    });
    stores.db.afterCommit(() => this.ctx.outgoingMail.start(() => this.#deliver(org, id, message, context)));
    const full = { ...row, organization_id: org.organizationId };
    return ok({ invitation: toInvitation(full, now) });
  }

  /** Sends an invitation's mail (after commit) and records that it went, or withdraws the invitation. */
  async #deliver(org: OrgScope, id: string, message: MailMessage, context: AuditContext): Promise<void> {
    const { stores, clock, auditLog, mailer } = this.ctx;
    const sent = await mailer.send(message);
    await stores.db.inTenant(org, async () => {
      if (sent.ok) {
        await recordInBothLogs(auditLog, org, context, {
          action: 'invitation.sent',
          resource: { type: 'invitation', id },
          change: { before: null, after: { to: message.to, invitation: id } },
        });
        return;
      }
      // No one holds the link: the invitation is withdrawn (by no person), for an administrator to invite again.
      await stores.invitations.revoke(org, id, null, clock.now());
      await recordInBothLogs(auditLog, org, systemContext, {
        action: 'invitation.send_failed',
        resource: { type: 'invitation', id },
        change: { before: null, after: { to: message.to, invitation: id, withdrawn: true } },
        outcome: 'failure',
      });
    });
  }

  async list(org: OrgScope, pendingOnly: boolean): Promise<Invitation[]> {
    const now = this.ctx.clock.now();
    const rows = await this.ctx.stores.invitations.list(org, pendingOnly ? now : undefined);
    return rows.map((row) => toInvitation(row, now));
  }

  /** Revoking lowers access (no one joins), so an administrator does it directly; it is audited. */
  revoke(org: OrgScope, id: string, by: string, context: AuditContext): Promise<Result<Invitation>> {
    const { stores, clock, auditLog } = this.ctx;
    return stores.db.inTenant(org, async (): Promise<Result<Invitation>> => {
      const row = await stores.invitations.get(org, id);
      if (!row) return fail('not-found', 'Invitation not found.');
      const now = clock.now();
      if (!(await stores.invitations.revoke(org, id, by, now)))
        return fail('conflict', `This invitation is already ${statusOf(row, now)}.`);
      await recordInBothLogs(auditLog, org, context, {
        action: 'member.invite_revoke',
        resource: { type: 'invitation', id },
        change: { before: { status: statusOf(row, now) }, after: { status: 'revoked' } },
      });
      return ok(toInvitation((await stores.invitations.get(org, id)) as InvitationRow, now));
    });
  }

  /** The invitation a presented link names, if its secret matches; undefined for anything else. */
  async resolve(token: string): Promise<ResolvedLink | undefined> {
    const match = TOKEN.exec(token);
    if (!match?.[1] || !match[2]) return undefined;
    const { stores, clock } = this.ctx;
    const row = await stores.invitations.findForLink(match[1]);
    if (!row || !secretMatches(match[2], row.secret_sha256)) return undefined;
    const organization = await stores.organizations.findById(row.organization_id);
    if (!organization) return undefined;
    const now = clock.now();
    const status = statusOf(row, now);
    const state: LinkState =
      status === 'pending'
        ? 'open'
        : status === 'accepted'
          ? 'used'
          : status === 'revoked'
            ? 'revoked'
            : 'expired';
    const inviter = await stores.users.findById(row.invited_by);
    return {
      row,
      org: orgScope(organization.id, organization.slug),
      organizationName: organization.name,
      inviterName: inviter?.display_name ?? 'An administrator',
      state,
      existingUser: (await stores.users.findByEmail(row.email)) !== undefined,
    };
  }

  /** A new visit of an open link's page: a fresh seed and nonce, replacing any earlier visit's. */
  async visit(link: ResolvedLink): Promise<PageVisit> {
    const { stores, sealedBox } = this.ctx;
    const nonce = newSecret();
    const nonceSha256 = sha256(nonce);
    const totpSeed = newTotpSeed();
    await stores.invitations.recordVisit(
      link.org,
      link.row.id,
      nonceSha256,
      sealedBox.seal(totpSeed, invitationSeedAad(link.row.id, nonceSha256)),
    );
    return { nonce, totpSeed };
  }

  /** The visit a posted form belongs to, if it is the latest one; undefined for any other nonce. */
  visitOf(link: ResolvedLink, nonce: string | undefined): PageVisit | undefined {
    const stored = link.row.visit_nonce_sha256;
    if (!nonce || !stored || !secretMatches(nonce, stored)) return undefined;
    const totpSeed = this.ctx.sealedBox.open(
      link.row.totp_seed_sealed,
      invitationSeedAad(link.row.id, stored),
    );
    return { nonce, totpSeed };
  }

  /** A new person sets a password and proves the authenticator works with a code from it. */
  async enrollNew(
    link: ResolvedLink,
    visit: PageVisit,
    input: { password: string; totp: string },
    request: AuditRequestMeta,
  ): Promise<Result<{ userId: string }>> {
    const { stores, clock, sealedBox, auditLog } = this.ctx;
    const step = matchTotpStep(visit.totpSeed, input.totp, clock.now());
    if (step === undefined) {
      // A wrong code on a link is on record: many of them would be someone trying the link's page.
      await recordInBothLogs(
        auditLog,
        link.org,
        { actor: { type: 'anonymous', id: 'anonymous' }, request },
        {
          action: 'member.enroll_refused',
          resource: { type: 'invitation', id: link.row.id },
          change: { before: null, after: { reason: 'wrong-code' } },
          outcome: 'failure',
        },
      );
      return fail(
        'invalid-credentials',
        'That code does not match: check the authenticator’s clock and try the next code.',
      );
    }
    // Hashed before the transaction: a database write never waits on argon2.
    const passwordHash = await hashPassword(input.password);
    const userId = newId('usr');
    return stores.db.inTenant(link.org, async (): Promise<Result<{ userId: string }>> => {
      if (await stores.users.findByEmail(link.row.email))
        return fail('conflict', 'An account with this address exists now; open the link again to sign in.');
      await stores.users.create({
        id: userId,
        email: link.row.email,
        display_name: link.row.display_name,
        password_hash: passwordHash,
        totp_seed_sealed: sealedBox.seal(visit.totpSeed, totpSeedAad(userId)),
        // The code just used is spent: signing in takes the next one.
        totp_last_step: step,
        created_at: clock.now(),
        disabled_at: null,
        last_sign_in_at: null,
      });
      return this.#join(link, userId, request);
    });
  }

  /** A person who has an account already proves it is theirs (password and code) to accept. */
  async enrollExisting(
    link: ResolvedLink,
    input: { password: string; totp: string },
    request: AuditRequestMeta,
  ): Promise<Result<{ userId: string }>> {
    const user = await this.ctx.sessions.verifyCredentials(
      link.row.email,
      input.password,
      input.totp,
      request,
    );
    if (!user.ok) return user;
    return this.ctx.stores.db.inTenant(link.org, async () => {
      if (await this.ctx.stores.memberships.get(link.org, user.value.id))
        return fail<{ userId: string }>('conflict', 'You are already a member of this organization.');
      return this.#join(link, user.value.id, request);
    });
  }

  /** Uses the link (once) and adds the membership, in the caller's transaction. */
  async #join(
    link: ResolvedLink,
    userId: string,
    request: AuditRequestMeta,
  ): Promise<Result<{ userId: string }>> {
    const { stores, clock, auditLog } = this.ctx;
    const now = clock.now();
    // Used, revoked or expired since the page was opened: throwing rolls back the account made with it.
    if (!(await stores.invitations.accept(link.org, link.row.id, userId, now))) throw new LinkSpent();
    await stores.memberships.add(link.org, userId, link.row.role, now);
    await recordInBothLogs(
      auditLog,
      link.org,
      { actor: { type: 'user', id: userId }, request },
      {
        action: 'member.add',
        resource: { type: 'user', id: userId },
        change: { before: null, after: { role: link.row.role, invitation: link.row.id } },
      },
    );
    return ok({ userId });
  }
}

/** The link was used, revoked or expired between opening the page and sending it: undo everything. */
export class LinkSpent extends Error {
  constructor() {
    super('The enrollment link is no longer open.');
  }
}
