import type { Result } from '../../shared/result';

/** One plain-text message to one address. */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/**
 * How the platform sends mail: to the data directory's outbox (development, tests, the demo) or through an
 * SMTP server. A message may carry a credential (an enrollment link): a mailer never logs a message's body.
 */
export interface Mailer {
  /** Where messages go, safe to print (an SMTP URL without its password). */
  readonly describe: string;
  send(message: MailMessage): Promise<Result<void>>;
}

/** The sender every message names. */
export function senderOf(host: string): string {
  return `Compliance Console <no-reply@${host}>`;
}
