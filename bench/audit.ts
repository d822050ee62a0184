// npm run bench:audit — the audit log's costs, each beside a baseline measured in the same run:
//  - the verifier's throughput over a 1,000,000-entry and a 100,000-entry export, next to `sha256sum`
//    over the same file, with the verifier's peak RSS at both sizes (memory must not grow with size);
//  - the platform's append rate, one transaction per entry as real operations do, checkpoints included.
// "Flat" memory is read as: 10x the entries adds under 20 MB of peak RSS. What it does add is the
// checkpoints (one per 1,024 entries) and the garbage collector letting its young generation grow under a
// longer run; the entries themselves are never held.
// Entry counts can be lowered for a quick look: BENCH_AUDIT_ENTRIES=200000 npm run bench:audit.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { exportChunks } from '../platform/audit/export';
import { benchPlatform, realisticEvent } from './audit-fixture';

const LARGE = Number(process.env.BENCH_AUDIT_ENTRIES ?? 1_000_000);
const SMALL = Math.min(100_000, Math.floor(LARGE / 10));
const APPENDS = 20_000;
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

async function bundleVerifier(): Promise<string> {
  const outfile = join(work, 'verify-child.mjs');
  await build({
    entryPoints: [join(import.meta.dirname, 'audit-verify-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    outfile,
    logLevel: 'error',
  });
  copyFileSync(join(import.meta.dirname, '../shared/audit/hash-worker.mjs'), join(work, 'hash-worker.mjs'));
  return outfile;
}

function sha256sumSeconds(file: string): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    execFileSync('sha256sum', [file], { stdio: 'ignore' });
    best = Math.min(best, (performance.now() - started) / 1000);
  }
  return best;
}

function verifierRun(bundle: string, file: string, key: string) {
  let best = { seconds: Number.POSITIVE_INFINITY, rssMb: 0, verdict: '' };
  for (let i = 0; i < RUNS; i++) {
    const child = spawnSync(process.execPath, [bundle, file, key], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`verifier failed: ${child.stderr}`);
    const result = JSON.parse(child.stdout) as { ms: number; verdict: string; maxRssKb: number };
    const rssMb = result.maxRssKb / 1024;
    best = {
      seconds: Math.min(best.seconds, result.ms / 1000),
      rssMb: Math.max(best.rssMb, rssMb),
      verdict: result.verdict,
    };
  }
  return best;
}

log(`bench:audit — ${LARGE} and ${SMALL} entries, best of ${RUNS} runs each, in ${work}`);
const appendsPerSecond = await appendThroughput();
log(
  `platform append: ${appendsPerSecond.toFixed(0)} entries/s (one transaction each, checkpoint every 1,024)`,
);
const { files, key } = await buildExports();
const bundle = await bundleVerifier();
const figures: Record<string, number> = { append_per_s: Math.round(appendsPerSecond) };
for (const [size, file] of files) {
  const mb = statSync(file).size / 1e6;
  const baseline = sha256sumSeconds(file);
  const verifier = verifierRun(bundle, file, key);
  if (verifier.verdict !== 'verified')
    throw new Error(`verifier said ${verifier.verdict} for a valid export`);
  const label = size === LARGE ? 'large' : 'small';
  figures[`${label}_entries`] = size;
  figures[`${label}_file_mb`] = Number(mb.toFixed(1));
  figures[`${label}_bytes_per_entry`] = Math.round((mb * 1e6) / size);
  figures[`${label}_sha256sum_mb_s`] = Number((mb / baseline).toFixed(1));
  figures[`${label}_verifier_mb_s`] = Number((mb / verifier.seconds).toFixed(1));
  figures[`${label}_ratio`] = Number((baseline / verifier.seconds).toFixed(3));
  figures[`${label}_peak_rss_mb`] = Number(verifier.rssMb.toFixed(1));
  log(
    `${size} entries (${mb.toFixed(0)} MB): sha256sum ${(mb / baseline).toFixed(0)} MB/s, verifier ${(mb / verifier.seconds).toFixed(0)} MB/s, ratio ${(baseline / verifier.seconds).toFixed(2)}, peak RSS ${verifier.rssMb.toFixed(0)} MB`,
  );
}
figures.rss_growth_mb = Number(
  ((figures.large_peak_rss_mb ?? 0) - (figures.small_peak_rss_mb ?? 0)).toFixed(1),
);
rmSync(work, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({
    bench: 'audit',
    figures,
    targets: [
      { figure: 'large_ratio', op: '>=', value: 0.7 },
      { figure: 'large_peak_rss_mb', op: '<=', value: 150 },
      { figure: 'small_peak_rss_mb', op: '<=', value: 150 },
      { figure: 'rss_growth_mb', op: '<=', value: 20 },
      { figure: 'append_per_s', op: '>=', value: 5000 },
    ],
  })}\n`,
);
