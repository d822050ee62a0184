import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Secret } from 'otpauth';
import { Environment } from '../../shared/domain/environments';
import { breakGlassApprove } from '../approvals/break-glass';
import { rotateAuditSigningKey } from '../audit/key-rotation';
import { totpCode } from '../auth/totp';
import { createContext, type PlatformContext } from '../context';
import { DataDir } from '../data-dir';
import { backupSqliteDatabase, openSqliteDatabase } from '../db/database';
import { migrate } from '../db/migrate';
import { isPostgresUrl, migratePostgres, openPostgresDatabase } from '../db/postgres';
import { orgScope, TENANT_FILTERS_OFF_VARIABLE, tenantScope } from '../db/scope';
import { rotateMasterKey } from '../evidence/master-key-rotation';
import { isSeeded, printDemoCredentials, seedLivedInDemo } from '../seed/demo';
import { formatSummary } from '../seed/summary';
import { WebhookService } from '../webhooks/webhook-service';
import { carriesPassword, serve } from './serve';

const usage = `Usage: npm run platform -- <command> [options]

Commands:
  serve [--port N] [--host H] [--data DIR] [--database URL] [--allow-private-webhooks] [--smtp-url URL]
                                             run the platform API (the flag lets webhooks reach this
                                             machine and private networks: development only); several
                                             processes may serve one PostgreSQL database. Invitations
                                             are mailed through --smtp-url (smtp:// or smtps://user:pass@host)
                                             or else written to DIR/outbox/ as .eml files

  seed --demo [--data DIR]                   create the demo organizations acme and globex, with about
                                             two months of history (requests, evidence, keys, audit)
  demo [--port N] [--data DIR] [--smtp-url URL]
                                             seed on first run, then serve (what \`npm start\` runs)
  migrate [--data DIR]                       bring the database's schema to this build's newest step
                                             (on SQLite, serve, demo and every other command do it too)
  migrate --database URL --app-role ROLE     the same on PostgreSQL, connected as the owner role; then
                                             grants ROLE (what the platform connects as) its rights
  backup --out FILE [--data DIR]             a consistent copy of the SQLite database while the platform
                                             runs (SQLite's online backup API); PostgreSQL: pg_dump, see README
  totp                                       read a base32 TOTP secret on stdin, print the current code
  audit-key [--data DIR]                     print the audit verifier keys, oldest first (pin the last)
  audit-export --org SLUG --env ENV --out FILE [--start N] [--end N] [--data DIR]
                                             write an audit export file
  rotate-audit-key [--data DIR]              announce and switch to a new checkpoint-signing key
  rotate-evidence-key [--data DIR]           a new evidence master key; every tenant's data key re-wrapped

--database postgres://… (or CC_DATABASE_URL) points any command but demo at PostgreSQL instead of the
data directory's SQLite file; the data directory then holds only the key files, which every process
serving that database must share. CC_SMTP_URL stands for --smtp-url. A URL with a password belongs in
these variables: a command line is readable by every user of the machine (ps).
  break-glass --org SLUG --env ENV --request ID --reason TEXT [--data DIR]
                                             the operator's co-signature on a policy change of an
                                             organization with too few people to approve it itself
`;

const defaultDataDir = join(homedir(), '.compliance-console', 'demo-platform');

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '4610' },
      host: { type: 'string', default: '127.0.0.1' },
      data: { type: 'string' },
      database: { type: 'string' },
      'app-role': { type: 'string' },
      demo: { type: 'boolean', default: false },
      org: { type: 'string' },
      env: { type: 'string' },
      out: { type: 'string' },
      start: { type: 'string' },
      end: { type: 'string' },
      request: { type: 'string' },
      reason: { type: 'string' },
      'allow-private-webhooks': { type: 'boolean', default: false },
      'smtp-url': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(usage);
    return command || values.help ? 0 : 2;
  }
  const dataDir = values.data ?? defaultDataDir;
  if (process.env[TENANT_FILTERS_OFF_VARIABLE] !== undefined) {
    // A test-only switch (scope.ts): the platform never runs with it, whatever else is set.
    process.stderr.write(`${TENANT_FILTERS_OFF_VARIABLE} is for tests only; unset it.\n`);
    return 2;
  }
  const database = values.database ?? process.env.CC_DATABASE_URL;
  const smtpUrl = values['smtp-url'] ?? process.env.CC_SMTP_URL;
  for (const [flag, variable] of [
    ['database', 'CC_DATABASE_URL'],
    ['smtp-url', 'CC_SMTP_URL'],
  ] as const) {
    if (carriesPassword(values[flag]))
      process.stderr.write(
        `--${flag} carries a password, which every user of this machine can read in the process list; set ${variable} instead.\n`,
      );
  }
  if (database !== undefined && !isPostgresUrl(database)) {
    process.stderr.write('--database must be a postgres:// URL.\n');
    return 2;
  }
  const withContext = <T>(run: (ctx: PlatformContext) => T | Promise<T>) =>
    withContextOn(dataDir, database, run);
  switch (command) {
    case 'serve':
      return serve(
        dataDir,
        database,
        values.host,
        Number(values.port),
        values['allow-private-webhooks'],
        smtpUrl,
      );
    case 'seed': {
      if (!values.demo) {
        process.stderr.write('seed needs --demo (the only seed there is).\n');
        return 2;
      }
      if (database !== undefined) {
        process.stderr.write('seed --demo makes demo data in a data directory (SQLite) only.\n');
        return 2;
      }
      if (await withContext(isSeeded)) {
        process.stderr.write(`The demo organizations already exist in ${dataDir}.\n`);
        return 1;
      }
      await seedDemoData(dataDir, Number(values.port));
      return 0;
    }
    case 'demo': {
      if (database !== undefined) {
        process.stderr.write('demo runs on the data directory (SQLite) only.\n');
        return 2;
      }
      if (await withContext(isSeeded)) {
        process.stdout.write(
          `Using the demo data in ${dataDir} (credentials were shown when it was created).\n`,
        );
      } else {
        await seedDemoData(dataDir, Number(values.port));
      }
      // The demo shares its terminal with the console's address: its request log goes to a file.
      return serve(
        dataDir,
        undefined,
        '127.0.0.1',
        Number(values.port),
        values['allow-private-webhooks'],
        smtpUrl,
        join(dataDir, 'platform.log'),
      );
    }
    case 'migrate':
      return database === undefined
        ? migrateDatabase(dataDir)
        : migratePostgresDatabase(database, values['app-role']);
    case 'backup':
      if (database !== undefined) {
        process.stderr.write('backup copies the SQLite database; for PostgreSQL use pg_dump (see README).\n');
        return 2;
      }
      return backup(dataDir, values.out);
    case 'totp': {
      const secret = (await readStdin()).trim();
      process.stdout.write(`${totpCode(Secret.fromBase32(secret).bytes, Date.now())}\n`);
      return 0;
    }
    case 'audit-key':
      return withContext((ctx) => {
        process.stdout.write(`${ctx.auditKeys.verifierKeys.join('\n')}\n`);
        return 0;
      });
    case 'audit-export':
      return withContext((ctx) => writeAuditExport(ctx, values));
    case 'rotate-audit-key':
      return withContext(async (ctx) => {
        const { previous, current } = await rotateAuditSigningKey(ctx);
        process.stdout.write(
          `Announced and switched checkpoint signing.\n  previous ${previous}\n  current  ${current}\n`,
        );
        return 0;
      });
    case 'rotate-evidence-key':
      return withContext(async (ctx) => {
        const rotated = await rotateMasterKey(ctx, (n) => {
          if (n % 100 === 0) process.stdout.write(`  ${n} data keys re-wrapped\n`);
        });
        process.stdout.write(
          `The evidence master key is now ${rotated.keyId}; ${rotated.rewrapped} data keys were re-wrapped and the old key dropped.\n`,
        );
        return 0;
      });
    case 'break-glass':
      return withContext((ctx) => breakGlass(ctx, values));
    default:
      process.stderr.write(`Unknown command: ${command}\n\n${usage}`);
      return 2;
  }
}

/** The lived-in demo: two organizations with about two months of history, and their credentials, once. */
async function seedDemoData(dataDir: string, port: number): Promise<void> {
  process.stdout.write(`Creating the demo organizations and their history in ${dataDir}…\n`);
  const started = performance.now();
  // The history's invitations are mailed to the outbox with links to the demo's own address.
  const seeded = await seedLivedInDemo(dataDir, { publicOrigin: `http://127.0.0.1:${port}` }).catch(
    (error: unknown) => {
      // Nothing of a half-played history can be rolled back (blobs, signed checkpoints): say so plainly.
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `Seeding the demo failed: ${reason}\n${dataDir} is incomplete; remove it and start again.`,
      );
    },
  );
  const { users, summary } = seeded;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`Seeded in ${seconds} s:\n${formatSummary(summary)}\n`);
  printDemoCredentials(users, process.stdout);
  process.stdout.write(
    `The history's invitations were mailed to ${join(dataDir, 'outbox')} (open an .eml file there as the invitee would).\n`,
  );
}

async function withContextOn<T>(
  dataDir: string,
  database: string | undefined,
  run: (ctx: PlatformContext) => T | Promise<T>,
): Promise<T> {
  const ctx = await createContext(dataDir, database === undefined ? {} : { database });
  try {
    return await run(ctx);
  } finally {
    await ctx.close();
  }
}

/** Applies the schema steps this build has and the database lacks, and says which. */
async function migrateDatabase(dataDir: string): Promise<number> {
  const database = await openSqliteDatabase(new DataDir(dataDir).databaseFile, { migrate: false });
  try {
    const run = await migrate(database);
    for (const name of run.applied) process.stdout.write(`  applied ${name}\n`);
    process.stdout.write(
      run.applied.length === 0
        ? `The database in ${dataDir} is up to date (${run.total} schema steps).\n`
        : `The database in ${dataDir} now has all ${run.total} schema steps.\n`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

/**
 * `migrate` on PostgreSQL: connected as the owner role (the URL's), applies the steps and grants the
 * application role its rights (see db/postgres.ts).
 */
async function migratePostgresDatabase(url: string, appRole: string | undefined): Promise<number> {
  if (!appRole) {
    process.stderr.write('migrate --database needs --app-role ROLE: the role the platform connects as.\n');
    return 2;
  }
  const database = openPostgresDatabase({ url, poolSize: 1, applicationName: 'compliance-migrate' });
  try {
    const run = await migratePostgres(database, appRole);
    for (const name of run.applied) process.stdout.write(`  applied ${name}\n`);
    process.stdout.write(
      `The database has all ${run.total} schema steps; ${appRole} may read and write the platform's rows.\n`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

/** A consistent copy of the SQLite database, taken page by page while the platform may go on writing. */
async function backup(dataDir: string, out: string | undefined): Promise<number> {
  if (!out) {
    process.stderr.write('backup needs --out FILE.\n');
    return 2;
  }
  const { pages } = await backupSqliteDatabase(new DataDir(dataDir).databaseFile, out);
  process.stdout.write(
    `Backed up ${dataDir}'s database to ${out} (${pages} pages). Keep the data directory's key files too:\n` +
      '  without them the evidence and sealed secrets in the copy cannot be read.\n',
  );
  return 0;
}

async function writeAuditExport(
  ctx: PlatformContext,
  values: { org?: string; env?: string; out?: string; start?: string; end?: string },
): Promise<number> {
  const env = Environment.safeParse(values.env);
  const org = values.org ? await ctx.stores.organizations.findBySlug(values.org) : undefined;
  if (!org || !env.success || !values.out) {
    process.stderr.write(
      'audit-export needs --org of an existing organization, --env test|live and --out FILE.\n',
    );
    return 2;
  }
  const start = optionalIndex(values.start);
  const end = optionalIndex(values.end);
  if (start === null || end === null) {
    process.stderr.write('--start and --end must be whole numbers.\n');
    return 2;
  }
  const range = { start, end };
  const tenant = tenantScope(orgScope(org.id, org.slug), env.data);
  const context = { actor: { type: 'system' as const, id: 'platform-cli' }, request: null };
  const exported = await ctx.audit.export(tenant, context, range, new Date());
  if (!exported.ok) {
    process.stderr.write(`${exported.error.message}\n`);
    return 2;
  }
  const temporary = `${values.out}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o644);
  try {
    for await (const chunk of exported.value.chunks) writeSync(fd, chunk);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, values.out);
  process.stdout.write(
    `Wrote entries ${exported.value.start} to ${exported.value.end} of ${ctx.auditLog.origin(tenant)} to ${values.out}.\n`,
  );
  return 0;
}

async function breakGlass(
  ctx: PlatformContext,
  values: { org?: string; env?: string; request?: string; reason?: string },
): Promise<number> {
  const env = Environment.safeParse(values.env);
  const org = values.org ? await ctx.stores.organizations.findBySlug(values.org) : undefined;
  if (!org || !env.success || !values.request || !values.reason) {
    process.stderr.write('break-glass needs --org, --env test|live, --request and --reason.\n');
    return 2;
  }
  const tenant = tenantScope(orgScope(org.id, org.slug), env.data);
  const context = { actor: { type: 'system' as const, id: 'platform-operator' }, request: null };
  const done = await breakGlassApprove(
    ctx,
    new WebhookService(ctx),
    tenant,
    values.request,
    values.reason,
    context,
  );
  if (!done.ok) {
    process.stderr.write(`${done.error.message}\n`);
    return 1;
  }
  process.stdout.write(
    `Co-signed as the platform operator and recorded in the audit log: ${done.value.outcome}.\n`,
  );
  return 0;
}

function optionalIndex(text: string | undefined): number | undefined | null {
  if (text === undefined) return undefined;
  return /^\d{1,15}$/.test(text) ? Number(text) : null;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : 'Failed'}\n`);
    process.exitCode = 1;
  },
);
