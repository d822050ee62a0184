import { expect, test } from '@playwright/test';
import { scanForAxeViolations } from '../fixtures/ui/axe';
import { signInThroughPlatformPage } from '../fixtures/ui/console-journey';
import { startConsoleFor, type TestConsole } from '../helpers/console';
import { startPlatform, type TestPlatform } from '../helpers/platform';

// An axe scan of the admin screens (API keys & credentials, Members & roles, Settings) and their
// dialogs, in the real renderer against a real platform: no serious or critical violation anywhere.
// Lesser findings are printed as annotations, not hidden.
let platform: TestPlatform;
let console_: TestConsole;

test.beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
  console_ = await startConsoleFor(platform);
});
test.afterAll(async () => {
  await console_.close();
  await platform.stop();
});

test('API keys, Members & roles and Settings, with their dialogs, have no serious or critical axe violation', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  const admin = platform.user('acme', 'admin');
  const { accessToken } = await platform.signIn(admin);
  const created = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
    token: accessToken,
    body: { name: 'Nightly export', scopes: ['audit:read', 'audit:export'], expiresInDays: 90 },
  });
  await platform.call('POST', `/v1/orgs/acme/envs/test/api-keys/${created.json.key.id}/rotate`, {
    token: accessToken,
    body: { gracePeriodSeconds: 7 * 24 * 3600 },
  });
  await signInThroughPlatformPage(page, context, console_, platform, admin);
  const nav = page.getByRole('navigation', { name: 'Console sections' });

  // API keys: a key in grace (with its timer) beside its successor.
  await nav.getByRole('button', { name: 'API keys' }).click();
  await expect(page.getByRole('timer')).toHaveText(/^stops working in (6|7) d /);
  await scanForAxeViolations(page, 'api keys');

  await page.getByRole('button', { name: 'Create key…' }).click();
  const create = page.getByRole('dialog', { name: 'Create API key' });
  await create.getByRole('button', { name: 'Create key' }).click();
  await expect(create.getByRole('alert')).toBeVisible();
  await scanForAxeViolations(page, 'create key dialog (with a problem)');
  await create.getByLabel('Name').fill('Auditor laptop');
  await create.getByRole('checkbox', { name: 'audit:read' }).check();
  await create.getByRole('button', { name: 'Create key' }).click();
  const secret = page.getByRole('dialog', { name: 'Your new API key' });
  await expect(secret).toBeVisible();
  await scanForAxeViolations(page, 'secret dialog');
  await secret.getByRole('button', { name: 'Done — I have stored it' }).click();

  await page.getByRole('button', { name: 'Rotate Auditor laptop' }).click();
  await expect(page.getByRole('dialog', { name: 'Rotate API key' })).toBeVisible();
  await scanForAxeViolations(page, 'rotate dialog');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Revoke Auditor laptop' }).click();
  await expect(page.getByRole('dialog', { name: 'Revoke API key' })).toBeVisible();
  await scanForAxeViolations(page, 'revoke dialog');
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Rotate device signing key…' }).click();
  await page.getByRole('button', { name: 'Rotate device key' }).click();
  await expect(page.getByText('Device key rotated.')).toBeVisible();
  await scanForAxeViolations(page, 'api keys with notices');

  // Live: the empty state and an approval raised in place of a key write.
  await page.getByLabel('Environment').selectOption('live');
  await expect(page.getByText('No API keys in this tenant yet.')).toBeVisible();
  await scanForAxeViolations(page, 'api keys, live, empty');
  await page.getByRole('button', { name: 'Create key…' }).click();
  await create.getByLabel('Name').fill('Payroll sync');
  await create.getByRole('checkbox', { name: 'evidence:read' }).check();
  await create.getByRole('button', { name: 'Create key' }).click();
  await expect(page.getByText('Approval requested.')).toBeVisible();
  await scanForAxeViolations(page, 'api keys, live, approval requested');
  await page.getByLabel('Environment').selectOption('test');

  // Members & roles: the table, the matrix, the confirmation and the request it raises.
  await nav.getByRole('button', { name: 'Members & roles' }).click();
  const matrix = page.getByRole('table', { name: 'Permissions each role grants' });
  await expect(matrix).toBeVisible();
  await scanForAxeViolations(page, 'members');
  const viewerRow = page.getByRole('row', { name: /viewer@acme\.example/ });
  await viewerRow.getByRole('combobox').selectOption('member');
  await viewerRow.getByRole('button', { name: /^Save/ }).click();
  await expect(page.getByRole('dialog', { name: 'Change role' })).toBeVisible();
  await scanForAxeViolations(page, 'change role dialog');
  await page
    .getByRole('dialog', { name: 'Change role' })
    .getByRole('button', { name: 'Change role' })
    .click();
  await expect(page.getByText('Approval requested.')).toBeVisible();
  await scanForAxeViolations(page, 'members with a request raised');

  // Settings: the cache, a refused quota, the rotation's progress bar, the profiles, the confirmations.
  await nav.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Quota (MiB)').fill('0');
  await page.getByRole('button', { name: 'Set quota' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await page.getByRole('button', { name: 'Rotate cache master key' }).click();
  await expect(page.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await scanForAxeViolations(page, 'settings');
  await page.getByRole('button', { name: 'Clear cache…' }).click();
  await expect(page.getByRole('dialog', { name: 'Clear the evidence cache' })).toBeVisible();
  await scanForAxeViolations(page, 'clear cache dialog');
  await page.keyboard.press('Escape');
  await page
    .getByRole('listitem')
    .filter({ hasText: 'In use' })
    .getByRole('button', { name: /^Sign out/ })
    .click();
  await expect(page.getByRole('dialog', { name: 'Sign out' })).toBeVisible();
  await scanForAxeViolations(page, 'sign out dialog');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
});
