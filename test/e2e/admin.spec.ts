import { expect, type Page, test } from '@playwright/test';
import { signInThroughPlatformPage } from '../fixtures/ui/console-journey';
import { buildRenderer, callFromPage, startConsole, type TestConsole } from '../helpers/console';
import { startPlatform, type TestPlatform } from '../helpers/platform';

// The admin's journey through the real console (headless host, real main-process services, real
// keychain) against a real platform with its default policy: key writes are carried out in test and
// become approval requests (yellow) in live; role changes take the live lane (red) wherever they are raised.
let platform: TestPlatform;
let rendererDir: string;
let console_: TestConsole;

test.beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
  rendererDir = await buildRenderer();
  console_ = await startConsole({ rendererDir, platformUrl: platform.url, now: () => platform.clock.now() });
});
test.afterAll(async () => {
  await console_.close();
  await platform.stop();
});

/** Uploads a file to a tenant as the admin and opens it through the console, so the cache holds it. */
async function cacheEvidence(page: Page, environment: 'test' | 'live', name: string) {
  const admin = platform.user('acme', 'admin');
  const { accessToken } = await platform.signIn(admin);
  const uploaded = await platform.call('POST', `/v1/orgs/acme/envs/${environment}/evidence?name=${name}`, {
    token: accessToken,
    rawBody: `contents of ${name}`,
    headers: { 'content-type': 'application/octet-stream' },
  });
  expect(uploaded.status).toBe(201);
  const opened = await callFromPage(page, 'evidence.open', {
    profile: { platformOrigin: platform.url, principalId: admin.userId },
    tenant: { organization: 'acme', environment },
    evidenceId: uploaded.json.id,
  });
  expect(opened.ok).toBe(true);
}

test('an admin creates, copies and rotates a key, meets the live policy, and rotates the device and cache keys', async ({
  page,
  context,
}, info) => {
  test.setTimeout(120_000);
  const admin = platform.user('acme', 'admin');
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: new URL(console_.host.url).origin,
  });
  await signInThroughPlatformPage(page, context, console_, platform, admin);
  const nav = page.getByRole('navigation', { name: 'Console sections' });

  // API keys, in test: nothing yet.
  await nav.getByRole('button', { name: 'API keys' }).click();
  await expect(nav.getByRole('button', { name: 'API keys' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { name: 'API keys & credentials', level: 1 })).toBeVisible();
  await expect(page.getByText('No API keys in this tenant yet.')).toBeVisible();
  // The approval queue's single-letter keys belong to its screen only.
  await page.keyboard.press('a');
  await page.keyboard.press('r');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.screenshot({ path: info.outputPath('1-api-keys-empty.png') });

  // Create: the form says what is missing, Tab stays inside, then the key is made.
  await page.getByRole('button', { name: 'Create key…' }).click();
  const create = page.getByRole('dialog', { name: 'Create API key' });
  await expect(create.getByLabel('Name')).toBeFocused();
  await create.getByRole('button', { name: 'Create key' }).click();
  await expect(create.getByRole('alert')).toHaveText('Give the key a name (at most 100 characters).');
  await create.getByLabel('Name').fill('CI deploys');
  await create.getByRole('button', { name: 'Create key' }).click();
  await expect(create.getByRole('alert')).toHaveText('Choose at least one scope.');
  const scopes = create.getByRole('group', { name: 'Scopes' });
  await scopes.getByRole('checkbox', { name: 'approvals:read' }).check();
  await scopes.getByRole('checkbox', { name: 'approvals:request' }).check();
  await expect(scopes.getByRole('checkbox', { name: 'keys:manage' })).toHaveCount(0);
  await create.getByLabel('Expires after (days, optional)').fill('30');
  for (let i = 0; i < 20; i++) await page.keyboard.press('Tab');
  expect(await create.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  await create.screenshot({ path: info.outputPath('2-create-dialog.png') });
  await create.getByRole('button', { name: 'Create key' }).click();

  // The secret, once: monospace, copied to the clipboard, gone when the dialog closes.
  const shown = page.getByRole('dialog', { name: 'Your new API key' });
  await expect(shown.getByText('Copy it now: it will not be shown again.')).toBeVisible();
  const secret = (await shown.getByRole('figure', { name: 'Secret' }).locator('code').textContent()) ?? '';
  expect(secret).toMatch(/^cck_test_[a-z2-7]{26}\.[A-Za-z0-9_-]{20,}$/);
  expect(
    await shown.locator('code.one-time-secret__value').evaluate((e) => getComputedStyle(e).fontFamily),
  ).toMatch(/monospace/);
  await expect(shown.getByRole('button', { name: 'Copy' })).toBeFocused();
  await shown.getByRole('button', { name: 'Copy' }).click();
  await expect(shown.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await page.screenshot({ path: info.outputPath('3-secret-shown-once.png') });
  await shown.getByRole('button', { name: 'Done — I have stored it' }).click();
  await expect(shown).toBeHidden();
  expect(await page.content()).not.toContain(secret.split('.')[1]);

  const keys = page.getByRole('table', { name: 'API keys of this tenant' });
  const ci = keys.getByRole('row', { name: /CI deploys/ });
  await expect(ci).toContainText('Active');
  await expect(ci).toContainText('approvals:request');
  await expect(ci).toContainText('test');
  await expect(ci).toContainText('never');
  await expect(page.getByText(/Key CI deploys .* created\./)).toBeVisible();

  // Rotate with 24 hours' grace: a new secret, kept as a profile on request (Escape closes it); the old
  // key counts down, and revoking it ends it at once.
  await ci.getByRole('button', { name: 'Rotate CI deploys' }).click();
  const rotate = page.getByRole('dialog', { name: 'Rotate API key' });
  await expect(rotate.getByRole('radio', { name: '24 hours' })).toBeChecked();
  await rotate.screenshot({ path: info.outputPath('4a-rotate-dialog.png') });
  await rotate.getByRole('button', { name: 'Rotate key' }).click();
  const rotated = page.getByRole('dialog', { name: 'The rotated key’s new secret' });
  await expect(rotated.getByRole('figure', { name: 'Secret' }).locator('code')).toHaveText(/^cck_test_/);
  await rotated.getByRole('button', { name: 'Save into this computer’s keychain as a profile' }).click();
  const saved = rotated.getByRole('status').filter({ hasText: 'Saved into this computer’s keychain' });
  const savedKeyId = (await saved.locator('code').textContent()) ?? '';
  expect(savedKeyId).toMatch(/^cck_test_/);
  await page.keyboard.press('Escape');
  await expect(rotated).toBeHidden();
  await expect(keys.getByRole('row')).toHaveCount(3);
  const old = keys.getByRole('row', { name: /CI deploys/ }).filter({ hasText: 'In grace' });
  const timer = old.getByRole('timer');
  // The platform's clock runs a little ahead of this browser's (the tests move it for fresh codes).
  await expect(timer).toHaveText(/^stops working in (23:5\d|24:0\d):\d\d$/);
  await expect(timer).toHaveAttribute('aria-label', /^Stops working in (23 hours 5\d minutes|24 hours)/);
  const first = await timer.textContent();
  await expect(timer).not.toHaveText(first ?? '', { timeout: 3000 });
  await expect(old).toContainText('replaced by cck_test_');
  await expect(keys.getByRole('row', { name: /CI deploys/ }).filter({ hasText: 'Active' })).toHaveCount(1);
  await page.screenshot({ path: info.outputPath('4-old-key-in-grace.png') });
  await old.getByRole('button', { name: 'Revoke CI deploys' }).click();
  const revoke = page.getByRole('dialog', { name: 'Revoke API key' });
  await expect(revoke.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await revoke.getByRole('button', { name: 'Revoke key' }).click();
  await expect(keys.getByRole('row').filter({ hasText: 'Revoked' })).toContainText('CI deploys');
  // Its Revoke button is gone with the grace period: the focus waits on the heading, not on nothing.
  await expect(page.getByRole('heading', { name: 'API keys & credentials' })).toBeFocused();

  // Live: the same write becomes an approval request, named by kind, lane and status.
  await page.getByLabel('Environment').selectOption('live');
  await expect(page.getByText('LIVE — real data').first()).toBeVisible();
  await expect(page.getByText('No API keys in this tenant yet.')).toBeVisible();
  await page.getByRole('button', { name: 'Create key…' }).click();
  const liveCreate = page.getByRole('dialog', { name: 'Create API key' });
  await expect(liveCreate.getByText(/^LIVE — a key here reaches real data/)).toBeVisible();
  await liveCreate.getByLabel('Name').fill('Payroll sync');
  await liveCreate.getByRole('checkbox', { name: 'evidence:read' }).check();
  await liveCreate.getByRole('button', { name: 'Create key' }).click();
  await expect(liveCreate).toBeHidden();
  const raised = page.getByRole('status').filter({ hasText: 'Approval requested.' });
  await expect(raised).toContainText('API key: create');
  await expect(raised).toContainText('Yellow');
  await expect(raised).toContainText('needs one approval');
  await expect(raised).toContainText('Pending');
  await expect(raised).toContainText(/apr_[a-z2-7]{26}/);
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.screenshot({ path: info.outputPath('5-live-approval-requested.png') });

  // The device signing key: confirm, then the new id and the revoked one.
  const profile = { platformOrigin: platform.url, principalId: admin.userId };
  const before = JSON.parse((await console_.vault.get(profile, 'device-signing-key')) ?? '{}');
  await page.getByRole('button', { name: 'Rotate device signing key…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Rotate device signing key' });
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Rotate device key' }).click();
  const deviceNotice = page.getByRole('status').filter({ hasText: 'Device key rotated.' });
  await expect(deviceNotice).toContainText(`Revoked: ${before.id}`);
  const after = JSON.parse((await console_.vault.get(profile, 'device-signing-key')) ?? '{}');
  expect(after.id).not.toBe(before.id);
  await expect(deviceNotice).toContainText(`New key in use: ${after.id}`);
  await page.screenshot({ path: info.outputPath('6-device-key-rotated.png') });

  // Settings: the cache holds evidence of two tenants; its master key is rotated with a progress bar.
  await cacheEvidence(page, 'test', 'access-policy.txt');
  await cacheEvidence(page, 'live', 'vendor-contract.txt');
  await nav.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: /^2$/ })).toBeVisible();
  await page.getByRole('button', { name: 'Rotate cache master key' }).click();
  const bar = page.getByRole('progressbar', { name: 'Cache master key rotation' });
  await expect(bar).toHaveAttribute('aria-valuenow', '100');
  await expect(bar).toHaveAttribute('aria-valuetext', 'Done: 2 data keys re-wrapped');
  await expect(
    page.getByText('The cache master key was rotated; 2 data keys now use the new key.'),
  ).toBeVisible();
  const profiles = page.getByRole('list').filter({ hasText: 'In use' });
  await expect(profiles.getByRole('listitem').and(page.locator('[aria-current="true"]'))).toContainText(
    admin.email,
  );
  await expect(page.getByRole('listitem').filter({ hasText: savedKeyId })).toContainText('API key');
  await page.screenshot({ path: info.outputPath('7-settings-rotated.png') });
});

test('members and roles: the matrix, a role change that the policy turns into a request, quota and sign-out', async ({
  page,
  context,
}, info) => {
  const admin = platform.user('acme', 'admin');
  const viewer = platform.user('acme', 'viewer');
  await signInThroughPlatformPage(page, context, console_, platform, admin);
  const nav = page.getByRole('navigation', { name: 'Console sections' });
  await nav.getByRole('button', { name: 'Members & roles' }).click();

  const members = page.getByRole('table', { name: 'Members of this organization' });
  await expect(members.getByRole('row')).toHaveCount(7);
  const viewerRow = members.getByRole('row', { name: new RegExp(viewer.email) });
  await expect(viewerRow).toContainText('Viewer');
  const matrix = page.getByRole('table', { name: 'Permissions each role grants' });
  await expect(matrix.getByRole('columnheader', { name: 'Auditor' })).toBeVisible();
  const exportRow = matrix.getByRole('row', { name: /audit:export/ });
  await expect(exportRow.getByRole('rowheader')).toHaveText('audit:export');
  await expect(exportRow).toContainText('granted');
  await expect(exportRow).toContainText('not granted');

  // Change the viewer to auditor: Save waits for a different role, a confirmation, then the request.
  const save = viewerRow.getByRole('button', { name: /^Save/ });
  await expect(save).toBeDisabled();
  await viewerRow.getByRole('combobox').selectOption('auditor');
  await save.click();
  const dialog = page.getByRole('dialog', { name: 'Change role' });
  await expect(dialog).toContainText('from Viewer to Auditor');
  await dialog.screenshot({ path: info.outputPath('8a-change-role-dialog.png') });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(save).toBeFocused();
  await page.keyboard.press('Enter');
  await dialog.getByRole('button', { name: 'Change role' }).click();
  const raised = page.getByRole('status').filter({ hasText: 'Approval requested.' });
  await expect(raised).toContainText('Member role change');
  await expect(raised).toContainText('Red');
  await expect(raised).toContainText('Pending');
  await expect(viewerRow).toContainText('Viewer');
  await expect(viewerRow.getByRole('combobox')).toHaveValue('viewer');
  await expect(viewerRow.getByRole('combobox')).toBeFocused();
  await page.screenshot({ path: info.outputPath('8-members-role-requested.png') });
  await matrix.screenshot({ path: info.outputPath('8b-role-matrix.png') });

  // Settings: a quota that is not a number is refused before anything is asked; a good one is kept.
  await nav.getByRole('button', { name: 'Settings' }).click();
  const quota = page.getByLabel('Quota (MiB)');
  await quota.fill('ten');
  await page.getByRole('button', { name: 'Set quota' }).click();
  await expect(page.getByRole('alert')).toHaveText('Enter a whole number of MiB.');
  await quota.fill('256');
  await page.getByRole('button', { name: 'Set quota' }).click();
  await expect(page.getByText('Quota saved.')).toBeVisible();
  await expect(page.getByText(/ of 256 MiB$/)).toBeVisible();
  await page.getByRole('button', { name: 'Clear cache…' }).click();
  await page
    .getByRole('dialog', { name: 'Clear the evidence cache' })
    .getByRole('button', { name: 'Clear cache' })
    .click();
  await expect(page.getByText('The cache was cleared.')).toBeVisible();

  // Signing out the profile in use returns to the sign-in screen and empties its keychain entries.
  const item = page.getByRole('listitem').filter({ hasText: 'In use' });
  await item.getByRole('button', { name: /^Sign out/ }).click();
  await page.getByRole('dialog', { name: 'Sign out' }).getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in with browser' })).toBeVisible();
  const profile = { platformOrigin: platform.url, principalId: admin.userId };
  expect(await console_.vault.get(profile, 'refresh-token')).toBeUndefined();
});

test('offline: when the platform stops answering, the keys already shown stay, under a banner', async ({
  page,
  context,
}, info) => {
  const other = await startPlatform({ defaultPolicy: true });
  const otherConsole = await startConsole({
    rendererDir,
    platformUrl: other.url,
    now: () => other.clock.now(),
  });
  let stopped = false;
  try {
    const admin = other.user('globex', 'admin');
    const { accessToken } = await other.signIn(admin);
    await other.call('POST', '/v1/orgs/globex/envs/test/api-keys', {
      token: accessToken,
      body: { name: 'Warehouse feed', scopes: ['evidence:upload'] },
    });
    await signInThroughPlatformPage(page, context, otherConsole, other, admin);
    await page
      .getByRole('navigation', { name: 'Console sections' })
      .getByRole('button', { name: 'API keys' })
      .click();
    const keys = page.getByRole('table', { name: 'API keys of this tenant' });
    await expect(keys.getByRole('row', { name: /Warehouse feed/ })).toBeVisible();
    await other.stop();
    stopped = true;
    await page.getByRole('button', { name: 'Rotate Warehouse feed' }).click();
    await page
      .getByRole('dialog', { name: 'Rotate API key' })
      .getByRole('button', { name: 'Rotate key' })
      .click();
    await expect(page.getByRole('dialog', { name: 'Rotate API key' }).getByRole('alert')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('alert').filter({ hasText: 'Offline.' })).toBeVisible();
    await expect(keys.getByRole('row', { name: /Warehouse feed/ })).toContainText('Active');
    await page.screenshot({ path: info.outputPath('9-offline-banner.png') });

    // Settings talks to the console's own process only; when that is gone, the same banner, data kept.
    await page
      .getByRole('navigation', { name: 'Console sections' })
      .getByRole('button', { name: 'Settings' })
      .click();
    await expect(page.getByLabel('Quota (MiB)')).toHaveValue('512');
    await otherConsole.host.close();
    await page.getByLabel('Quota (MiB)').fill('128');
    await page.getByRole('button', { name: 'Set quota' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Offline.' })).toBeVisible();
    await expect(page.getByText('The quota was not changed')).toBeVisible();
    await expect(page.getByText(/ of 512 MiB$/)).toBeVisible();
    await page.screenshot({ path: info.outputPath('10-settings-offline.png') });
  } finally {
    await otherConsole.close();
    if (!stopped) await other.stop();
  }
});
