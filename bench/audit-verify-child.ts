// Runs one verification and reports its time and the process's peak RSS; bench/audit.ts bundles and
// spawns it, so the figure is the verifier's own, not the benchmark's or a TypeScript loader's.
import { performance } from 'node:perf_hooks';
import { workerChunkHasher } from '../shared/audit/node-chunk-hasher';
import { nodeAuditCrypto } from '../shared/audit/node-crypto';
import { openExportFile } from '../shared/audit/node-file';
import { parseVerifierKey } from '../shared/audit/note';
import { verifyExport } from '../shared/audit/verifier';

const [file, keyText] = process.argv.slice(2);
const key = keyText ? parseVerifierKey(nodeAuditCrypto, keyText) : undefined;
if (!file || !key) throw new Error('usage: audit-verify-child FILE KEY');
const chunkHasher = workerChunkHasher();
const source = await openExportFile(file);
const cpu = process.cpuUsage();
const started = performance.now();
const report = await verifyExport(source, { crypto: nodeAuditCrypto, keys: [key], chunkHasher });
const ms = performance.now() - started;
// Every thread's CPU time (the hash workers' too): beside the wall time, how many cores the run kept busy.
const used = process.cpuUsage(cpu);
await source.close();
await chunkHasher.close();
process.stdout.write(
  `${JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, bytes: source.size, verdict: report.verdict, findings: report.findings.length, maxRssKb: process.resourceUsage().maxRSS })}\n`,
);
