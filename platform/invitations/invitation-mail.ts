import type { MailMessage } from '../mail/mailer';

/** A role as a sentence says it. */
export const roleWords: Readonly<Record<string, string>> = {
  owner: 'an owner',
  admin: 'an admin',
  compliance_officer: 'a compliance officer',
  member: 'a member',
  auditor: 'an auditor',
  viewer: 'a viewer',
};

/** The invitation as the invitee reads it: who asks them to join what, and the one-time link. */
export function invitationMail(invite: {
  readonly to: string;
  readonly displayName: string;
  readonly organizationName: string;
  readonly inviterName: string;
  readonly role: string;
  readonly link: string;
  readonly expiresAt: number;
}): MailMessage {
  return {
    to: invite.to,
    subject: `Join ${invite.organizationName} on Compliance Console`,
    text: [
      `Hello ${invite.displayName},`,
      '',
      `${invite.inviterName} invited you to join ${invite.organizationName} as ${roleWords[invite.role] ?? invite.role}.`,
      'Open this link to set a password and add the account to your authenticator app:',
      '',
      invite.link,
      '',
      `It works once, until ${new Date(invite.expiresAt).toUTCString()}. It is yours alone: do not forward it.`,
      'If you did not expect this invitation, ignore this message.',
      '',
    ].join('\n'),
  };
}
