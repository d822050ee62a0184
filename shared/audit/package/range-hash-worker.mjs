// SHA-256 of byte ranges of one file, off the main thread: the audit package's evidence files, its export
// and the whole package are hashed here as they are read, a buffer at a time, never held whole. Plain
// JavaScript so that it starts without a loader (see range-hasher.ts).
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';

const CHUNK = 1 << 20;
const handle = await open(workerData.path, 'r');
const buffer = Buffer.allocUnsafe(CHUNK);

async function hashRange({ id, start, length }) {
  try {
    const hash = createHash('sha256');
    let done = 0;
    while (done < length) {
      const want = Math.min(CHUNK, length - done);
      const { bytesRead } = await handle.read(buffer, 0, want, start + done);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      done += bytesRead;
    }
    parentPort.postMessage({ id, sha256: done === length ? hash.digest('hex') : null });
  } catch {
    parentPort.postMessage({ id, sha256: null });
  }
}

// One range at a time: they share the buffer, and the disk reads best in order.
let queue = Promise.resolve();
parentPort.on('message', (task) => {
  queue = queue.then(() => hashRange(task));
});
parentPort.postMessage({ ready: true });
