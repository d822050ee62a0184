// npm run bench:approvals -- --postgres: the approval queue on SQLite, on PostgreSQL with one platform
// process, and on PostgreSQL with two processes on one database (clients alternate between them, as
// behind a load balancer), side by side in one run. For each: list and decide throughput (32 clients back to
// back) and p50 / p99 at one fixed offered load, the same for all three (open loop, latency from each
// request's scheduled time). PostgreSQL is the loopback cluster .ci/postgres.sh sets up, a database of its
// own, synchronous commit on as in production. The SQLite run is the baseline measured in the same run.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createTestDatabase } from '../test/helpers/postgres';
import type { Approver } from './approvals';

type Op = (client: number, i: number) => Promise<number>;
type Pending = Map<string, { id: string; payloadHash: string }[]>;

export interface LoadTools {
  prepare(
    dir: string,
    database?: string,
    requests?: number,
  ): Promise<{ approvers: Approver[]; pending: Pending; sink: Server }>;
  startServer(dir: string, database?: string): Promise<{ url: string; child: ChildProcess }>;
  lister(urlFor: (client: number) => string, approvers: readonly Approver[]): Op;
  decider(urlFor: (client: number) => string, approvers: readonly Approver[], pending: Pending): Op;
  phase(name: string, perClient: number, op: Op): Promise<{ perSecond: number; p50: number; p99: number }>;
  atLoad(
    name: string,
    rate: number,
    seconds: number,
    op: Op,
  ): Promise<{ rate: number; p50: number; p99: number }>;
  failureCount(name: string): number;
  log(line: string): void;
}

const REQUESTS = Number(process.env.BENCH_APPROVAL_REQUESTS ?? 2_000);
const LIST_RATE = Number(process.env.BENCH_LIST_RATE ?? 60);
const DECIDE_RATE = Number(process.env.BENCH_DECIDE_RATE ?? 20);
const SECONDS = 8;
const LISTS_PER_CLIENT = 20;
const DECIDES_PER_CLIENT = 8;

export async function compareEngines(tools: LoadTools): Promise<void> {
  const { log } = tools;
  log(
    `bench:approvals --postgres — ${REQUESTS} open requests each; fixed load: list ${LIST_RATE}/s, decide ${DECIDE_RATE}/s for ${SECONDS} s`,
  );
  const sqliteDir = mkdtempSync(join(tmpdir(), 'cc-bench-sqlite-'));
  const pgDir = mkdtempSync(join(tmpdir(), 'cc-bench-pg-'));
  const database = await createTestDatabase();
  const servers: ChildProcess[] = [];
  const sinks: Server[] = [];
  const figures: Record<string, number> = {
    open_requests: REQUESTS,
    list_rate: LIST_RATE,
    decide_rate: DECIDE_RATE,
  };
  try {
    await sql`ALTER DATABASE ${sql.id(database.name)} SET synchronous_commit = on`.execute(
      database.inspector,
    );
    log('  preparing SQLite');
    const lite = await tools.prepare(sqliteDir, undefined, REQUESTS);
    log('  preparing PostgreSQL');
    const pg = await tools.prepare(pgDir, database.appUrl, REQUESTS);
    sinks.push(lite.sink, pg.sink);
    // One decider for the database, whichever processes serve it: the PostgreSQL runs take requests from
    // one queue, none decided twice.
    let pgUrls: string[] = [];
    const pgDecide = tools.decider((c) => pgUrls[c % pgUrls.length] as string, pg.approvers, pg.pending);

    const measure = async (name: string, urls: string[], approvers: readonly Approver[], decide: Op) => {
      const urlFor = (client: number) => urls[client % urls.length] as string;
      const listOne = tools.lister(urlFor, approvers);
      const list = await tools.phase(`${name} list`, LISTS_PER_CLIENT, listOne);
      const decided = await tools.phase(`${name} decide`, DECIDES_PER_CLIENT, decide);
      const listAtLoad = await tools.atLoad(`${name} list`, LIST_RATE, SECONDS, listOne);
      const decideAtLoad = await tools.atLoad(`${name} decide`, DECIDE_RATE, SECONDS, decide);
      Object.assign(figures, {
        [`${name}_list_per_s`]: Math.round(list.perSecond),
        [`${name}_list_p99_ms`]: round(list.p99),
        [`${name}_decide_per_s`]: Math.round(decided.perSecond),
        [`${name}_decide_p99_ms`]: round(decided.p99),
        [`${name}_list_at_load_p50_ms`]: round(listAtLoad.p50),
        [`${name}_list_at_load_p99_ms`]: round(listAtLoad.p99),
        [`${name}_decide_at_load_p50_ms`]: round(decideAtLoad.p50),
        [`${name}_decide_at_load_p99_ms`]: round(decideAtLoad.p99),
        [`${name}_failed`]:
          tools.failureCount(`${name} list`) +
          tools.failureCount(`${name} list at load`) +
          tools.failureCount(`${name} decide`) +
          tools.failureCount(`${name} decide at load`),
      });
    };

    const liteServer = await tools.startServer(sqliteDir);
    servers.push(liteServer.child);
    await measure(
      'sqlite',
      [liteServer.url],
      lite.approvers,
      tools.decider(() => liteServer.url, lite.approvers, lite.pending),
    );
    liteServer.child.kill('SIGINT');

    const first = await tools.startServer(pgDir, database.appUrl);
    servers.push(first.child);
    pgUrls = [first.url];
    await measure('pg1', pgUrls, pg.approvers, pgDecide);
    const second = await tools.startServer(pgDir, database.appUrl);
    servers.push(second.child);
    pgUrls = [first.url, second.url];
    await measure('pg2', pgUrls, pg.approvers, pgDecide);

    const row = (name: string) =>
      `${name.padEnd(7)} list ${String(figures[`${name}_list_per_s`]).padStart(5)}/s p99 ${figures[`${name}_list_p99_ms`]} ms | decide ${String(figures[`${name}_decide_per_s`]).padStart(4)}/s p99 ${figures[`${name}_decide_p99_ms`]} ms | at load: list p99 ${figures[`${name}_list_at_load_p99_ms`]} ms, decide p99 ${figures[`${name}_decide_at_load_p99_ms`]} ms | ${figures[`${name}_failed`]} failed`;
    log('side by side (throughput closed loop; p99 at the fixed load):');
    for (const name of ['sqlite', 'pg1', 'pg2']) log(`  ${row(name)}`);
  } finally {
    for (const child of servers) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    }
    for (const sink of sinks) sink.close();
    await database.drop();
    rmSync(sqliteDir, { recursive: true, force: true });
    rmSync(pgDir, { recursive: true, force: true });
  }
  process.stdout.write(
    `${JSON.stringify({
      bench: 'approvals-postgres',
      figures,
      targets: [
        { figure: 'sqlite_failed', op: '<=', value: 0 },
        { figure: 'pg1_failed', op: '<=', value: 0 },
        { figure: 'pg2_failed', op: '<=', value: 0 },
      ],
    })}\n`,
  );
}

function round(ms: number): number {
  return Number(ms.toFixed(2));
}
