// The hashing no verifier of an export can skip, on one thread: the RFC 6962 leaf hash of every entry and
// the n - 1 interior nodes above them, through Node's one-shot SHA-256 (the verifier's own primitives),
// the file read in the verifier's units. No parsing, no signatures, no findings. bench/audit.ts bundles and
// spawns it beside the verifier: half of this time is the best two cores can do with Node's crypto.
import { performance } from 'node:perf_hooks';
import {
  BufferPool,
  isCheckpointAt,
  lineEndsOf,
  lineUnits,
  readFirstLine,
} from '../shared/audit/export-source';
import { CompactRange } from '../shared/audit/merkle';
import { nodeAuditCrypto } from '../shared/audit/node-crypto';
import { openExportFile } from '../shared/audit/node-file';

const [file] = process.argv.slice(2);
if (!file) throw new Error('usage: audit-hash-floor FILE');
const tree = nodeAuditCrypto.treeHasher?.();
if (!tree) throw new Error('Node crypto has a tree hasher');
const source = await openExportFile(file);
const cpu = process.cpuUsage();
const started = performance.now();
const range = new CompactRange<string>(tree.node, tree.empty);
const pool = new BufferPool();
const header = await readFirstLine(source, 64 * 1024);
for await (const { work } of lineUnits(source, header?.next ?? 0, source.size, 1 << 20, pool)) {
  let start = 1;
  for (const end of lineEndsOf(work).ends) {
    if (!isCheckpointAt(work, start, end)) range.append(tree.leafAt(work, start, end));
    start = end + 1;
  }
  pool.give(work.buffer);
}
range.root();
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
await source.close();
process.stdout.write(
  `${JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, leaves: range.size })}\n`,
);
