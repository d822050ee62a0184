import { Worker } from 'node:worker_threads';
import { sqlitePath } from './read-threads';

// Plain JavaScript evaluated in the thread (as read-threads.ts does, so it loads the same from source, from
// tsx and from the bundled app). Its own connection to the cache's file; each request is one PASSIVE
// checkpoint, answered with SQLite's own account of it.
const source = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
} catch {
  process.exit(1);
}
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    process.exit(0);
  }
  try {
    const [state] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true, copied: state.checkpointed });
  } catch {
    parentPort.postMessage({ ok: false });
  }
});
`;

/** What the thread's checkpoints have done, as SQLite reported it. */
export interface WalCheckpointStats {
  readonly runs: number;
  /** WAL frames copied back into the file, summed over the runs. */
  readonly copied: number;
}

/** SQLite's default: a checkpoint once the WAL holds this many pages. */
export const CHECKPOINT_PAGES = 1000;

/**
 * Copies the cache's WAL back into its file on a thread of its own. SQLite's automatic checkpoint runs in
 * the connection that commits, and there it copies a thousand pages and waits for two fsyncs, every
 * hundred and sixty 64 KiB puts or so: on the main thread that stalls the console (IPC, the window) for as
 * long as the disk takes, and a put's own work (hashing, sealing) cannot overlap the disk's. So the main
 * connection's automatic checkpoint is pushed back to a backstop (CacheStore), and the store tells this
 * thread how many pages it wrote; every CHECKPOINT_PAGES of them, one PASSIVE checkpoint (it never blocks
 * the writer or the readers). A thread that cannot open the file, or dies, says so once (`onBroken`), and
 * the store gives checkpoints back to its own connection. Durability is SQLite's in WAL mode either way.
 */
export class WalCheckpointer {
  #worker: Worker | undefined;
  #pages = 0;
  #running = false;
  #broken = false;
  #closing = false;
  #runs = 0;
  #copied = 0;
  #waiting: (() => void)[] = [];

  constructor(
    private readonly file: string,
    private readonly onBroken: () => void,
    private readonly everyPages = CHECKPOINT_PAGES,
  ) {}

  /** After a commit that wrote about `pages` pages. */
  wrote(pages: number): void {
    if (this.#broken || this.#closing) return;
    this.#pages += pages;
    if (this.#running || this.#pages < this.everyPages) return;
    let worker: Worker;
    try {
      worker = this.#thread();
      worker.postMessage('checkpoint');
    } catch {
      // No thread to be had: the store's own connection checkpoints from now on.
      this.#broken = true;
      this.onBroken();
      return;
    }
    this.#pages = 0;
    this.#running = true;
    worker.ref();
  }

  get stats(): WalCheckpointStats {
    return { runs: this.#runs, copied: this.#copied };
  }

  /** Resolves once no checkpoint is running. */
  idle(): Promise<void> {
    if (!this.#running) return Promise.resolve();
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** The thread closes its connection and ends; a checkpoint it is running finishes first. */
  close(): void {
    this.#closing = true;
    this.#worker?.postMessage('close');
    this.#worker?.unref();
    this.#worker = undefined;
  }

  #thread(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(source, { eval: true, workerData: { sqlite: sqlitePath(), file: this.file } });
    worker.on('message', (answer: { ok: boolean; copied?: number }) => {
      if (answer.ok) {
        this.#runs++;
        this.#copied += answer.copied ?? 0;
      }
      this.#done(worker);
    });
    worker.once('exit', () => {
      if (this.#worker === worker) this.#worker = undefined;
      this.#done(worker);
      if (this.#closing || this.#broken) return;
      this.#broken = true;
      this.onBroken();
    });
    worker.on('error', () => {});
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  #done(worker: Worker): void {
    this.#running = false;
    worker.unref();
    for (const resolve of this.#waiting.splice(0)) resolve();
  }
}
