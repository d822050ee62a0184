// The Electron main process, kept thin: it wires Electron's objects to decisions made in `shell/` (plain
// modules, unit-tested without Electron) and to the console's services (plain Node, shared with the
// headless host). Built to dist/electron/main.cjs by `npm run build:electron`.
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  type IpcMainInvokeEvent,
  ipcMain,
  protocol,
  session,
  shell,
  type WebContents,
} from 'electron';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../shared/contract/bridge';
import type { ContractReply } from '../shared/contract/contract';
import { IPC_DROP_CHANNEL } from '../shared/contract/dropped-files';
import { createConsoleServices } from './services/console-services';
import { fileDialogs, saveDialogs } from './services/files/file-dialogs';
import { logLine } from './services/log-line';
import { APP_SCHEME, entryUrl, isAppUrl } from './shell/app-origin';
import { serveAppRequest } from './shell/app-protocol';
import { isOpenableExternally } from './shell/external-links';
import { isTrustedSender } from './shell/ipc-sender';
import { launchOptions } from './shell/launch-options';
import { verifyWorkerUrl } from './shell/verify-worker-location';
import { createSecureWindow } from './shell/window-options';

const forbidden: ContractReply = {
  ok: false,
  error: { code: 'forbidden', message: 'Only the console window may call the console.' },
};

// Must precede `ready`: a standard, secure scheme gets a real origin (so 'self' in the CSP and the
// sender checks mean something) without the extra powers Electron gives `file://`. `corsEnabled` stays
// unset on purpose: it would let other origins read app:// responses.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
app.enableSandbox();

let consoleWindow: BrowserWindow | undefined;
const launch = launchOptions({ isPackaged: app.isPackaged, env: process.env });

/**
 * The single path to the system browser. Page links (window.open) must be https; URLs the services build
 * towards the platform may also be loopback http, as the platform client itself allows (the demo).
 */
function openExternally(url: string, from: 'page' | 'services'): Promise<void> {
  if (!isOpenableExternally(url, { allowLoopbackHttp: from === 'services' }))
    return Promise.reject(new Error('Only https links open outside the console.'));
  return shell.openExternal(url);
}

function isConsoleWindowCall(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  const ours =
    consoleWindow !== undefined &&
    !consoleWindow.isDestroyed() &&
    event.sender.id === consoleWindow.webContents.id;
  return (
    ours &&
    isTrustedSender({
      frameUrl: frame?.url,
      frameOrigin: frame?.origin,
      isMainFrame: frame !== null && !frame.parent,
    })
  );
}

// Every web contents, including ones we never meant to create, gets the same guards: no webviews, no
// navigation away from the console, no new windows (https links go to the system browser instead).
function guardWebContents(contents: WebContents): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  // will-navigate sees only the main frame; this one sees every frame, so an iframe cannot be sent away.
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  // Packaged, DevTools are off in every window's preferences; any other way they open, they close again.
  if (!launch.devTools) contents.on('devtools-opened', () => contents.closeDevTools());
  contents.setWindowOpenHandler(({ url }) => {
    // Only the console's own page may send a link out; the check on the link itself is openExternally's.
    if (isAppUrl(contents.getURL())) void openExternally(url, 'page').catch(() => {});
    return { action: 'deny' };
  });
}

function createWindow(): BrowserWindow {
  const created = createSecureWindow(BrowserWindow, join(__dirname, 'preload.cjs'), {
    devTools: launch.devTools,
  });
  created.once('ready-to-show', () => created.show());
  created.on('closed', () => {
    if (consoleWindow === created) consoleWindow = undefined;
  });
  void created.loadURL(entryUrl(launch.platformUrl));
  return created;
}

function focusWindow(): void {
  if (!consoleWindow) return;
  if (consoleWindow.isMinimized()) consoleWindow.restore();
  consoleWindow.focus();
}

async function start(): Promise<void> {
  await app.whenReady();
  const rendererRoot = realpathSync(join(__dirname, '..', 'renderer'));
  const services = createConsoleServices({
    dataDir: app.getPath('userData'),
    openExternal: (url) => openExternally(url, 'services'),
    defaultPlatformUrl: launch.platformUrl,
    verifyWorkerUrl: verifyWorkerUrl(__dirname),
    chooseFile: async (purpose) => {
      const parent = consoleWindow && !consoleWindow.isDestroyed() ? consoleWindow : undefined;
      const options = { ...fileDialogs[purpose], properties: ['openFile' as const] };
      const chosen = parent
        ? await dialog.showOpenDialog(parent, options)
        : await dialog.showOpenDialog(options);
      return chosen.canceled ? undefined : chosen.filePaths[0];
    },
    chooseSavePath: async (suggestedName, purpose) => {
      const parent = consoleWindow && !consoleWindow.isDestroyed() ? consoleWindow : undefined;
      const options = { ...saveDialogs[purpose], defaultPath: suggestedName };
      const chosen = parent
        ? await dialog.showSaveDialog(parent, options)
        : await dialog.showSaveDialog(options);
      return chosen.canceled ? undefined : chosen.filePath;
    },
    // A report the console wrote itself (files.getReport): opened by the system, never by the renderer.
    openPath: async (path) => {
      const problem = await shell.openPath(path);
      if (problem) throw new Error(`The report could not be opened: ${problem}`);
    },
  });

  // The console asks for no browser permission (camera, notifications, clipboard, HID...): all refused.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.setDevicePermissionHandler(() => false);

  protocol.handle(APP_SCHEME, async (request) => {
    const reply = await serveAppRequest(rendererRoot, request);
    return new Response(reply.body, { status: reply.status, headers: reply.headers });
  });

  ipcMain.handle(IPC_CALL_CHANNEL, (event, name: unknown, input: unknown): Promise<ContractReply> => {
    if (!isConsoleWindowCall(event)) return Promise.resolve(forbidden);
    return services.dispatcher.dispatch(name, input);
  });
  ipcMain.handle(IPC_DROP_CHANNEL, (event, paths: unknown): Promise<ContractReply> => {
    if (!isConsoleWindowCall(event)) return Promise.resolve(forbidden);
    return services.grantDroppedPaths(paths);
  });
  services.events.subscribe((name, payload) => {
    const contents = consoleWindow && !consoleWindow.isDestroyed() ? consoleWindow.webContents : undefined;
    if (contents && isAppUrl(contents.getURL())) contents.send(IPC_EVENT_CHANNEL, name, payload);
  });

  app.on('activate', () => {
    if (!consoleWindow) consoleWindow = createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.once('will-quit', (event) => {
    // Services get to finish (the keychain and cache close cleanly) before the process ends.
    event.preventDefault();
    void services.close().finally(() => app.exit(0));
  });

  consoleWindow = createWindow();
}

// A second launch hands its focus to the first and exits: two instances would share one keychain
// service and one data directory.
if (app.requestSingleInstanceLock()) {
  app.on('second-instance', focusWindow);
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
  start().catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${logLine(`The console could not start: ${reason}`)}\n`);
    app.exit(1);
  });
} else {
  app.quit();
}
