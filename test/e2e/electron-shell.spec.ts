import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type ElectronApplication, _electron as electron, expect, type Page, test } from '@playwright/test';
import { installedElectronBinary } from '../../electron/electron-binary';
import type { ConsoleBridge } from '../../shared/contract/bridge';
import { paintedScreenshot } from '../fixtures/ui/screenshot';

// The real Electron app, launched from the bundles `npm run test:browser` builds first (this spec builds
// nothing). Where the Electron binary was never downloaded, every test here is reported as skipped.
const root = join(import.meta.dirname, '../..');
const mainBundle = join(root, 'dist/electron/main.cjs');

const binary = installedElectronBinary();
const skipReason =
  'Electron binary is not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD); the shell is covered by test/electron/shell instead';

type WithBridge = typeof globalThis & { consoleBridge: ConsoleBridge };

let app: ElectronApplication;
let page: Page;

test.beforeAll(async () => {
  if (binary === undefined) {
    // The list reporter shows skips without their reason, so it is said once here as well.
    process.stderr.write(`electron-shell.spec.ts skipped: ${skipReason}\n`);
    test.skip(true, skipReason);
    return;
  }
  expect(existsSync(mainBundle), 'run `npm run build:electron` (npm run test:browser does)').toBe(true);
  const args = [mainBundle];
  // Chromium refuses to run as root with its OS sandbox; Electron's own renderer sandbox stays on.
  if (process.getuid?.() === 0) args.unshift('--no-sandbox');
  // No display (CI without Xvfb): Chromium's headless Ozone backend.
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    args.unshift('--ozone-platform=headless');
  const { ELECTRON_RUN_AS_NODE: _runAsNode, ...env } = process.env;
  app = await electron.launch({ executablePath: binary, args, env: env as Record<string, string> });
  page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
});
test.afterAll(async () => {
  await app?.close();
});

test('the window shows the console from app://console with only the two bridge functions', async () => {
  expect(page.url()).toBe('app://console/index.html');
  const keys = await page.evaluate(() => Object.keys((globalThis as WithBridge).consoleBridge).sort());
  expect(keys).toEqual(['call', 'onEvent']);
});

test('the renderer has no Node: require, process and module are undefined', async () => {
  const types = await page.evaluate(() => {
    const scope = globalThis as unknown as Record<string, unknown>;
    return [typeof scope.require, typeof scope.process, typeof scope.module];
  });
  expect(types).toEqual(['undefined', 'undefined', 'undefined']);
});

test('a contract call goes through IPC to the services', async () => {
  const reply = await page.evaluate(() => (globalThis as WithBridge).consoleBridge.call('profiles.list', {}));
  expect(reply).toEqual({ ok: true, value: { profiles: [] } });
});

test('the page is served with the strict CSP header', async () => {
  const csp = await page.evaluate(
    async () => (await fetch('app://console/index.html')).headers.get('content-security-policy') ?? '',
  );
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
});

test('navigation away from the console is blocked', async () => {
  await page.evaluate(() => {
    location.href = 'https://example.com/';
  });
  await page.waitForTimeout(1000);
  expect(page.url()).toBe('app://console/index.html');
  const mainSide = await app.evaluate(({ BrowserWindow }) =>
    BrowserWindow.getAllWindows()[0]?.webContents.getURL(),
  );
  expect(mainSide).toBe('app://console/index.html');
});

test('window.open returns null and opens no window', async () => {
  // Not https, so nothing reaches the system browser during the test either.
  const opened = await page.evaluate(() => [window.open('about:blank'), window.open('http://example.com/')]);
  expect(opened).toEqual([null, null]);
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
});

test('the window paints the console’s sign-in screen (kept as a screenshot)', async () => {
  await expect(page.getByRole('heading', { name: 'Sign in to Compliance Console' })).toBeVisible();
  await paintedScreenshot(page, test.info().outputPath('electron-console.png'));
});
