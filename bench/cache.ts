// npm run bench:cache — the encrypted evidence cache's costs, each beside floors measured in the same
// process over the very same bytes:
//  - get of 10,000 snapshots of 64 KiB and of 100 snapshots of 8 MiB, 4 reads in flight (as a screen
//    opening several snapshots makes them), best of 3 passes, against the single-pass CPU floor of a
//    verified read: AES-256-GCM decryption (associated data, tag checked) plus SHA-256 of the same bytes,
//    one thread, best of 3 passes before and 3 after. A get also reads SQLite and moves bytes between
//    threads; it can pass that floor only by spreading reads over both cores (reads in flight run whole,
//    SELECT included, on read threads with their own connections). Beside it, the threaded read floor
//    (cache-read-floor.ts): a bare select + open + hash of the same bytes on one thread per core, moved to
//    the main thread, nothing else; what it reaches is what threads, messages and the main thread's garbage
//    collection leave of the cores, and the most a get done this way can reach;
//  - put of the same snapshots, one at a time, against a bare SQLite insert of the same bytes with the
//    cache's page size and pragmas, one transaction each, taking turns (see inTurns). The cache copies its
//    WAL back on a thread of its own (wal-checkpointer.ts), so its puts' hashing and sealing overlap the
//    disk's flushing; beside the bare insert, the same insert with that checkpoint thread;
//    and the bytes each writes to the WAL (a put's row holds metadata and blob together, and no index: the
//    lookup is in memory);
//  - get latency p50 / p99 of a 64 KiB snapshot, one call at a time (each pass's, then the median pass);
//  - plain AES-256-GCM encryption, SHA-256 alone and a bare SQLite select, to show where the time goes.
// Each get's caller then does what the console's evidence.open does with the bytes once it has used them:
// wipe() them (zeroed and freed at once, not left to the garbage collector).
// Keys go to Node's cipher as KeyObjects, as the cache gives them (see envelope.ts), so the floors are the
// fastest Node offers. A put is: SHA-256 check against the published hash + AES-GCM + one SQLite transaction
// (entry, blob, eviction); a get is: one SELECT by row id + AES-GCM decryption + SHA-256 check (+ a last-used
// time, written in batches). It needs the OS keychain: outside a keyring session it re-runs itself under
// test/helpers/with-keyring.sh (a private D-Bus session and a throwaway GNOME Keyring).
// Counts can be lowered for a quick look: BENCH_CACHE_SMALL=2000 BENCH_CACHE_LARGE=20 npm run bench:cache.
import { execFileSync, spawnSync } from 'node:child_process';
import { createCipheriv, createDecipheriv, createHash, createSecretKey, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

if (!process.env.CC_KEYRING_READY) {
  const helper = join(import.meta.dirname, '../test/helpers/with-keyring.sh');
  const run = spawnSync('bash', [helper, process.execPath, '--import', 'tsx', import.meta.filename], {
    stdio: 'inherit',
  });
  process.exit(run.status ?? 1);
}

const { default: keytar } = await import('keytar');
const { default: Database } = await import('better-sqlite3');
const { EvidenceCache } = await import('../electron/services/cache/evidence-cache');
type EvidenceCacheType = import('../electron/services/cache/evidence-cache').EvidenceCache;
const { wipe } = await import('../electron/services/cache/envelope');
const { BACKSTOP_PRAGMAS, CACHE_MMAP_BYTES, CACHE_PAGE_SIZE, CACHE_PRAGMAS, pagesOf } = await import(
  '../electron/services/cache/cache-store'
);
const { WalCheckpointer } = await import('../electron/services/cache/wal-checkpointer');
const { threadedReadFloor } = await import('./cache-read-floor');
const { Vault } = await import('../electron/services/vault/vault');

/** Reads in flight for the throughput figure the target reads; one at a time for latency. */
const IN_FLIGHT = 4;
/** Passes over every snapshot for each way of reading. */
const GET_PASSES = 3;
const SMALL = Number(process.env.BENCH_CACHE_SMALL ?? 10_000);
const LARGE = Number(process.env.BENCH_CACHE_LARGE ?? 100);
const KiB = 1024;
const MiB = 1024 * KiB;

const log = (line: string) => process.stdout.write(`${line}\n`);
const dir = mkdtempSync(join(tmpdir(), 'cc-bench-cache-'));
const vault = new Vault(keytar, `cc-bench-cache-${process.pid}`);
const profile = { platformOrigin: 'https://platform.example.com', principalId: 'usr_bench' };
const tenant = { profile, organization: 'acme', environment: 'live' as const };

/** One buffer per size, stamped with the snapshot's number: every snapshot differs, none is held twice. */
function stamp(buffer: Buffer, i: number): Buffer {
  buffer.writeUInt32BE(i, 0);
  return buffer;
}

/** Lets the kernel finish writing back what the puts wrote, so the reads after are measured on their own. */
function settle(): void {
  execFileSync('sync');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** MB/s of `op` over `count` snapshots: the best of `passes` passes. */
function throughput(size: number, count: number, passes: number, op: (i: number) => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < passes; pass++) {
    const started = performance.now();
    for (let i = 0; i < count; i++) op(i);
    best = Math.min(best, (performance.now() - started) / 1000);
  }
  return (count * size) / 1e6 / best;
}

function cryptoBaselines(buffer: Buffer, count: number) {
  const key = createSecretKey(randomBytes(32));
  const size = buffer.length;
  const aad = Buffer.from(JSON.stringify(['cc-evidence-blob-v1', 'profile', 'acme', 'live', 'snap', 'hash']));
  const plain = throughput(size, count, 3, (i) => {
    const cipher = createCipheriv('aes-256-gcm', key, randomBytes(12));
    cipher.update(stamp(buffer, i));
    cipher.final();
    cipher.getAuthTag();
  });
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const ciphertext = cipher.update(buffer);
  cipher.final();
  const tag = cipher.getAuthTag();
  const readFloor = throughput(size, count, 3, () => {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    const plaintext = decipher.update(ciphertext);
    decipher.final();
    createHash('sha256').update(plaintext).digest('hex');
  });
  const sha256 = throughput(size, count, 3, () => createHash('sha256').update(buffer).digest());
  return { plain, readFloor, sha256 };
}

/**
 * A bare table with the cache's pragmas: what any SQLite-backed put and get must pay for the same bytes.
 * SQLite checkpoints in the connection that commits, or, `threaded`, the cache's way: on a thread of its
 * own (wal-checkpointer.ts), the connection's own only a backstop.
 */
function bareTable(label: string, buffer: Buffer, threaded = false) {
  const file = join(dir, `${label}-floor${threaded ? '-threaded' : ''}.db`);
  const db = new Database(file);
  db.pragma(`page_size = ${CACHE_PAGE_SIZE}`);
  for (const pragma of [...CACHE_PRAGMAS, ...(threaded ? BACKSTOP_PRAGMAS : [])]) db.pragma(pragma);
  const checkpointer = threaded ? new WalCheckpointer(file, () => {}) : undefined;
  db.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, nonce BLOB, tag BLOB, ciphertext BLOB)');
  const insert = db.prepare('INSERT INTO blobs (id, nonce, tag, ciphertext) VALUES (?, ?, ?, ?)');
  const select = db.prepare('SELECT nonce, tag, ciphertext FROM blobs WHERE id = ?');
  const nonce = randomBytes(12);
  const tag = randomBytes(16);
  return {
    file,
    insert: (i: number) => {
      insert.run(i, nonce, tag, stamp(buffer, i));
      checkpointer?.wrote(pagesOf(buffer.length));
    },
    select: (i: number) => select.get(i),
    settled: () => checkpointer?.idle() ?? Promise.resolve(),
    close: () => {
      checkpointer?.close();
      db.close();
      rmSync(file, { force: true });
    },
  };
}

/** One way of writing the snapshots: `settled` resolves once work it left to a thread is done. */
interface WriteLane {
  readonly write: (i: number) => unknown;
  readonly settled: () => Promise<void>;
}

/**
 * Puts and bare inserts in turns of a twentieth of the snapshots each (the order rotating every round), so
 * all write while the disk is in the same state: measured one after the other, a bare pass that caught the
 * kernel's write-back idle and a put pass that did not differed by a third from run to run. A turn is timed
 * until its lane has settled (the cache copies its WAL back on a thread of its own), so none of its work
 * spills into another lane's turn. Answers each lane's seconds.
 */
async function inTurns(count: number, lanes: readonly WriteLane[]): Promise<number[]> {
  const turn = Math.max(1, Math.floor(count / 20));
  const seconds = lanes.map(() => 0);
  for (let from = 0, round = 0; from < count; from += turn, round++) {
    const to = Math.min(count, from + turn);
    for (let k = 0; k < lanes.length; k++) {
      const lane = (round + k) % lanes.length;
      const { write, settled } = lanes[lane] as WriteLane;
      const started = performance.now();
      for (let i = from; i < to; i++) await write(i);
      await settled();
      seconds[lane] = (seconds[lane] as number) + (performance.now() - started) / 1000;
    }
  }
  return seconds;
}

/**
 * Bytes a write appends to the WAL, read from the frame count SQLite reports: a few writes after an emptied
 * WAL, too few to reach an automatic checkpoint. A property of the schema, not of a busy disk.
 */
async function walBytesPer(file: string, size: number, write: (i: number) => unknown): Promise<number> {
  const writes = Math.max(1, Math.min(20, Math.floor(600 / (size / CACHE_PAGE_SIZE + 8))));
  const observer = new Database(file);
  try {
    const [emptied] = observer.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (emptied?.busy !== 0) throw new Error('The WAL could not be emptied for counting.');
    for (let i = 0; i < writes; i++) await write(i);
    const [state] = observer.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number }[];
    if (state?.busy !== 0) throw new Error('The WAL could not be counted: a checkpoint was running.');
    return (state.log * (CACHE_PAGE_SIZE + 24)) / writes;
  } finally {
    observer.close();
  }
}

async function measure(label: string, size: number, count: number) {
  const buffer = randomBytes(size);
  const hashes = Array.from({ length: count }, (_, i) =>
    createHash('sha256').update(stamp(buffer, i)).digest('hex'),
  );
  const mb = (count * size) / 1e6;
  const before = cryptoBaselines(buffer, count);
  const bare = bareTable(label, buffer);

  const file = join(dir, `${label}.db`);
  const opened = EvidenceCache.open({ file, vault, quotaBytes: 4 * 1024 * MiB });
  if (!opened.ok) throw new Error(opened.error.message);
  const cache = opened.value;
  const putInto = async (target: EvidenceCacheType, snapshotId: string, i: number) => {
    const done = await target.put(tenant, {
      snapshotId,
      name: `evidence-${i}.pdf`,
      mediaType: 'application/pdf',
      sha256: hashes[i] as string,
      bytes: stamp(buffer, i),
    });
    if (!done.ok) throw new Error(done.error.message);
  };
  const put = (snapshotId: string, i: number) => putInto(cache, snapshotId, i);
  // First use makes the master key (keychain) and the tenant's data key: not part of the steady state.
  const warmUp = {
    snapshotId: 'warm-up',
    name: 'warm-up.bin',
    mediaType: 'application/octet-stream',
    sha256: createHash('sha256').update('').digest('hex'),
    bytes: new Uint8Array(),
  };
  const warm = await cache.put(tenant, warmUp);
  if (!warm.ok) throw new Error(warm.error.message);

  const threadedBare = bareTable(label, buffer, true);
  const [putSeconds, insertSeconds, threadedSeconds] = await inTurns(count, [
    { write: (i) => put(`snap-${i}`, i), settled: () => cache.settled() },
    { write: bare.insert, settled: bare.settled },
    { write: threadedBare.insert, settled: threadedBare.settled },
  ]);
  threadedBare.close();
  const putMbS = mb / (putSeconds as number);
  settle();
  const storage = {
    put: mb / (insertSeconds as number),
    putThreaded: mb / (threadedSeconds as number),
    get: throughput(size, count, 1, bare.select),
    walBytes: await walBytesPer(bare.file, size, (i) => bare.insert(count + i)),
  };
  bare.close();
  // The floors' files are gone: their deletion is written back too before the reads.
  settle();

  let started = 0;
  // Reads are measured in passes like the CPU floor (best of them), the two ways taking turns.
  let getMbS = 0;
  let getConcurrentMbS = 0;
  const p50s: number[] = [];
  const p99s: number[] = [];
  for (let pass = 0; pass < GET_PASSES; pass++) {
    const latencies: number[] = [];
    started = performance.now();
    for (let i = 0; i < count; i++) {
      const t = performance.now();
      const got = await cache.get(tenant, `snap-${i}`);
      latencies.push(performance.now() - t);
      if (!got.ok || got.value.bytes.length !== size) throw new Error(`get ${i} failed`);
      wipe(got.value.bytes);
    }
    getMbS = Math.max(getMbS, mb / ((performance.now() - started) / 1000));
    latencies.sort((a, b) => a - b);
    p50s.push(percentile(latencies, 50));
    p99s.push(percentile(latencies, 99));

    // Reads in flight together, as a screen opening several snapshots makes them: read threads each
    // select, decrypt and re-hash rows while the main thread dispatches and answers, so both cores work.
    let next = 0;
    started = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (let i = next++; i < count; i = next++) {
          const got = await cache.get(tenant, `snap-${i}`);
          if (!got.ok || got.value.bytes.length !== size) throw new Error(`get ${i} failed`);
          wipe(got.value.bytes);
        }
      }),
    );
    getConcurrentMbS = Math.max(getConcurrentMbS, mb / ((performance.now() - started) / 1000));
  }
  const stats = cache.stats();
  cache.close();
  // On a file of its own, keyed by an empty put: a few puts, too few pages (under 1,000) to set the
  // checkpoint thread going, which could restart the WAL mid-count.
  const walFile = join(dir, `${label}-wal.db`);
  const counted = EvidenceCache.open({ file: walFile, vault, quotaBytes: 4 * 1024 * MiB });
  if (!counted.ok) throw new Error(counted.error.message);
  const keyed = await counted.value.put(tenant, { ...warmUp, snapshotId: 'wal-warm-up' });
  if (!keyed.ok) throw new Error(keyed.error.message);
  const putWalBytes = await walBytesPer(walFile, size, (i) => putInto(counted.value, `wal-${i}`, i));
  counted.value.close();
  rmSync(walFile, { force: true });
  const fileMb = statSync(file).size / 1e6;
  rmSync(file, { force: true });
  const threaded = await threadedReadFloor(buffer, count, stamp, {
    dir,
    pageSize: CACHE_PAGE_SIZE,
    pragmas: CACHE_PRAGMAS,
    mmapSize: CACHE_MMAP_BYTES,
    inFlight: IN_FLIGHT,
    passes: GET_PASSES,
  });
  // The CPU floors again, after: each is the best seen, so a slow moment never flatters the ratios.
  const after = cryptoBaselines(buffer, count);
  const crypto = {
    plain: Math.max(before.plain, after.plain),
    readFloor: Math.max(before.readFloor, after.readFloor),
    sha256: Math.max(before.sha256, after.sha256),
  };
  const result = {
    ...crypto,
    threaded,
    storage,
    putMbS,
    putWalBytes,
    // What put/floor can reach with the put's own CPU work (SHA-256 against the published hash, AES-GCM
    // seal, each at its best rate this run) done on the thread that writes, before the write: the bare
    // insert's time over the insert's, the hash's and the seal's.
    putCeiling: 1 / storage.put / (1 / storage.put + 1 / crypto.sha256 + 1 / crypto.plain),
    getMbS,
    getConcurrentMbS,
    // Latency: each pass's percentile, then the median pass.
    p50: median(p50s),
    p99: median(p99s),
    p99s,
  };
  const f = (n: number) => n.toFixed(0);
  const r = (a: number, b: number) => (a / b).toFixed(2);
  const kib = (n: number) => (n / KiB).toFixed(0);
  log(
    `${count} x ${size / KiB} KiB (${f(mb)} MB; ${stats.ok ? stats.value.entries : '?'} entries, file ${f(fileMb)} MB)\n` +
      `  get, ${IN_FLIGHT} in flight: ${f(getConcurrentMbS)} MB/s | single-pass CPU floor (GCM decrypt + SHA-256, one thread) ${f(crypto.readFloor)} MB/s, get/floor ${r(getConcurrentMbS, crypto.readFloor)}\n` +
      `       threaded read floor (bare select + open + hash on ${cpus().length} threads, moved to main, ${IN_FLIGHT} in flight) ${f(threaded)} MB/s = ${r(threaded, crypto.readFloor)} x the CPU floor; get/threaded floor ${r(getConcurrentMbS, threaded)}\n` +
      `  get, one at a time: ${f(getMbS)} MB/s, get/floor ${r(getMbS, crypto.readFloor)}; latency p50 ${result.p50.toFixed(3)} ms, p99 ${result.p99.toFixed(3)} ms (passes: ${p99s.map((x) => x.toFixed(2)).join(', ')})\n` +
      `  put: ${f(putMbS)} MB/s | storage floor (bare SQLite insert) ${f(storage.put)} MB/s, put/floor ${r(putMbS, storage.put)}\n` +
      `       bare insert with the cache's checkpoint thread ${f(storage.putThreaded)} MB/s, put/that ${r(putMbS, storage.putThreaded)}\n` +
      `       WAL bytes a write: put ${kib(putWalBytes)} KiB, bare insert ${kib(storage.walBytes)} KiB = ${r(storage.walBytes, putWalBytes)} (the most put/floor can be where writing is the cost)\n` +
      `       bare insert + SHA-256 + seal, one after the other: put/floor at most ${r(result.putCeiling, 1)} (put reaches ${r(putMbS / storage.put / result.putCeiling, 1)} of that)\n` +
      `  where the time goes: plain AES-256-GCM ${f(crypto.plain)} MB/s, SHA-256 ${f(crypto.sha256)} MB/s, bare SQLite select ${f(storage.get)} MB/s`,
  );
  return result;
}

log(`bench:cache — ${SMALL} x 64 KiB and ${LARGE} x 8 MiB snapshots, in ${dir}`);
log(
  `  ${cpus().length} cores; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
try {
  const small = await measure('small', 64 * KiB, SMALL);
  const large = await measure('large', 8 * MiB, LARGE);
  log(
    `  load average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const n = (value: number, digits: number) => Number(value.toFixed(digits));
  const figures: Record<string, number> = {};
  for (const [label, m] of [
    ['small', small],
    ['large', large],
  ] as const) {
    Object.assign(figures, {
      [`${label}_get_concurrent_mb_s`]: n(m.getConcurrentMbS, 0),
      [`${label}_get_sequential_mb_s`]: n(m.getMbS, 0),
      [`${label}_read_cpu_floor_mb_s`]: n(m.readFloor, 0),
      [`${label}_get_vs_cpu_floor`]: n(m.getConcurrentMbS / m.readFloor, 3),
      [`${label}_threaded_floor_mb_s`]: n(m.threaded, 0),
      [`${label}_threaded_floor_vs_cpu_floor`]: n(m.threaded / m.readFloor, 3),
      [`${label}_get_vs_threaded_floor`]: n(m.getConcurrentMbS / m.threaded, 3),
      [`${label}_get_sequential_vs_cpu_floor`]: n(m.getMbS / m.readFloor, 3),
      [`${label}_put_mb_s`]: n(m.putMbS, 0),
      [`${label}_sqlite_insert_mb_s`]: n(m.storage.put, 0),
      [`${label}_put_vs_sqlite_floor`]: n(m.putMbS / m.storage.put, 3),
      [`${label}_sqlite_insert_threaded_checkpoint_mb_s`]: n(m.storage.putThreaded, 0),
      [`${label}_put_vs_threaded_checkpoint_insert`]: n(m.putMbS / m.storage.putThreaded, 3),
      [`${label}_put_wal_kib`]: n(m.putWalBytes / KiB, 1),
      [`${label}_sqlite_insert_wal_kib`]: n(m.storage.walBytes / KiB, 1),
      [`${label}_put_wal_bound`]: n(m.storage.walBytes / m.putWalBytes, 3),
      [`${label}_put_cpu_bound`]: n(m.putCeiling, 3),
      [`${label}_plain_aes_gcm_mb_s`]: n(m.plain, 0),
      [`${label}_sha256_mb_s`]: n(m.sha256, 0),
      [`${label}_sqlite_select_mb_s`]: n(m.storage.get, 0),
    });
  }
  figures.small_get_p50_ms = n(small.p50, 3);
  figures.small_get_p99_ms = n(small.p99, 3);
  process.stdout.write(
    `${JSON.stringify({
      bench: 'cache',
      figures,
      targets: [
        { figure: 'small_get_vs_cpu_floor', op: '>=', value: 0.8 },
        { figure: 'large_get_vs_cpu_floor', op: '>=', value: 0.8 },
        { figure: 'small_put_vs_sqlite_floor', op: '>=', value: 0.6 },
        { figure: 'large_put_vs_sqlite_floor', op: '>=', value: 0.6 },
        { figure: 'small_get_p99_ms', op: '<=', value: 2 },
      ],
    })}\n`,
  );
} finally {
  await vault.deleteProfile(profile);
  rmSync(dir, { recursive: true, force: true });
}
