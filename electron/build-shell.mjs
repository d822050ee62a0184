// `npm run build:electron`: bundles the thin shell with esbuild. Main keeps Electron and the native
// modules external (they load from node_modules in the asar, their .node files unpacked beside it); the
// verifier's worker is bundled whole, so it runs from inside the asar too. The preload is sandboxed, where
// `require` knows only `electron` and a few built-ins, so everything else is bundled into it.
import { copyFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
// An output folder may be given (the build test uses a temp one); the app's is dist/electron.
const outdir = process.argv[2] ? resolve(process.argv[2]) : join(root, 'dist/electron');
const common = {
  bundle: true,
  format: 'cjs',
  target: 'node22',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  // console-services.ts falls back to `import.meta.url` for its worker only when run from source; the
  // bundled main always passes the bundled worker's URL, so the empty value in CJS is never read.
  logOverride: { 'empty-import-meta': 'silent' },
};

await Promise.all([
  build({
    ...common,
    entryPoints: [join(root, 'electron/main.ts')],
    outfile: join(outdir, 'main.cjs'),
    platform: 'node',
    external: ['electron', 'keytar', 'better-sqlite3'],
    // The package verifier's hashing threads (shared/audit/node-chunk-hasher.ts, package/range-hasher.ts)
    // are found beside the module that starts them, by `import.meta.url`: in the CJS bundle that is main's
    // own URL, and the two worker files are copied beside it below.
    define: { 'import.meta.url': '__mainModuleUrl' },
    banner: { js: "const __mainModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  }),
  // The audit verifier's worker thread, loaded by main from beside itself (shell/verify-worker-location.ts).
  build({
    ...common,
    entryPoints: [join(root, 'electron/services/audit/verify-worker.ts')],
    outfile: join(outdir, 'verify-worker.cjs'),
    platform: 'node',
  }),
  build({
    ...common,
    entryPoints: [join(root, 'electron/preload.ts')],
    outfile: join(outdir, 'preload.cjs'),
    platform: 'browser',
    external: ['electron'],
  }),
]);

// Plain ES modules that import only Node built-ins: copied as they are, beside main.cjs.
await mkdir(outdir, { recursive: true });
await copyFile(join(root, 'shared/audit/hash-worker.mjs'), join(outdir, 'hash-worker.mjs'));
await copyFile(
  join(root, 'shared/audit/package/range-hash-worker.mjs'),
  join(outdir, 'range-hash-worker.mjs'),
);
