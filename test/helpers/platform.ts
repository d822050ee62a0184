import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { totpCode } from '../../platform/auth/totp';
import type { Clock } from '../../platform/clock';
import { createContext, type PlatformContext } from '../../platform/context';
import { orgScope } from '../../platform/db/scope';
import { createLogger } from '../../platform/http/logging';
import { buildServer, type ServerOptions } from '../../platform/http/server';
import { type DemoUser, seedDemo } from '../../platform/seed/demo';
import type { TokenPair } from '../../shared/api/auth';
import type { RoleName } from '../../shared/domain/permissions';
import { createTestDatabase, type TestDatabase, testEngine } from './postgres';

/** Real time that tests can move forward, to reach expiry and fresh TOTP steps without waiting. */
export class AdjustableClock implements Clock {
  #offset = 0;
  now(): number {
    return Date.now() + this.#offset;
  }
  advance(ms: number): void {
    this.#offset += ms;
  }
}

export interface TestPlatform {
  /** These three change when the platform restarts (`restart`). */
  readonly url: string;
  readonly ctx: PlatformContext;
  readonly app: FastifyInstance;
  readonly clock: AdjustableClock;
  readonly dataDir: string;
  /** On PostgreSQL, the test file's own database (see test/helpers/postgres.ts); undefined on SQLite. */
  readonly database: TestDatabase | undefined;
  /** The options that point the platform's CLI at this platform's data: `--data DIR` (and `--database URL`). */
  readonly cliOptions: readonly string[];
  /** What createContext needs besides the data directory to open this platform's data again. */
  readonly contextOptions: { readonly database?: string };
  /** After closing the app and context by hand: the data directory and the database go. */
  discard(): Promise<void>;
  /** Every line the server logged, as written. */
  readonly logLines: string[];
  readonly users: readonly DemoUser[];
  user(organization: string, role: RoleName): DemoUser;
  signIn(user: DemoUser): Promise<TokenPair>;
  /** A fresh TOTP code for the user, moving the clock past any step already used. */
  totp(user: DemoUser): string;
  /**
   * Test setup only: puts kinds in lanes for an organization by writing its policy row, as the seed does.
   * The product changes its policy only through an approved policy.update request.
   */
  setLanes(organization: string, lanes: Record<string, { test: string; live: string }>): Promise<void>;
  call(method: string, path: string, options?: CallOptions): Promise<CallResult>;
  /**
   * Every byte the database holds, for scans for secrets: on SQLite the files (main file, WAL and shared
   * memory), on PostgreSQL every value of every row of every table, as stored.
   */
  databaseBytes(): Promise<Buffer>;
  /**
   * Stops the server and closes the database, then starts a new context and server on the same data
   * directory (and database) and clock (a platform restart: the sweeper catches up at start). The demo is
   * not seeded again.
   */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface CallOptions {
  readonly token?: string;
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
}

export interface CallResult {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON replies
  readonly json: any;
}

/**
 * Starts a real platform server on 127.0.0.1 with a fresh data directory and the demo tenants. Unless
 * `defaultPolicy` is set, both demo organizations put API-key writes and role changes in the green lane
 * in both environments, so tests about other things can make them directly; the approval tests use the default.
 */
export async function startPlatform(
  options: Partial<Omit<ServerOptions, 'logger'>> & {
    defaultPolicy?: boolean;
    /** The development option that lets webhooks reach a receiver on this machine. */
    allowPrivateWebhookTargets?: boolean;
    /** Send mail through this SMTP server instead of the data directory's outbox (--smtp-url). */
    smtpUrl?: string;
  } = {},
): Promise<TestPlatform> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cc-platform-'));
  const clock = new AdjustableClock();
  const database = testEngine === 'postgres' ? await createTestDatabase() : undefined;
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const { defaultPolicy: _d, allowPrivateWebhookTargets: _a, smtpUrl: _s, ...serverOptions } = options;
  const open = async () => {
    const context = await createContext(dataDir, {
      clock,
      allowPrivateWebhookTargets: options.allowPrivateWebhookTargets === true,
      ...(options.smtpUrl ? { smtpUrl: options.smtpUrl } : {}),
      ...(database ? { database: database.appUrl } : {}),
    });
    const server = await buildServer(context, {
      logger: createLogger({ level: 'debug', destination }),
      rateLimits: {
        signIn: { max: 10_000, timeWindowMs: 60_000 },
        keys: { max: 10_000, timeWindowMs: 60_000 },
      },
      ...serverOptions,
    });
    return { context, server, address: await server.listen({ host: '127.0.0.1', port: 0 }) };
  };
  let { context: ctx, server: app, address: url } = await open();
  const users = await seedDemo(ctx);
  if (!options.defaultPolicy) {
    const green = { test: 'green', live: 'green' };
    const lanes = JSON.stringify({
      'member.role_change': green,
      'api_key.create': green,
      'api_key.rotate': green,
      'api_key.revoke': green,
    });
    for (const slug of ['acme', 'globex']) {
      const org = await ctx.stores.organizations.findBySlug(slug);
      if (org)
        await ctx.stores.policies.put(orgScope(org.id, org.slug), {
          lanes,
          red_approvals: 2,
          expiry_days: 7,
          audit_retention_days: null,
        });
    }
  }

  const totp = (user: DemoUser): string => {
    clock.advance(30_000);
    return totpCode(user.totpSeed, clock.now());
  };

  const call = async (method: string, path: string, opts: CallOptions = {}): Promise<CallResult> => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.rawBody !== undefined) body = opts.rawBody;
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${url}${path}`, { method, headers, body });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  };

  const user = (organization: string, role: RoleName): DemoUser => {
    const found = users.find((u) => u.organization === organization && u.role === role);
    if (!found) throw new Error(`No demo user ${role}@${organization}`);
    return found;
  };

  return {
    get url() {
      return url;
    },
    get ctx() {
      return ctx;
    },
    get app() {
      return app;
    },
    clock,
    dataDir,
    database,
    cliOptions: ['--data', dataDir, ...(database ? ['--database', database.appUrl] : [])],
    contextOptions: database ? { database: database.appUrl } : {},
    async discard() {
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
    logLines,
    users,
    user,
    totp,
    call,
    async setLanes(organization, lanes) {
      const org = await ctx.stores.organizations.findBySlug(organization);
      if (!org) throw new Error(`No organization ${organization}`);
      const scope = orgScope(org.id, org.slug);
      const row = await ctx.stores.policies.get(scope);
      await ctx.stores.policies.put(scope, {
        lanes: JSON.stringify({ ...(row ? JSON.parse(row.lanes) : {}), ...lanes }),
        red_approvals: row?.red_approvals ?? 2,
        expiry_days: row?.expiry_days ?? 7,
        audit_retention_days: row?.audit_retention_days ?? null,
      });
    },
    async signIn(u) {
      const reply = await call('POST', '/v1/auth/sign-in', {
        body: { email: u.email, password: u.password, totp: totp(u) },
      });
      if (reply.status !== 200) throw new Error(`Sign-in failed for ${u.email}: ${reply.text}`);
      return reply.json as TokenPair;
    },
    async databaseBytes() {
      if (database) return everyStoredValue(database.inspector);
      const files = readdirSync(dataDir).filter((f) => f.startsWith('platform.sqlite'));
      return Buffer.concat(files.map((f) => readFileSync(join(dataDir, f))));
    },
    async restart() {
      await app.close();
      await ctx.close();
      ({ context: ctx, server: app, address: url } = await open());
    },
    async stop() {
      await app.close();
      await ctx.close();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Test only: one statement straight to the platform's database, past the stores, to tamper with rows or
 * read what no store exposes. Written with Kysely's `sql` so the same test runs on either engine: on
 * PostgreSQL as the test admin (row-level security does not hide rows from it; triggers still fire).
 */
export async function rawSql<R = Record<string, unknown>>(
  platform: { readonly ctx: PlatformContext; readonly database?: TestDatabase | undefined },
  query: RawBuilder<R>,
): Promise<R[]> {
  if (platform.database) return (await query.execute(platform.database.inspector)).rows;
  return (await platform.ctx.stores.db.global((q) => query.execute(q))).rows;
}

/** Every value in every table of a PostgreSQL database, text as UTF-8 and bytea as its bytes. */
async function everyStoredValue(inspector: Kysely<unknown>): Promise<Buffer> {
  const tables = await sql<{ name: string }>`SELECT tablename AS name FROM pg_tables
    WHERE schemaname = 'public'`.execute(inspector);
  const parts: Buffer[] = [];
  for (const { name } of tables.rows) {
    const rows = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(name)}`.execute(inspector);
    for (const row of rows.rows) {
      for (const value of Object.values(row)) {
        if (value === null || value === undefined) continue;
        parts.push(Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8'));
      }
    }
  }
  return Buffer.concat(parts);
}
