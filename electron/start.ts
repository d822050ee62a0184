// `npm start`: the embedded demo platform in a process of its own, and the console beside it. Where the
// Electron binary is missing (as on these machines) the console is served by the headless host instead,
// and the one line that says so is the only difference.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createConsoleServices } from './services/console-services';
import { type HeadlessHost, startHeadlessHost } from './services/host/headless-host';

const root = join(import.meta.dirname, '..');

function electronBinary(): string | undefined {
  try {
    // The electron package exports the binary's path, and throws when the binary was never downloaded.
    return createRequire(import.meta.url)('electron') as string;
  } catch {
    return undefined;
  }
}

const platform = spawn(process.execPath, ['--import', 'tsx', join(root, 'platform/cli/main.ts'), 'demo'], {
  stdio: 'inherit',
});
platform.once('exit', (code) => {
  process.stderr.write(`The demo platform stopped (exit ${code}).\n`);
  process.exit(code ?? 1);
});

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
  process.stdout.write(`Console: ${host.url}\n`);
}

const electronPath = electronBinary();
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
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
