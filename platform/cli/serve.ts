import pino from 'pino';
import { createContext } from '../context';
import { sealLegacyEvidence } from '../evidence/legacy-evidence';
import { finishMasterKeyRotation } from '../evidence/master-key-rotation';
import { createLogger } from '../http/logging';
import { buildServer } from '../http/server';

/** Whether a URL given on the command line has a password in it (the flag's value, not the variable's). */
export function carriesPassword(url: string | undefined): boolean {
  if (url === undefined) return false;
  try {
    return new URL(url).password !== '';
  } catch {
    return false;
  }
}

/**
 * `serve` and `demo`: the platform API on `host:port` until SIGINT or SIGTERM, after finishing what a
 * previous run left undone (evidence from before encryption at rest, a master-key rotation cut short).
 */
export async function serve(
  dataDir: string,
  database: string | undefined,
  host: string,
  port: number,
  allowPrivateWebhookTargets: boolean,
  smtpUrl: string | undefined,
  logFile?: string,
): Promise<number> {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write('--port must be a number from 0 to 65535.\n');
    return 2;
  }
  const ctx = await createContext(dataDir, {
    allowPrivateWebhookTargets,
    ...(smtpUrl ? { smtpUrl } : {}),
    ...(database === undefined ? {} : { database }),
  });
  // Work a previous run left unfinished, before the first request: evidence from before encryption at
  // rest, and a master-key rotation cut short.
  const sealed = await sealLegacyEvidence(ctx);
  if (sealed > 0)
    process.stdout.write(`Encrypted ${sealed} evidence files kept in clear by an older version.\n`);
  await finishMasterKeyRotation(ctx);
  if (allowPrivateWebhookTargets) {
    process.stdout.write(
      'Webhooks may reach this machine and private networks (--allow-private-webhooks).\n',
    );
  }
  const destination = logFile ? pino.destination({ dest: logFile, mkdir: true, sync: false }) : undefined;
  const app = await buildServer(ctx, { logger: createLogger(destination ? { destination } : {}) });
  const address = await app.listen({ host, port });
  const where = database === undefined ? `data in ${dataDir}` : `PostgreSQL, keys in ${dataDir}`;
  process.stdout.write(`Platform API listening on ${address} (${where}). Ctrl+C stops it.\n`);
  if (logFile) process.stdout.write(`Its request log: ${logFile}\n`);
  // Where an invitee's enrollment link goes (the SMTP URL is shown without its password).
  process.stdout.write(`Invitations are mailed to ${ctx.mailer.describe}.\n`);
  const stop = async () => {
    await app.close();
    await ctx.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise<number>(() => {});
}
