import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { totpCode } from '../../platform/auth/totp';
import { base32 } from '../../platform/crypto/random';
import { signedInAs } from '../fixtures/ui/console-journey';
import { callFromPage, startConsoleFor, type TestConsole } from '../helpers/console';
import { valueIn } from '../helpers/contract';
import { startPlatform, type TestPlatform } from '../helpers/platform';

let platform: TestPlatform;
let console_: TestConsole;

test.beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: false });
  console_ = await startConsoleFor(platform);
});
test.afterAll(async () => {
  await console_.close();
  await platform.stop();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Everything the renderer side received or holds: contract replies and events, DOM, storage. */
async function rendererSide(page: Page, captured: string[]): Promise<string> {
  const storage = await page.evaluate(() => {
    const dump = (s: Storage) =>
      Object.entries(s)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n');
    return `${dump(localStorage)}\n${dump(sessionStorage)}\n${document.cookie}`;
  });
  const state = JSON.stringify(await page.context().storageState());
  return [...captured, await page.content(), storage, state].join('\n');
}

test('an admin signs in through the platform page; secrets stay in the keychain and the main process', async ({
  page,
  context,
}, info) => {
  const admin = platform.user('acme', 'admin');
  const captured: string[] = [];
  page.on('response', async (response) => {
    if (new URL(response.url()).pathname.startsWith('/contract/')) captured.push(await response.text());
  });

  await page.goto(console_.host.url);
  await expect(page.getByLabel('Platform address')).toHaveValue(platform.url);
  await page.getByRole('button', { name: 'Sign in with browser' }).click();
  const [browser] = await Promise.all([
    context.waitForEvent('page'),
    page.getByRole('link', { name: "Open the platform's sign-in page" }).click(),
  ]);

  // The "system browser": the platform's own page, then the console's loopback answer.
  await expect(browser.getByRole('heading', { name: 'Sign in to Compliance Console' })).toBeVisible();
  await browser.screenshot({ path: info.outputPath('platform-sign-in-page.png') });
  await browser.getByLabel('E-mail address').fill(admin.email);
  await browser.getByLabel('Password').fill(admin.password);
  await browser.getByLabel('One-time code').fill(totpCode(admin.totpSeed, platform.clock.now()));
  await browser.getByRole('button', { name: 'Sign in' }).click();
  await expect(browser.getByRole('heading', { name: 'Signed in' })).toBeVisible();
  expect(new URL(browser.url()).hostname).toBe('127.0.0.1');

  await expect(page.getByLabel('Organization')).toHaveValue('acme');
  await expect(page.getByLabel('Environment')).toHaveValue('test');
  await expect(signedInAs(page, admin)).toBeVisible();
  await page.screenshot({ path: info.outputPath('console-signed-in.png') });

  // Tokens land in the real keychain: a refresh token and a device key for this profile.
  const profile = { platformOrigin: platform.url, principalId: admin.userId };
  const refreshToken = (await console_.vault.get(profile, 'refresh-token')) ?? '';
  const deviceKey = JSON.parse((await console_.vault.get(profile, 'device-signing-key')) ?? '{}');
  expect(refreshToken).toMatch(/^rt_/);
  expect(deviceKey.pkcs8).toBeTruthy();

  // Key creation through the contract: the new secret is answered once, to this call only.
  const tenant = { organization: 'acme', environment: 'test' };
  const created = valueIn(
    await callFromPage(page, 'apiKeys.create', {
      profile,
      tenant,
      request: { name: 'hygiene check', scopes: ['audit:read'] },
    }),
  );
  expect(created.outcome).toBe('done');
  const newKeySecret: string = created.secret;

  // An approval decision through the contract, signed by the device key in the main process.
  const member = platform.user('acme', 'member');
  const memberSession = await platform.signIn(member);
  const raised = await platform.call('POST', '/v1/orgs/acme/envs/test/approvals', {
    token: memberSession.accessToken,
    body: { kind: 'custom.deploy', title: 'Deploy the reporting job', payload: { version: '1.4.2' } },
  });
  expect(raised.status).toBe(201);
  const decided = valueIn(
    await callFromPage(page, 'approvals.decide', {
      profile,
      tenant,
      requestId: raised.json.id,
      decision: 'approve',
      comment: 'Looks right.',
    }),
  );
  expect(decided.deviceKeyId).toBe(deviceKey.id);
  expect(JSON.parse(decided.signedStatement)).toMatchObject({
    requestId: raised.json.id,
    decision: 'approve',
  });

  // The secrets used: the password, the TOTP seed, the refresh token, the device's private key, and
  // the new key's secret (which may appear in exactly one reply: the one that created it).
  const secrets = {
    password: admin.password,
    totpSeed: base32(admin.totpSeed),
    refreshToken,
    refreshTokenSecret: refreshToken.split('.')[1] ?? '',
    devicePrivateKey: deviceKey.pkcs8,
  };
  const renderer = await rendererSide(page, captured);
  const logs = [...console_.logLines, ...platform.logLines].join('\n');
  const files = filesUnder(console_.dataDir)
    .map((f) => readFileSync(f).toString('latin1'))
    .join('\n');
  for (const [name, secret] of Object.entries(secrets)) {
    expect(secret.length, name).toBeGreaterThan(8);
    expect(renderer.includes(secret), `${name} reached the renderer`).toBe(false);
    expect(logs.includes(secret), `${name} reached a log`).toBe(false);
    expect(files.includes(secret), `${name} reached a file`).toBe(false);
  }
  expect(captured.filter((text) => text.includes(newKeySecret))).toHaveLength(1);
  expect(logs.includes(newKeySecret)).toBe(false);
  expect(files.includes(newKeySecret)).toBe(false);
  // No bearer token of any kind crossed to the renderer.
  expect(renderer).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\./);
});

test('an auditor signs in with an API key; the key goes to the keychain and is never answered back', async ({
  page,
}) => {
  const admin = platform.user('acme', 'admin');
  const session = await platform.signIn(admin);
  const created = await platform.call('POST', '/v1/orgs/acme/envs/live/api-keys', {
    token: session.accessToken,
    body: { name: 'auditor laptop', scopes: ['audit:read', 'audit:export'] },
  });
  const apiKey: string = created.json.secret;
  const captured: string[] = [];
  page.on('response', async (response) => {
    if (new URL(response.url()).pathname.startsWith('/contract/')) captured.push(await response.text());
  });
  await page.goto(console_.host.url);
  // The address is suggested once the console has checked the keychain and read its settings.
  await expect(page.getByLabel('Platform address')).toHaveValue(platform.url);
  await page.getByLabel('API key', { exact: true }).fill(apiKey);
  await page.getByRole('button', { name: 'Sign in with API key' }).click();
  await expect(page.getByLabel('Environment')).toHaveValue('live');
  await expect(page.getByText('LIVE — real data')).toBeVisible();
  const renderer = await rendererSide(page, captured);
  expect(renderer.includes(apiKey.split('.')[1] ?? 'x')).toBe(false);
  expect(console_.logLines.join('\n').includes(apiKey)).toBe(false);
  expect(
    await console_.vault.get({ platformOrigin: platform.url, principalId: created.json.key.id }, 'api-key'),
  ).toBe(apiKey);
});

test('a platform address that cannot be reached gets a clear error and keeps what was typed', async ({
  page,
}) => {
  await page.goto(console_.host.url);
  // The suggested address arrives once the console has read its settings; typing before it would race it.
  await expect(page.getByLabel('Platform address')).toHaveValue(platform.url);
  await page.getByLabel('Platform address').fill('http://127.0.0.1:1');
  await page.getByRole('button', { name: 'Sign in with browser' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'The platform cannot be reached. Check the address and your connection.',
  );
  await expect(page.getByLabel('Platform address')).toHaveValue('http://127.0.0.1:1');
});

test('an API key with no platform address asks for the address and keeps the key typed', async ({ page }) => {
  await page.goto(console_.host.url);
  const address = page.getByLabel('Platform address');
  await expect(address).toHaveValue(platform.url);
  await address.fill('');
  const key = `cck_live_${'a'.repeat(26)}.${'b'.repeat(43)}`;
  await page.getByLabel('API key', { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Sign in with API key' }).click();
  await expect(page.getByRole('alert')).toHaveText(/Enter the platform address first/);
  await expect(address).toBeFocused();
  await expect(page.getByLabel('API key', { exact: true })).toHaveValue(key);
});
