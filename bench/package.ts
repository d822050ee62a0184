// npm run bench:package — verifying an audit package offline, beside baselines measured in the same run:
//  - the package: a period of 1,000,000 log entries (bench:audit's realistic entries, plus 1,024 requests
//    each with an upload, a request and an approval signed by a real registered device key) and 1 GiB of
//    evidence (1,024 plain-text and JSON files of 256 KiB to 1.75 MiB), built by the real builder
//    (shared/audit/package/builder.ts) from the platform's audit service in process;
//  - the baseline: `openssl dgst -sha256` over the same package file (OpenSSL uses this CPU's SHA
//    instructions, as Node's crypto does). The target is at least half openssl's speed;
//  - the floor under the verifier: the work it cannot skip, alone, with its own primitives and no parsing
//    or findings. It must hash every byte at least twice (the package's own SHA-256 for the report, and
//    each file's for the manifest and the evidence checks: bench/package-floor.ts, on the verifier's two
//    range-hash workers), the log's entries once more as RFC 6962 leaves and nodes (bench/audit-hash-floor.ts
//    on the package's log, two threads) and check every Ed25519 signature it checks (checkpoints and
//    decisions, ~2,000; package-floor.ts's main thread). The parts run side by side, as the verifier runs
//    them, and ratio_of_floor says how near the floor the verifier is, whatever this machine's speed or load;
//  - the verifier's peak RSS (every thread of the process), and how many cores it kept busy.
// Each round runs openssl, the verifier and the floor back to back and each takes its best round, so a busy
// moment on a shared machine costs all alike. Lower the entry count for a quick look:
// BENCH_PACKAGE_ENTRIES=100000 npm run bench:package (the evidence stays 1 GiB).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { build } from 'esbuild';
import { buildPackage } from '../shared/audit/package/builder';
import { EXPORT_PATH } from '../shared/audit/package/format';
import { readZipLayout } from '../shared/audit/package/zip-layout';
import { PackageZipWriter } from '../shared/audit/package/zip-writer';
import { benchPlatform } from './audit-fixture';
import { buildPackagePeriod, inProcessSource, REQUESTS } from './package-fixture';

const ENTRIES = Number(process.env.BENCH_PACKAGE_ENTRIES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_PACKAGE_ROUNDS ?? 5);
const work = mkdtempSync(join(tmpdir(), 'cc-bench-package-'));
const log = (line: string) => process.stdout.write(`${line}\n`);
const fixed = (n: number, digits: number) => Number(n.toFixed(digits));

async function makePackage(file: string): Promise<{ key: string; buildSeconds: number }> {
  const { ctx, tenant, dir } = await benchPlatform();
  const fixture = await buildPackagePeriod(ctx, tenant, ENTRIES, log);
  const started = performance.now();
  const writer = new PackageZipWriter(createWriteStream(file));
  await buildPackage(inProcessSource(ctx, tenant, fixture), writer, {
    environment: 'live',
    from: fixture.from,
    to: fixture.to,
    now: () => new Date(),
  });
  const buildSeconds = (performance.now() - started) / 1000;
  const key = ctx.auditKeys.current.verifierKey;
  await ctx.close();
  rmSync(dir, { recursive: true, force: true });
  return { key, buildSeconds };
}

/** A verifier child, bundled with its workers beside it, so its figures are its own, not a loader's. */
async function bundleChild(entry: string, name: string): Promise<string> {
  const outfile = join(work, name);
  await build({
    entryPoints: [join(import.meta.dirname, entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    outfile,
    logLevel: 'error',
    // yauzl and yazl are CommonJS and require Node's modules.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  copyFileSync(join(import.meta.dirname, '../shared/audit/hash-worker.mjs'), join(work, 'hash-worker.mjs'));
  copyFileSync(
    join(import.meta.dirname, '../shared/audit/package/range-hash-worker.mjs'),
    join(work, 'range-hash-worker.mjs'),
  );
  return outfile;
}

interface VerifierRun {
  ms: number;
  cpuMs: number;
  verdict: string;
  findings: unknown[];
  decisions: number;
  evidenceFiles: number;
  entries: number;
  sampled: number;
  maxRssKb: number;
}

/** Wall and CPU seconds of `openssl dgst -sha256` (bash's `time`: user + system of the child). */
function openssl(file: string): { wall: number; cpu: number } {
  const started = performance.now();
  const run = spawnSync('bash', ['-c', 'TIMEFORMAT=%U+%S; time openssl dgst -sha256 "$0" >/dev/null', file], {
    encoding: 'utf8',
  });
  const wall = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`openssl failed: ${run.stderr}`);
  const [user, system] = run.stderr.trim().split('\n').pop()?.split('+').map(Number) ?? [];
  return { wall, cpu: (user ?? 0) + (system ?? 0) };
}

/** The package's export as a file of its own, for bench:audit's verifier: the log alone, in the same run. */
async function extractExport(pkg: string, out: string): Promise<void> {
  const handle = await open(pkg, 'r');
  try {
    const layout = await readZipLayout(handle, (await handle.stat()).size);
    const entry = layout.ok ? layout.entries.find((e) => e.path === EXPORT_PATH) : undefined;
    if (!entry) throw new Error('the package has no export');
    await pipeline(
      createReadStream(pkg, { start: entry.dataStart, end: entry.dataStart + entry.size - 1 }),
      createWriteStream(out),
    );
  } finally {
    await handle.close();
  }
}

interface FloorPart {
  ms: number;
  cpuMs: number;
}
interface FilesFloor extends FloorPart {
  signatures: number;
  signaturesCpuMs: number;
}
interface FloorRun {
  files: FilesFloor;
  merkle: FloorPart;
  /** Seconds from the word to the last part's end. */
  wall: number;
  /** CPU seconds of every part, all threads. */
  cpu: number;
}

/** A floor part as a child with an IPC channel (see floor-gate.ts): `ready` once it is set up. */
function floorPart<T>(
  bundle: string,
  args: string[],
): { ready: Promise<void>; go(): void; done: Promise<T> } {
  const child = spawn(process.execPath, [bundle, ...args], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const done = new Promise<T>((resolve, reject) =>
    child.once('close', (code) =>
      code === 0 ? resolve(JSON.parse(stdout) as T) : reject(new Error(`${bundle} failed: ${stderr}`)),
    ),
  );
  const ready = Promise.race([
    new Promise<void>((resolve) => child.once('message', () => resolve())),
    done.then(() => Promise.reject(new Error(`${bundle} ended before it was ready`))),
  ]);
  return { ready, go: () => child.send('go'), done };
}

/**
 * The floor's parts side by side: each sets up (workers started, the archive's directory read, the
 * signatures loaded: recorded from one verification in the first round), then all start on one word, and each times its own work from it. The floor's wall
 * time is the last part's: the parts overlapped on this machine's cores as well as its scheduler lets them,
 * the best a verifier that overlaps them could do (its CPU sum / cores would be the same with perfect
 * sharing and no load; figures for that are kept beside it).
 */
async function floorOnce(bundles: { files: string; merkle: string }, pkg: string, log: string, key: string) {
  const files = floorPart<FilesFloor>(bundles.files, [pkg, key, join(work, 'signatures.json')]);
  const merkle = floorPart<FloorPart>(bundles.merkle, [log, '2']);
  await Promise.all([files.ready, merkle.ready]);
  files.go();
  merkle.go();
  const run = { files: await files.done, merkle: await merkle.done };
  return {
    ...run,
    wall: Math.max(run.files.ms, run.merkle.ms) / 1000,
    cpu: (run.files.cpuMs + run.merkle.cpuMs) / 1000,
  } satisfies FloorRun;
}

function verifyOnce(child: string, file: string, key: string): VerifierRun {
  const run = spawnSync(process.execPath, [child, file, key], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the verifier failed: ${run.stderr}`);
  const result = JSON.parse(run.stdout) as VerifierRun;
  if (result.verdict !== 'verified')
    throw new Error(`the verifier said ${result.verdict}: ${JSON.stringify(result.findings)}`);
  return result;
}

log(
  `bench:package — ${ENTRIES} entries, ${REQUESTS} requests with 1 GiB of evidence, best of ${RUNS} rounds, in ${work}`,
);
log(
  `  ${cpus().length} cores; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
// The package is kept (with its key beside it) for the next run to reuse: building a 1M-entry period through
// the platform's own append path takes far longer than verifying it, and it is the input, not what is
// measured. It is named by a hash of everything that shapes its bytes (the fixture, the platform's audit
// log and the package format), so a change to any of them builds it again; BENCH_PACKAGE_REBUILD=1 forces
// that. BENCH_PACKAGE_FILE names another place to keep it.
function fixtureVersion(): string {
  const hash = createHash('sha256');
  const files = [
    ...['bench/package-fixture.ts', 'bench/audit-fixture.ts'],
    ...['platform/audit', 'shared/audit'].flatMap((dir) =>
      readdirSync(join(import.meta.dirname, '..', dir), { recursive: true, encoding: 'utf8' })
        .filter((f) => /\.(ts|mjs)$/.test(f))
        .map((f) => join(dir, f)),
    ),
  ].sort();
  for (const f of files) hash.update(f).update(readFileSync(join(import.meta.dirname, '..', f)));
  return hash.digest('hex').slice(0, 16);
}
const kept =
  process.env.BENCH_PACKAGE_FILE ?? join(tmpdir(), `cc-bench-package-${ENTRIES}-${fixtureVersion()}.zip`);
if (process.env.BENCH_PACKAGE_REBUILD) rmSync(`${kept}.key`, { force: true });
const file = kept;
const reused = existsSync(`${kept}.key`) && existsSync(kept);
const { key, buildSeconds } = reused
  ? { key: readFileSync(`${kept}.key`, 'utf8'), buildSeconds: Number.NaN }
  : await makePackage(file);
// The key last: a package whose build was cut short is never taken for a whole one.
if (!reused) writeFileSync(`${kept}.key`, key);
const mb = statSync(file).size / 1e6;
log(
  reused
    ? `package: ${mb.toFixed(0)} MB, kept from an earlier run (${file}; BENCH_PACKAGE_REBUILD=1 builds it again)`
    : `package: ${mb.toFixed(0)} MB, built in ${buildSeconds.toFixed(1)} s (${(mb / buildSeconds).toFixed(0)} MB/s, in process), kept in ${file}`,
);
const child = await bundleChild('package-verify-child.ts', 'verify-child.mjs');
const logChild = await bundleChild('audit-verify-child.ts', 'log-verify-child.mjs');
const floorBundles = {
  files: await bundleChild('package-floor.ts', 'package-floor.mjs'),
  merkle: await bundleChild('audit-hash-floor.ts', 'hash-floor.mjs'),
};
const logFile = join(work, 'export.jsonl');
await extractExport(file, logFile);
const logMb = statSync(logFile).size / 1e6;
const rounds: { openssl: number; opensslCpu: number; verifier: VerifierRun }[] = [];
const logRounds: { openssl: number; ms: number }[] = [];
const floorRounds: FloorRun[] = [];
for (let i = 0; i < RUNS; i++) {
  const floor = openssl(file);
  rounds.push({ openssl: floor.wall, opensslCpu: floor.cpu, verifier: verifyOnce(child, file, key) });
  const logFloor = openssl(logFile);
  const logRun = spawnSync(process.execPath, [logChild, logFile, key], { encoding: 'utf8' });
  const logResult = JSON.parse(logRun.stdout) as { ms: number; verdict: string };
  if (logResult.verdict !== 'verified') throw new Error(`the log alone: ${logResult.verdict}`);
  logRounds.push({ openssl: logFloor.wall, ms: logResult.ms });
  floorRounds.push(await floorOnce(floorBundles, file, logFile, key));
}
const logOpenssl = Math.min(...logRounds.map((r) => r.openssl));
const logVerifier = Math.min(...logRounds.map((r) => r.ms)) / 1000;
const opensslWall = Math.min(...rounds.map((r) => r.openssl));
const opensslCpu = Math.min(...rounds.map((r) => r.opensslCpu));
const fastest = rounds.reduce((a, b) => (b.verifier.ms < a.verifier.ms ? b : a)).verifier;
const verifier = fastest.ms / 1000;
const floor = floorRounds.reduce((a, b) => (b.wall < a.wall ? b : a));
const floorCpu = Math.min(...floorRounds.map((r) => r.cpu));
const figures = {
  entries: fastest.entries,
  decisions: fastest.decisions,
  evidence_files: fastest.evidenceFiles,
  sampled: fastest.sampled,
  package_mb: fixed(mb, 1),
  // NaN (null in the JSON) when the package was kept from an earlier run.
  build_s: fixed(buildSeconds, 1),
  openssl_mb_s: fixed(mb / opensslWall, 1),
  verifier_mb_s: fixed(mb / verifier, 1),
  ratio_openssl: fixed(opensslWall / verifier, 3),
  verifier_cores_busy: fixed(fastest.cpuMs / fastest.ms, 2),
  // CPU time, which other load on the machine does not stretch: openssl's, the verifier's (every thread),
  // and the ratio the verifier would reach with the machine's cores to itself, its work spread evenly.
  openssl_cpu_s: fixed(opensslCpu, 2),
  verifier_cpu_s: fixed(fastest.cpuMs / 1000, 2),
  cpu_ratio_openssl_all_cores: fixed(opensslCpu / (fastest.cpuMs / 1000 / cpus().length), 3),
  // The floor (see floorOnce), and how near it the verifier comes: floor wall / verifier wall. No target
  // on these: the target is ratio_openssl's; these say how much of the gap to it Node's floor leaves.
  floor_cpu_s: fixed(floorCpu, 2),
  floor_wall_s: fixed(floor.wall, 2),
  floor_ratio_openssl: fixed(opensslWall / floor.wall, 3),
  ratio_of_floor: fixed(floor.wall / verifier, 3),
  // The same by CPU time, which the machine's other load stretches less than wall time: the floor's ratio
  // with the cores to itself and its work spread evenly (as cpu_ratio_openssl_all_cores for the verifier),
  // and the floor's CPU over the verifier's.
  floor_cpu_ratio_openssl_all_cores: fixed(opensslCpu / (floorCpu / cpus().length), 3),
  cpu_ratio_of_floor: fixed(floorCpu / (fastest.cpuMs / 1000), 3),
  floor_files_cpu_s: fixed(floor.files.cpuMs / 1000, 2),
  floor_merkle_cpu_s: fixed(floor.merkle.cpuMs / 1000, 2),
  floor_signatures_cpu_s: fixed(floor.files.signaturesCpuMs / 1000, 3),
  signatures_checked: floor.files.signatures,
  // The log alone (the package's export, by bench:audit's verifier child), against openssl over it.
  log_mb: fixed(logMb, 1),
  log_openssl_mb_s: fixed(logMb / logOpenssl, 1),
  log_verifier_mb_s: fixed(logMb / logVerifier, 1),
  log_ratio_openssl: fixed(logOpenssl / logVerifier, 3),
  peak_rss_mb: fixed(Math.max(...rounds.map((r) => r.verifier.maxRssKb)) / 1024, 1),
};
log(
  `verify: openssl ${figures.openssl_mb_s} MB/s (the baseline; ${figures.openssl_cpu_s} s of CPU), verifier ${figures.verifier_mb_s} MB/s (${figures.verifier_cores_busy} cores busy) = ${figures.ratio_openssl} x openssl; peak RSS ${figures.peak_rss_mb} MB\n` +
    `  CPU: verifier ${figures.verifier_cpu_s} s on all threads; with ${cpus().length} cores to itself it would run at ${figures.cpu_ratio_openssl_all_cores} x openssl\n` +
    `  floor: ${figures.floor_wall_s} s wall, ${figures.floor_cpu_s} s CPU (files + package hashed ${figures.floor_files_cpu_s} s with ${figures.signatures_checked} signatures checked in ${figures.floor_signatures_cpu_s} s, Merkle ${figures.floor_merkle_cpu_s} s) = ${figures.floor_ratio_openssl} x openssl (${figures.floor_cpu_ratio_openssl_all_cores} x by CPU on ${cpus().length} cores); the verifier runs at ${figures.ratio_of_floor} of the floor's speed (${figures.cpu_ratio_of_floor} by CPU)\n` +
    `  rounds (openssl / verifier / floor s): ${rounds.map((r, i) => `${r.openssl.toFixed(2)} / ${(r.verifier.ms / 1000).toFixed(2)} / ${floorRounds[i]?.wall.toFixed(2)}`).join(', ')}; peak RSS ${rounds.map((r) => (r.verifier.maxRssKb / 1024).toFixed(0)).join(', ')} MB\n` +
    `  the log alone (${figures.log_mb} MB): openssl ${figures.log_openssl_mb_s} MB/s, verifier ${figures.log_verifier_mb_s} MB/s = ${figures.log_ratio_openssl} x openssl\n` +
    `  checked ${fastest.entries} entries, ${fastest.decisions} decisions, ${fastest.evidenceFiles} evidence files; sampled ${fastest.sampled}`,
);
log(
  `  load average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
rmSync(work, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({
    bench: 'package',
    figures,
    targets: [
      { figure: 'ratio_openssl', op: '>=', value: 0.5 },
      { figure: 'peak_rss_mb', op: '<=', value: 200 },
    ],
  })}\n`,
);
