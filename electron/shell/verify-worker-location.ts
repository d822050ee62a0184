import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The bundled audit verifier, written beside main.cjs by `npm run build:electron`. */
export const VERIFY_WORKER_FILE = 'verify-worker.cjs';

/**
 * Where the packaged app's verifier worker is loaded from: beside main, inside app.asar. Electron reads
 * worker-thread scripts from an asar (since Electron 17), so nothing is unpacked: the asar integrity
 * fuse then covers the worker's code as it covers main's, and a file beside the archive, which anyone
 * who can write the install folder could replace, is never run.
 */
export function verifyWorkerUrl(mainDir: string): URL {
  return pathToFileURL(join(mainDir, VERIFY_WORKER_FILE));
}
