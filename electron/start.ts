// `npm start`: the embedded demo platform in a process of its own, and the console beside it. Where the
// Electron binary is missing (as on these machines) the console is served by the headless host instead,
// and the one line that says so is the only difference.
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { installedElectronBinary } from './electron-binary';
import { createConsoleServices } from './services/console-services';
import { type HeadlessHost, startHeadlessHost } from './services/host/headless-host';
import {
  keychainWorks,
  type PrivateKeychain,
  startPrivateKeychain,
  waitForKeychain,
} from './services/vault/private-keychain';

const root = join(import.meta.dirname, '..');

// The demo needs somewhere to keep its sign-in. On Linux without a Secret Service (a server, an SSH
// session) it gets a private, throwaway keychain; the packaged app never does this, it says what is
// missing instead (and so does this console, where no keychain can be started).
let privateKeychain: PrivateKeychain | undefined;
if (!(await keychainWorks(process.env, root))) {
  privateKeychain = await startPrivateKeychain();
  if (privateKeychain && (await waitForKeychain({ ...process.env, ...privateKeychain.env }, root))) {
    Object.assign(process.env, privateKeychain.env);
    process.stdout.write(
      'No OS keychain here, so the demo keeps its secrets in a private, throwaway one (demo data only).\n',
    );
  } else {
    privateKeychain?.stop();
    privateKeychain = undefined;
  }
}

const platform = spawn(process.execPath, ['--import', 'tsx', join(root, 'platform/cli/main.ts'), 'demo'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
platform.once('exit', (code) => {
  process.stderr.write(`The demo platform stopped (exit ${code}).\n`);
  privateKeychain?.stop();
  process.exit(code ?? 1);
});
// The platform's output (the seed's summary, the one-time credentials) is passed through as it comes;
// the console starts once the platform listens, so the address to open is the last thing printed.
const platformListening = new Promise<void>((resolve) => {
  let seen = '';
  platform.stdout.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    seen = (seen + chunk.toString('utf8')).slice(-4096);
    if (seen.includes('Platform API listening on')) resolve();
  });
});
await platformListening;

let host: HeadlessHost | undefined;

/** The console in a browser, for machines without Electron (or where its window could not start). */
async function serveHeadless(): Promise<void> {
  host = await startHeadlessHost({
    rendererDir: join(root, 'dist/renderer'),
    services: createConsoleServices({
      dataDir: join(homedir(), '.compliance-console', 'console'),
      defaultPlatformUrl: 'http://127.0.0.1:4610',
    }),
  });
  process.stdout.write(`\nOpen the console: ${host.url}\n`);
}

const electronPath = installedElectronBinary();
if (electronPath) {
  // The real app: the shell built by `npm run build:electron`, pointed at the demo platform above. The
  // variable would turn Electron into plain Node, so it never reaches the child. Only one console runs:
  // two would share one keychain, and their refreshes would look like a stolen refresh token.
  const { ELECTRON_RUN_AS_NODE: _runAsNode, ...env } = process.env;
  const electron = spawn(electronPath, [join(root, 'dist/electron/main.cjs')], {
    stdio: 'inherit',
    env: { ...env, CC_PLATFORM_URL: 'http://127.0.0.1:4610' },
  });
  // Closing the window ends `npm start`: stopping the platform is what makes this process exit. A window
  // that could not start (native modules still built for Node rather than Electron) falls back to the
  // headless console and says how to fix it.
  electron.once('exit', (code) => {
    if (code === 0) return platform.kill('SIGINT');
    process.stderr.write(
      `The Electron window could not start (exit ${code}); its native modules may be built for Node. ` +
        'Run `npx electron-builder install-app-deps` (and `npm rebuild` before `npm test`). ' +
        'Serving the headless console instead.\n',
    );
    void serveHeadless();
  });
  process.stdout.write('Electron is installed, so the console opens in its own window.\n');
} else {
  process.stdout.write(
    'Electron is not installed here, so the console is served by the headless host instead.\n',
  );
  await serveHeadless();
}

const stop = async () => {
  await host?.close();
  platform.kill('SIGINT');
  privateKeychain?.stop();
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
