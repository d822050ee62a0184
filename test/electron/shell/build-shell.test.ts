import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifyJob, WorkerMessage } from '../../../electron/services/audit/verify-protocol';

const root = join(import.meta.dirname, '../../..');
let out: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'cc-shell-build-'));
  await promisify(execFile)(process.execPath, [join(root, 'electron/build-shell.mjs'), out]);
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

function requires(file: string): string[] {
  const text = readFileSync(join(out, file), 'utf8');
  return [...new Set([...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1] as string))].sort();
}

describe('npm run build:electron: the bundles electron-builder packs', () => {
  it('leaves the main bundle needing only Electron, the native modules and Node built-ins', () => {
    const external = requires('main.cjs').filter(
      (name) => !name.startsWith('node:') && !builtinModules.includes(name),
    );
    expect(external.every((name) => ['electron', 'keytar', 'better-sqlite3'].includes(name))).toBe(true);
    expect(external).toContain('electron');
  });

  it("puts the package verifier's hashing workers beside main, where main looks for them by its own URL", async () => {
    const main = readFileSync(join(out, 'main.cjs'), 'utf8');
    expect(main).toContain('pathToFileURL(__filename).href');
    expect(main).toContain('"./hash-worker.mjs", __mainModuleUrl');
    expect(main).toContain('"./range-hash-worker.mjs", __mainModuleUrl');
    // Each copy runs from there: a range of a file hashed on a worker started from its URL.
    const file = join(out, 'bytes.bin');
    writeFileSync(file, 'abcdef');
    const worker = new Worker(pathToFileURL(join(out, 'range-hash-worker.mjs')), {
      workerData: { path: file },
    });
    worker.postMessage({ id: 1, start: 1, length: 3 });
    const reply = await new Promise<{ id: number; sha256: string | null }>((resolve, reject) => {
      worker.on('message', (m: { id?: number; sha256: string | null }) => m.id === 1 && resolve(m as never));
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(reply.sha256).toBe(createHash('sha256').update('bcd').digest('hex'));
    expect(readFileSync(join(out, 'hash-worker.mjs'), 'utf8')).toContain("from 'node:worker_threads'");
  });

  it("lets the evidence cache's read threads load better-sqlite3 from where main loads it (inside the asar)", () => {
    const main = readFileSync(join(out, 'main.cjs'), 'utf8');
    // The threads' code is a string inside main.cjs; the module path is resolved from main's own URL.
    expect(main).toContain('createRequire)(__mainModuleUrl).resolve("better-sqlite3")');
    expect(main).toContain('require(workerData.sqlite)');
  });

  it('makes a preload a sandboxed renderer can load: it requires nothing but electron', () => {
    expect(requires('preload.cjs')).toEqual(['electron']);
    expect(readFileSync(join(out, 'preload.cjs'), 'utf8')).toContain('exposeInMainWorld');
  });

  it('makes a verifier worker that needs nothing outside itself (so it runs from inside the asar)', async () => {
    expect(requires('verify-worker.cjs').every((name) => name.startsWith('node:'))).toBe(true);
    const file = join(out, 'not-an-export.jsonl');
    writeFileSync(file, 'not an audit export\n');
    const job: VerifyJob = { path: file, keys: [], trusted: [], expectedOrigin: null };
    const worker = new Worker(pathToFileURL(join(out, 'verify-worker.cjs')), { workerData: job });
    const done = await new Promise<WorkerMessage>((resolve, reject) => {
      worker.on('message', (message: WorkerMessage) => message.kind === 'done' && resolve(message));
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(done).toMatchObject({
      kind: 'done',
      report: { verdict: 'unverifiable' },
      sha256: createHash('sha256').update('not an audit export\n').digest('hex'),
    });
  });
});
