// npm run bench:audit — the audit log's costs, each beside a baseline measured in the same run:
//  - the verifier's throughput over a 1,000,000-entry and a 100,000-entry export, next to
//    `openssl dgst -sha256` over the same file (OpenSSL uses this CPU's SHA instructions, as Node's crypto
//    does) and `sha256sum` (coreutils, without them). The target reads the 1M run against OpenSSL. Each
//    round runs OpenSSL, sha256sum and the verifier back to back and each takes its best round, so a busy
//    moment on a shared machine costs both sides alike;
//  - the floor under the verifier: the leaf and interior-node hashes of the same file through Node's
//    one-shot SHA-256, nothing else, on one thread and on two (bench/audit-hash-floor.ts). A verifier
//    cannot beat the two-thread figure, nor half the one-thread one; the per-call cost of Node's hash (two
//    calls an entry), not the bytes, is most of it;
//  - the verifier's peak RSS at both sizes, and its growth from 100k to 1M entries as the median of the
//    rounds (memory must not grow with size);
//  - the platform's append rate, checkpoints included: on SQLite one append after another; on PostgreSQL
//    for one tenant and for 8 tenants at once, 16 in flight (audit-only appends, which group commit writes
//    several to a transaction), beside two floors measured in the same run: a bare one-row transaction at
//    the same concurrency, and bare transactions of 16 prebuilt rows one after another, which is what one
//    log's group commit can reach at best (bench/audit-postgres.ts; needs .ci/postgres.sh's cluster).
//    BENCH_AUDIT_ONLY=postgres runs this part alone.
// "Flat" memory is read as: 10x the entries adds under 20 MB of peak RSS. What it does add is the
// checkpoints (one per 1,024 entries) and the garbage collector letting its young generation grow under a
// longer run; the entries themselves are never held.
// Entry counts can be lowered for a quick look: BENCH_AUDIT_ENTRIES=200000 npm run bench:audit.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { exportChunks } from '../platform/audit/export';
import { benchPlatform, realisticEvent } from './audit-fixture';
import { postgresAppendRates } from './audit-postgres';

const LARGE = Number(process.env.BENCH_AUDIT_ENTRIES ?? 1_000_000);
const SMALL = Math.min(100_000, Math.floor(LARGE / 10));
const APPENDS = 20_000;
const POSTGRES_APPENDS = Number(process.env.BENCH_AUDIT_POSTGRES_APPENDS ?? 5_000);
const RUNS = 3;

const work = mkdtempSync(join(tmpdir(), 'cc-bench-audit-'));
const log = (line: string) => process.stdout.write(`${line}\n`);

async function appendThroughput(): Promise<number> {
  const { ctx, tenant, dir } = await benchPlatform();
  const started = performance.now();
  for (let i = 0; i < APPENDS; i++) {
    const { context, event } = realisticEvent(i);
    await ctx.auditLog.append(tenant, context, event);
  }
  const perSecond = APPENDS / ((performance.now() - started) / 1000);
  await ctx.close();
  rmSync(dir, { recursive: true, force: true });
  return perSecond;
}

async function buildExports(): Promise<{ files: Map<number, string>; key: string }> {
  const { ctx, tenant, dir } = await benchPlatform();
  const batch = (from: number, to: number) =>
    ctx.stores.db.inTenant(tenant, async () => {
      for (let i = from; i < to; i++) {
        const { context, event } = realisticEvent(i);
        await ctx.auditLog.append(tenant, context, event);
      }
    });
  const files = new Map<number, string>();
  for (let done = 0; done < LARGE; done += 10_000) {
    await batch(done, Math.min(LARGE, done + 10_000));
    if ((done + 10_000) % 200_000 === 0) log(`  built ${done + 10_000} entries`);
  }
  for (const size of [SMALL, LARGE]) {
    await ctx.stores.db.inTenant(tenant, () => ctx.auditLog.publish(tenant, size));
    const file = join(work, `export-${size}.jsonl`);
    const out = createWriteStream(file);
    for await (const chunk of exportChunks(ctx.auditLog, ctx.stores, tenant, 0, size, new Date())) {
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve) => out.end(() => resolve()));
    files.set(size, file);
  }
  const key = ctx.auditKeys.current.verifierKey;
  await ctx.close();
  rmSync(dir, { recursive: true, force: true });
  return { files, key };
}

/** The verifier and the hashing floor, bundled, so that each child's figures are its own, not a loader's. */
async function bundleChildren(): Promise<{ verifier: string; floor: string }> {
  const bundle = async (entry: string, name: string) => {
    const outfile = join(work, name);
    await build({
      entryPoints: [join(import.meta.dirname, entry)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      outfile,
      logLevel: 'error',
    });
    return outfile;
  };
  copyFileSync(join(import.meta.dirname, '../shared/audit/hash-worker.mjs'), join(work, 'hash-worker.mjs'));
  return {
    verifier: await bundle('audit-verify-child.ts', 'verify-child.mjs'),
    floor: await bundle('audit-hash-floor.ts', 'hash-floor.mjs'),
  };
}

function seconds(command: string, args: string[]): number {
  const started = performance.now();
  execFileSync(command, args, { stdio: 'ignore' });
  return (performance.now() - started) / 1000;
}

function child<T>(bundle: string, args: string[]): T {
  const run = spawnSync(process.execPath, [bundle, ...args], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${bundle} failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

interface VerifierRun {
  ms: number;
  cpuMs: number;
  verdict: string;
  maxRssKb: number;
}

interface Round {
  openssl: number;
  sha256sum: number;
  floor: number;
  floor2: number;
  verifier: VerifierRun;
}

/** One round over one file: the baselines, the floor and the verifier, back to back. */
function round(children: { verifier: string; floor: string }, file: string, key: string): Round {
  const openssl = seconds('openssl', ['dgst', '-sha256', file]);
  const sha256sum = seconds('sha256sum', [file]);
  const floor = child<{ ms: number }>(children.floor, [file, '1']).ms / 1000;
  const floor2 = child<{ ms: number }>(children.floor, [file, '2']).ms / 1000;
  const verifier = child<VerifierRun>(children.verifier, [file, key]);
  if (verifier.verdict !== 'verified')
    throw new Error(`verifier said ${verifier.verdict} for a valid export`);
  return { openssl, sha256sum, floor, floor2, verifier };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const best = (xs: number[]) => Math.min(...xs);
const fixed = (n: number, digits: number) => Number(n.toFixed(digits));

log(`bench:audit — ${LARGE} and ${SMALL} entries, best of ${RUNS} rounds each, in ${work}`);
log(
  `  ${cpus().length} cores; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const onlyPostgres = process.env.BENCH_AUDIT_ONLY === 'postgres';
const appendsPerSecond = onlyPostgres ? Number.NaN : await appendThroughput();
if (!onlyPostgres) {
  log(
    `platform append: ${appendsPerSecond.toFixed(0)} entries/s (one transaction each, checkpoint every 1,024)`,
  );
}
const pg = await postgresAppendRates(POSTGRES_APPENDS);
log(
  `PostgreSQL append (${POSTGRES_APPENDS} each, 16 in flight, synchronous commit, group commit): one tenant ${pg.oneTenantPerSecond.toFixed(0)} entries/s, 8 tenants ${pg.eightTenantsPerSecond.toFixed(0)} entries/s\n` +
    `  floors: bare one-row transaction ${pg.bareInsertPerSecond.toFixed(0)}/s (one tenant = ${(pg.oneTenantPerSecond / pg.bareInsertPerSecond).toFixed(2)} x); bare transactions of 16 prebuilt rows one after another ${pg.bareGroupInsertPerSecond.toFixed(0)} entries/s (one tenant = ${(pg.oneTenantPerSecond / pg.bareGroupInsertPerSecond).toFixed(2)} x)`,
);
if (onlyPostgres) {
  process.stdout.write(
    `${JSON.stringify({
      bench: 'audit',
      figures: {
        postgres_append_one_tenant_per_s: Math.round(pg.oneTenantPerSecond),
        postgres_append_8_tenants_per_s: Math.round(pg.eightTenantsPerSecond),
        postgres_bare_transaction_per_s: Math.round(pg.bareInsertPerSecond),
        postgres_bare_group_insert_per_s: Math.round(pg.bareGroupInsertPerSecond),
      },
      targets: [{ figure: 'postgres_append_one_tenant_per_s', op: '>=', value: 5000 }],
    })}\n`,
  );
  rmSync(work, { recursive: true, force: true });
  process.exit(0);
}
const { files, key } = await buildExports();
const children = await bundleChildren();
const figures: Record<string, number> = {
  append_per_s: Math.round(appendsPerSecond),
  postgres_append_one_tenant_per_s: Math.round(pg.oneTenantPerSecond),
  postgres_append_8_tenants_per_s: Math.round(pg.eightTenantsPerSecond),
  postgres_bare_transaction_per_s: Math.round(pg.bareInsertPerSecond),
  postgres_bare_group_insert_per_s: Math.round(pg.bareGroupInsertPerSecond),
};
const rounds = new Map<number, Round[]>();
for (let i = 0; i < RUNS; i++) {
  for (const [size, file] of files) {
    rounds.set(size, [...(rounds.get(size) ?? []), round(children, file, key)]);
  }
}
for (const [size, file] of files) {
  const all = rounds.get(size) as Round[];
  const mb = statSync(file).size / 1e6;
  const openssl = best(all.map((r) => r.openssl));
  const sha256sum = best(all.map((r) => r.sha256sum));
  const floor = best(all.map((r) => r.floor));
  const floor2 = best(all.map((r) => r.floor2));
  const fastest = all.reduce((a, b) => (b.verifier.ms < a.verifier.ms ? b : a)).verifier;
  const verifier = fastest.ms / 1000;
  const label = size === LARGE ? 'large' : 'small';
  Object.assign(figures, {
    [`${label}_entries`]: size,
    [`${label}_file_mb`]: fixed(mb, 1),
    [`${label}_bytes_per_entry`]: Math.round((mb * 1e6) / size),
    [`${label}_openssl_mb_s`]: fixed(mb / openssl, 1),
    [`${label}_sha256sum_mb_s`]: fixed(mb / sha256sum, 1),
    [`${label}_verifier_mb_s`]: fixed(mb / verifier, 1),
    [`${label}_ratio_openssl`]: fixed(openssl / verifier, 3),
    [`${label}_ratio_sha256sum`]: fixed(sha256sum / verifier, 3),
    [`${label}_verifier_cores_busy`]: fixed(fastest.cpuMs / fastest.ms, 2),
    [`${label}_hash_floor_1_thread_mb_s`]: fixed(mb / floor, 1),
    [`${label}_hash_floor_2_threads_mb_s`]: fixed(mb / floor2, 1),
    [`${label}_hash_floor_2_threads_ratio_openssl`]: fixed(openssl / floor2, 3),
    [`${label}_hash_floor_half_1_thread_ratio_openssl`]: fixed(openssl / (floor / 2), 3),
    [`${label}_peak_rss_mb`]: fixed(Math.max(...all.map((r) => r.verifier.maxRssKb)) / 1024, 1),
  });
  log(
    `${size} entries (${mb.toFixed(0)} MB), best of ${all.length}: openssl ${(mb / openssl).toFixed(0)} MB/s, sha256sum ${(mb / sha256sum).toFixed(0)} MB/s, verifier ${(mb / verifier).toFixed(0)} MB/s ` +
      `(${(fastest.cpuMs / fastest.ms).toFixed(2)} cores busy) = ${(openssl / verifier).toFixed(2)} x openssl, ${(sha256sum / verifier).toFixed(2)} x sha256sum\n` +
      `  floor: Node's one-shot SHA-256 over every leaf and node, one thread ${(mb / floor).toFixed(0)} MB/s, two threads ${(mb / floor2).toFixed(0)} MB/s = ${(openssl / floor2).toFixed(2)} x openssl (twice one thread would be ${(openssl / (floor / 2)).toFixed(2)} x)\n` +
      `  rounds (openssl / floor 1 thread / floor 2 threads / verifier s): ${all.map((r) => `${r.openssl.toFixed(2)} / ${r.floor.toFixed(2)} / ${r.floor2.toFixed(2)} / ${(r.verifier.ms / 1000).toFixed(2)}`).join(', ')}; peak RSS ${all.map((r) => (r.verifier.maxRssKb / 1024).toFixed(0)).join(', ')} MB`,
  );
}
// Growth is read round by round (the two sizes of a round ran back to back), then the median round's.
const growths = Array.from({ length: RUNS }, (_, i) => {
  const at = (size: number) => (rounds.get(size)?.[i]?.verifier.maxRssKb ?? Number.NaN) / 1024;
  return at(LARGE) - at(SMALL);
});
figures.rss_growth_mb = fixed(median(growths), 1);
log(
  `peak RSS growth ${SMALL} -> ${LARGE} entries: ${growths.map((g) => g.toFixed(1)).join(', ')} MB, median ${median(growths).toFixed(1)} MB`,
);
log(
  `  load average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
rmSync(work, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({
    bench: 'audit',
    figures,
    targets: [
      { figure: 'large_ratio_openssl', op: '>=', value: 0.5 },
      { figure: 'large_peak_rss_mb', op: '<=', value: 150 },
      { figure: 'small_peak_rss_mb', op: '<=', value: 150 },
      { figure: 'rss_growth_mb', op: '<=', value: 20 },
      { figure: 'append_per_s', op: '>=', value: 5000 },
      { figure: 'postgres_append_one_tenant_per_s', op: '>=', value: 5000 },
    ],
  })}\n`,
);
