// The hashing no verifier of an export can skip: the RFC 6962 leaf hash of every entry and the n - 1
// interior nodes above them, through Node's one-shot SHA-256 (the verifier's own primitives), the file read
// in the verifier's units. No parsing, no signatures, no findings. bench/audit.ts bundles and spawns it
// beside the verifier, on one thread and on two (units dealt in turn to this thread and a worker, each
// unit's own part of the tree hashed where its leaves are, the few nodes above the units left out): what
// this machine's cores can do with Node's crypto at best. bench/package.ts runs it too, on a package's log,
// beside the rest of the package's floor (see floor-gate.ts).
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { unitSubtrees } from '../shared/audit/chunk-hasher';
import {
  BufferPool,
  lineEndsOf,
  lineUnits,
  readFirstLine,
  readTrailingCheckpoints,
} from '../shared/audit/export-source';
import { nodeAuditCrypto } from '../shared/audit/node-crypto';
import { openExportFile } from '../shared/audit/node-file';
import { startTogether } from './floor-gate';

const [file, threadArg] = process.argv.slice(2);
if (!file) throw new Error('usage: audit-hash-floor FILE [THREADS]');
const threads = Number(threadArg ?? 1);
const tree = nodeAuditCrypto.treeHasher?.();
if (!tree) throw new Error('Node crypto has a tree hasher');

// The second thread: the same leaf and subtree hashing as the verifier's workers (plain JavaScript, so it
// needs no bundle of its own), on units it is handed.
const helperSource = `
const { hash } = require('node:crypto');
const { parentPort } = require('node:worker_threads');
const scratch = Buffer.alloc(65);
scratch[0] = 1;
parentPort.on('message', ({ work, length, ends }) => {
  const bytes = Buffer.from(work, 0, length);
  const lineEnds = new Int32Array(ends);
  const held = [];
  const sizes = [];
  let start = 1;
  for (const end of lineEnds) {
    bytes[start - 1] = 0;
    let root = hash('sha256', bytes.subarray(start - 1, end), 'latin1');
    let size = 1;
    while (sizes.length > 0 && sizes[sizes.length - 1] === size) {
      scratch.write(held.pop(), 1, 'latin1');
      scratch.write(root, 33, 'latin1');
      root = hash('sha256', scratch, 'latin1');
      sizes.pop();
      size *= 2;
    }
    held.push(root);
    sizes.push(size);
    start = end + 1;
  }
  parentPort.postMessage({ work, ends, leaves: lineEnds.length }, [work, ends]);
});
`;

const source = await openExportFile(file);
const header = await readFirstLine(source, 64 * 1024);
const helper = threads > 1 ? new Worker(helperSource, { eval: true }) : undefined;
// Started before the clock: a floor is the best case.
if (helper) await new Promise((resolve) => helper.once('online', resolve));
await startTogether();
const cpu = process.cpuUsage();
const started = performance.now();
const pool = new BufferPool();
let leaves = 0;
// The helper holds up to two units (one hashed, one waiting); this thread hashes the rest meanwhile.
let helping = 0;
let helped = 0;
helper?.on('message', (reply: { leaves: number }) => {
  helping--;
  helped += reply.leaves;
});
const from = header?.next ?? 0;
const to = (await readTrailingCheckpoints(source, from, Number.MAX_SAFE_INTEGER, 1 << 20)).start;
for await (const { work } of lineUnits(source, from, to, 1 << 20, pool)) {
  const { ends } = lineEndsOf(work);
  if (helper && helping < 2) {
    helping++;
    const buffer = work.buffer as ArrayBuffer;
    const endsBuffer = ends.buffer as ArrayBuffer;
    helper.postMessage({ work: buffer, length: work.length, ends: endsBuffer }, [buffer, endsBuffer]);
  } else {
    leaves += unitSubtrees(tree, work, ends, { firstLeaf: 0, cuts: [] }).sizes.reduce((a, b) => a + b, 0);
    pool.give(work.buffer);
  }
}
while (helping > 0) await new Promise((resolve) => helper?.once('message', resolve));
leaves += helped;
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
await helper?.terminate();
await source.close();
process.stdout.write(`${JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, leaves, threads })}\n`);
