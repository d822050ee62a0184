// The audit verifier's thread: reads an export file, verifies it against the keys it is given, and
// reports progress and the result to the main process. Also hashes the file, so the report can name
// exactly which bytes it speaks of.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { nodeAuditCrypto } from '../../../shared/audit/node-crypto';
import { openExportFile } from '../../../shared/audit/node-file';
import { parseVerifierKey, type VerifierKey } from '../../../shared/audit/note';
import { unusableReport } from '../../../shared/audit/report';
import { verifyExport } from '../../../shared/audit/verifier';
import type { VerifyJob, WorkerMessage } from './verify-protocol';

const job = workerData as VerifyJob;
const abort = new AbortController();
const post = (message: WorkerMessage) => parentPort?.postMessage(message);
parentPort?.on('message', (message: unknown) => {
  if (message === 'cancel') abort.abort();
});

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { signal: abort.signal })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function run() {
  const keys = job.keys
    .map((text) => parseVerifierKey(nodeAuditCrypto, text))
    .filter((k): k is VerifierKey => !!k);
  let source: Awaited<ReturnType<typeof openExportFile>>;
  try {
    source = await openExportFile(job.path);
  } catch {
    return post({ kind: 'done', report: unusableReport('the file cannot be read'), sha256: null });
  }
  try {
    let lastPost = 0;
    const report = await verifyExport(source, {
      crypto: nodeAuditCrypto,
      keys,
      trusted: job.trusted,
      expectedOrigin: job.expectedOrigin ?? undefined,
      signal: abort.signal,
      onProgress: ({ bytesRead, totalBytes }) => {
        // A few dozen messages a second at most: progress is for people, not a trace.
        const now = Date.now();
        if (now - lastPost < 50 && bytesRead < totalBytes) return;
        lastPost = now;
        post({ kind: 'progress', done: bytesRead, total: totalBytes });
      },
    });
    const sha256 = report.cancelled ? null : await fileSha256(job.path).catch(() => null);
    post({ kind: 'done', report, sha256 });
  } finally {
    await source.close();
  }
}

void run();
