// Runs one package verification and reports its time, every thread's CPU time and the process's peak RSS;
// bench/package.ts bundles and spawns it, so the figures are the verifier's own.
import { performance } from 'node:perf_hooks';
import { workerChunkHasher } from '../shared/audit/node-chunk-hasher';
import { nodeAuditCrypto } from '../shared/audit/node-crypto';
import { parseVerifierKey } from '../shared/audit/note';
import { verifyPackage } from '../shared/audit/package/verify-package';

const [file, keyText] = process.argv.slice(2);
const key = keyText ? parseVerifierKey(nodeAuditCrypto, keyText) : undefined;
if (!file || !key) throw new Error('usage: package-verify-child FILE KEY');
const chunkHasher = workerChunkHasher();
const cpu = process.cpuUsage();
const started = performance.now();
const report = await verifyPackage(file, { crypto: nodeAuditCrypto, keys: [key], chunkHasher, sample: 50 });
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
await chunkHasher.close();
process.stdout.write(
  `${JSON.stringify({
    ms,
    cpuMs: (used.user + used.system) / 1000,
    verdict: report.verdict,
    findings: report.findings.slice(0, 5),
    decisions: report.counts.decisions,
    evidenceFiles: report.counts.evidenceFiles,
    entries: report.log?.entriesRead ?? 0,
    sampled: report.sample?.requests.length ?? 0,
    maxRssKb: process.resourceUsage().maxRSS,
  })}\n`,
);
