import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TestPlatform } from './platform';

/** One message of the platform's outbox, as the addressee's mail program would show it. */
export interface OutboxMessage {
  readonly file: string;
  readonly mode: number;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

function decodeQuotedPrintable(body: string): string {
  const bytes = body
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** Every message in the outbox of the platform's data directory, oldest first, once sending has settled. */
export async function outbox(platform: TestPlatform): Promise<OutboxMessage[]> {
  await platform.ctx.outgoingMail.idle();
  const folder = join(platform.dataDir, 'outbox');
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => name.endsWith('.eml'));
  } catch {
    return [];
  }
  return names.sort().map((name) => {
    const file = join(folder, name);
    const raw = readFileSync(file, 'utf8');
    const split = raw.search(/\r?\n\r?\n/);
    const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
    const header = (field: string) => new RegExp(`^${field}: (.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
    const body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
    const qp = /quoted-printable/i.test(header('Content-Transfer-Encoding'));
    return {
      file,
      mode: statSync(file).mode & 0o777,
      to: header('To'),
      subject: header('Subject'),
      text: qp ? decodeQuotedPrintable(body) : body,
    };
  });
}

/** The enrollment link in the latest invitation mailed to `email`, as the invitee reads it. */
export async function invitationLinkFor(platform: TestPlatform, email: string): Promise<string> {
  const messages = (await outbox(platform)).filter((m) => m.to.includes(email));
  const last = messages.at(-1);
  const link = last && /https?:\/\/\S+\/enroll\?token=\S+/.exec(last.text)?.[0];
  if (!link) throw new Error(`No invitation in the outbox for ${email}`);
  return link;
}
