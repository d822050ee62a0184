import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import keytar from 'keytar';
import { build } from 'vite';
import { createConsoleServices } from '../../electron/services/console-services';
import { type HeadlessHost, startHeadlessHost } from '../../electron/services/host/headless-host';
import { Vault } from '../../electron/services/vault/vault';

let host: HeadlessHost;

test.beforeAll(async () => {
  const outDir = mkdtempSync(join(tmpdir(), 'cc-renderer-build-'));
  await build({
    configFile: join(import.meta.dirname, '../../vite.config.ts'),
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true },
  });
  const vault = new Vault(keytar, `cc-e2e-host-${process.pid}`);
  host = await startHeadlessHost({
    rendererDir: outDir,
    services: createConsoleServices({ dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')), vault }),
  });
});
test.afterAll(() => host.close());

test('the built renderer loads under its CSP and reaches the contract with the launch secret', async ({
  page,
}, info) => {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Compliance Console' })).toBeVisible();
  const reply = await page.evaluate(async () => {
    const secret = new URLSearchParams(location.hash.slice(1)).get('k') ?? '';
    const response = await fetch('/contract/profiles.list', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-cc-launch': secret },
      body: '{}',
    });
    return response.json();
  });
  expect(reply).toEqual({ ok: true, value: { profiles: [] } });
  expect(problems).toEqual([]);
  const withoutSecret = await page.evaluate(
    async () => (await fetch('/contract/profiles.list', { method: 'POST', body: '{}' })).status,
  );
  expect(withoutSecret).toBe(401);
  await page.screenshot({ path: info.outputPath('headless-console.png') });
});
