// Leaf hashing for the audit verifier, off the main thread: the RFC 6962 leaf hash SHA-256(0x00 || line)
// of every line of a unit (see LineUnit in export-source.ts), as latin1 text, 32 characters a line.
// Plain JavaScript, so that it starts without a loader.
import { hash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

const NEWLINE = 0x0a;

parentPort.on('message', ({ id, work, length }) => {
  const bytes = new Uint8Array(work, 0, length);
  const leaves = [];
  let start = 1;
  for (let nl = bytes.indexOf(NEWLINE, start); nl >= 0; nl = bytes.indexOf(NEWLINE, start)) {
    const saved = bytes[start - 1];
    bytes[start - 1] = 0;
    leaves.push(hash('sha256', bytes.subarray(start - 1, nl), 'binary'));
    bytes[start - 1] = saved;
    start = nl + 1;
  }
  parentPort.postMessage({ id, work, length, leaves: leaves.join('') }, [work]);
});
