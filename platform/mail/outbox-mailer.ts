import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { fail, ok, type Result } from '../../shared/result';
import type { Mailer, MailMessage } from './mailer';

/**
 * Writes each message as an .eml file into a folder (the data directory's `outbox/`), as a mail server
 * would deliver it: what `npm start` and the tests use, and what a person reads as the invitee's mail.
 * A file is written under a temporary name, flushed and renamed, so a reader never sees half a message;
 * folder 0700, files 0600, since a message may carry a one-time credential.
 */
export class OutboxMailer implements Mailer {
  readonly #compose = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(
    readonly folder: string,
    private readonly from: string,
  ) {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
  }

  get describe(): string {
    return `the outbox folder ${this.folder}`;
  }

  async send(message: MailMessage): Promise<Result<void>> {
    const composed = await this.#compose.sendMail({ from: this.from, ...message });
    const bytes = composed.message as Buffer;
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID()}.eml`;
    const temporary = join(this.folder, `.${name}.tmp`);
    try {
      const fd = openSync(temporary, 'wx', 0o600);
      try {
        writeSync(fd, bytes);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, join(this.folder, name));
      return ok(undefined);
    } catch {
      return fail('internal', 'The message could not be written to the outbox.');
    }
  }
}
