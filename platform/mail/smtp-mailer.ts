import nodemailer, { type Transporter } from 'nodemailer';
import { fail, ok, type Result } from '../../shared/result';
import type { Mailer, MailMessage } from './mailer';

/** An SMTP URL as it may be printed: its password (and any token in it) replaced. */
export function redactedSmtpUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return 'an SMTP server (its URL does not parse)';
  }
}

/**
 * Sends through an SMTP server (`--smtp-url smtps://user:password@host:465`). Bounded waits: an invitation
 * is sent while its request is carried out, so a server that does not answer fails it rather than hangs.
 */
export class SmtpMailer implements Mailer {
  readonly #transport: Transporter;
  readonly describe: string;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    const parsed = new URL(url);
    if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:')
      throw new Error('--smtp-url must be smtp://… or smtps://…');
    const secure = parsed.protocol === 'smtps:';
    this.#transport = nodemailer.createTransport({
      host: parsed.hostname,
      port: parsed.port ? Number(parsed.port) : secure ? 465 : 587,
      secure,
      // Plain smtp:// still upgrades with STARTTLS when the server offers it.
      ...(parsed.username
        ? {
            auth: {
              user: decodeURIComponent(parsed.username),
              pass: decodeURIComponent(parsed.password),
            },
          }
        : {}),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    this.describe = `the SMTP server ${redactedSmtpUrl(url)}`;
  }

  async send(message: MailMessage): Promise<Result<void>> {
    try {
      await this.#transport.sendMail({ from: this.from, ...message });
      return ok(undefined);
    } catch {
      // The error may quote the server's reply or the URL: it is not passed on.
      return fail('unavailable', 'The mail server did not take the message; try again later.');
    }
  }
}
