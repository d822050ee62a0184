import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import keytar from 'keytar';
import { build } from 'vite';
import { createConsoleServices } from '../../electron/services/console-services';
import { type HeadlessHost, startHeadlessHost } from '../../electron/services/host/headless-host';
import { Vault } from '../../electron/services/vault/vault';

let host: HeadlessHost;
let secret: string;

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
  secret = new URLSearchParams(new URL(host.url).hash.slice(1)).get('k') ?? '';
});
test.afterAll(() => host.close());

/** Console errors and page errors, collected from the moment a page opens. */
function problemsOf(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
}

/** The renderer's own next contract call, and how the host answered it. */
const rendererCall = (page: Page) =>
  page.waitForResponse((response) => new URL(response.url()).pathname.startsWith('/contract/'));

test('the built renderer loads under its CSP and reaches the contract with the launch secret', async ({
  page,
}, info) => {
  const problems = problemsOf(page);
  const called = rendererCall(page);
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Compliance Console' })).toBeVisible();
  expect((await called).status()).toBe(200);
  const reply = await page.evaluate(async (key) => {
    const response = await fetch('/contract/profiles.list', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-cc-launch': key },
      body: '{}',
    });
    return response.json();
  }, secret);
  expect(reply).toEqual({ ok: true, value: { profiles: [] } });
  expect(problems).toEqual([]);
  const withoutSecret = await page.evaluate(
    async () => (await fetch('/contract/profiles.list', { method: 'POST', body: '{}' })).status,
  );
  expect(withoutSecret).toBe(401);
  await page.screenshot({ path: info.outputPath('headless-console.png') });
});

test('the launch secret leaves the address bar once read, and a reload still reaches the contract', async ({
  page,
}) => {
  const problems = problemsOf(page);
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Compliance Console' })).toBeVisible();
  await expect.poll(() => page.url()).toBe(`${host.origin}/`);
  expect(await page.evaluate(() => location.href)).not.toContain('#k=');

  const called = rendererCall(page);
  await page.reload();
  expect((await called).status()).toBe(200);
  expect(page.url()).toBe(`${host.origin}/`);

  // The printed URL pasted again into the same tab changes only the fragment: it is taken out again.
  await page.evaluate((url) => {
    location.href = url;
  }, host.url);
  await expect.poll(() => page.url()).toBe(`${host.origin}/`);
  expect(problems).toEqual([]);
});

test("the page's CSP meta tag is the header's policy, less frame-ancestors (which a meta tag cannot carry)", async ({
  request,
}) => {
  const response = await request.get(`${host.origin}/`);
  const header = response.headers()['content-security-policy'] ?? '';
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/i.exec(
    await response.text(),
  )?.[1];
  expect(header).toContain("frame-ancestors 'none'");
  expect(meta).toBe(
    header
      .split('; ')
      .filter((directive) => !directive.startsWith('frame-ancestors '))
      .join('; '),
  );
});
