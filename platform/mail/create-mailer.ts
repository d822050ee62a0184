import { join } from 'node:path';
import type { DataDir } from '../data-dir';
import { type Mailer, senderOf } from './mailer';
import { OutboxMailer } from './outbox-mailer';
import { SmtpMailer } from './smtp-mailer';

/** The data directory's outbox unless the platform was started with an SMTP server to send through. */
export function createMailer(dataDir: DataDir, host: string, smtpUrl: string | undefined): Mailer {
  const from = senderOf(host);
  return smtpUrl ? new SmtpMailer(smtpUrl, from) : new OutboxMailer(outboxOf(dataDir), from);
}

export function outboxOf(dataDir: DataDir): string {
  return join(dataDir.path, 'outbox');
}
