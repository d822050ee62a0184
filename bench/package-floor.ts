// The package's share of the work no verifier can skip, with the verifier's own primitives and nothing
// else (no parsing in the timed part, no findings): (a) SHA-256 of the whole package and (b) of each file
// in it but the manifest, on the verifier's range hasher (two worker threads, the files dealt largest
// first, as verifyPackage deals them), and (d) every Ed25519 signature the verifier checks (the log's
// checkpoints, the decisions' device signatures, any references), on this thread meanwhile. The log's
// Merkle hashing (c) is bench/audit-hash-floor.ts, run beside this process. bench/package.ts bundles and
// spawns it: PACKAGE KEY SIGNATURES, where SIGNATURES is a file this child writes on its first run.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { workerChunkHasher } from '../shared/audit/node-chunk-hasher';
import { nodeAuditCrypto } from '../shared/audit/node-crypto';
import { parseVerifierKey } from '../shared/audit/note';
import { MANIFEST_PATH } from '../shared/audit/package/format';
import { rangeHasher } from '../shared/audit/package/range-hasher';
import { verifyPackage } from '../shared/audit/package/verify-package';
import { readZipLayout } from '../shared/audit/package/zip-layout';
import { startTogether } from './floor-gate';

const [file, keyText, signaturesFile] = process.argv.slice(2);
const key = keyText ? parseVerifierKey(nodeAuditCrypto, keyText) : undefined;
if (!file || !key || !signaturesFile) throw new Error('usage: package-floor PACKAGE KEY SIGNATURES');

type Signed = [publicKey: string, message: string, signature: string];

/** The signatures the verifier checks, as it checks them: one full verification, recorded, kept for the next rounds. */
async function signaturesOf(pkg: string): Promise<Signed[]> {
  if (existsSync(signaturesFile as string)) return JSON.parse(readFileSync(signaturesFile as string, 'utf8'));
  const seen: Signed[] = [];
  const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
  const recording = {
    ...nodeAuditCrypto,
    verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) {
      seen.push([b64(publicKey), b64(message), b64(signature)]);
      return nodeAuditCrypto.verifyEd25519(publicKey, message, signature);
    },
  };
  const chunkHasher = workerChunkHasher();
  const report = await verifyPackage(pkg, {
    crypto: recording,
    keys: [key as NonNullable<typeof key>],
    chunkHasher,
  });
  await chunkHasher.close();
  if (report.verdict !== 'verified') throw new Error(`the verifier said ${report.verdict}`);
  writeFileSync(signaturesFile as string, JSON.stringify(seen));
  return seen;
}

// Set up before the clock: the signatures decoded, the archive's directory read, the workers started.
const signed = (await signaturesOf(file)).map(
  (s) => s.map((b) => Buffer.from(b, 'base64')) as [Buffer, Buffer, Buffer],
);
const handle = await open(file, 'r');
const { size } = await handle.stat();
const layout = await readZipLayout(handle, size);
await handle.close();
if (!layout.ok) throw new Error(`not a package: ${layout.reason}`);
const ranges = layout.entries
  .filter((e) => e.path !== MANIFEST_PATH)
  .sort((a, b) => b.size - a.size)
  .map((e) => ({ start: e.dataStart, length: e.size }));
const hasher = rangeHasher(file, 2);
// One byte on each worker: both are up and hold the file open (the weights stay balanced).
await Promise.all([hasher.hash(0, 1), hasher.hash(0, 1)]);
await startTogether();

const cpu = process.cpuUsage();
const started = performance.now();
const hashes = [hasher.hash(0, size), ...ranges.map((r) => hasher.hash(r.start, r.length))];
const thread = process.threadCpuUsage();
const valid = signed.filter(([k, m, s]) => nodeAuditCrypto.verifyEd25519(k, m, s)).length;
const signatures = process.threadCpuUsage(thread);
const unread = (await Promise.all(hashes)).filter((h) => h === null).length;
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
await hasher.close();
if (unread > 0) throw new Error(`${unread} ranges of the package could not be read`);
if (valid !== signed.length) throw new Error(`${signed.length - valid} signatures do not verify`);
process.stdout.write(
  `${JSON.stringify({
    ms,
    cpuMs: (used.user + used.system) / 1000,
    ranges: hashes.length,
    signatures: signed.length,
    signaturesCpuMs: (signatures.user + signatures.system) / 1000,
  })}\n`,
);
