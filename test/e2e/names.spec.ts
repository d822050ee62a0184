import { expect, type Page, test } from '@playwright/test';
import { sql } from 'kysely';
import { orgScope } from '../../platform/db/scope';
import { addMember, createUser } from '../../platform/organizations/provisioning';
import type { DemoUser } from '../../platform/seed/demo';
import { scanForAxeViolations } from '../fixtures/ui/axe';
import { displayNameOf, signedInAs, signInThroughPlatformPage } from '../fixtures/ui/console-journey';
import { paintedScreenshot } from '../fixtures/ui/screenshot';
import { startConsoleFor, type TestConsole } from '../helpers/console';
import { rawSql, startPlatform, type TestPlatform } from '../helpers/platform';

// Names where ids used to show, outside the approvals views, in the real console against a real platform
// (its test lanes let keys and role changes be made at once): audit actors and resources, members and role
// changes, API keys' creators, profiles and the header; the id is a click away. The audit log is filtered
// by a person picked by name (one who has left among them) and by an action picked from the list.
let platform: TestPlatform;
let console_: TestConsole;
let leaver: DemoUser;
const LEAVER = 'Lena Okafor';
const anyUserId = /usr_[0-9a-z]{16,32}/;

/** Test setup only: the platform has no route that removes a member yet, so the membership row goes. */
async function joinThenLeave(): Promise<DemoUser> {
  const org = await platform.ctx.stores.organizations.findBySlug('acme');
  if (!org) throw new Error('acme missing');
  const email = 'lena.okafor@acme.example';
  const password = 'a long test password';
  const { userId, totpSeed } = await createUser(platform.ctx, { email, displayName: LEAVER, password });
  await addMember(platform.ctx, orgScope(org.id, org.slug), userId, 'admin');
  const user: DemoUser = { organization: 'acme', role: 'admin', userId, email, password, totpSeed };
  const key = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
    token: (await platform.signIn(user)).accessToken,
    body: { name: 'Nightly export', scopes: ['audit:read'] },
  });
  expect(key.status, key.text).toBe(201);
  await rawSql(platform, sql`DELETE FROM memberships WHERE user_id = ${userId}`);
  return user;
}

test.beforeAll(async () => {
  platform = await startPlatform();
  leaver = await joinThenLeave();
  const admin = platform.user('acme', 'admin');
  const created = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
    token: (await platform.signIn(admin)).accessToken,
    body: { name: 'ERP connector', scopes: ['approvals:read', 'approvals:request'] },
  });
  expect(created.status, created.text).toBe(201);
  console_ = await startConsoleFor(platform);
});
test.afterAll(async () => {
  await console_.close();
  await platform.stop();
});

async function open(page: Page, section: string) {
  await page
    .getByRole('navigation', { name: 'Console sections' })
    .getByRole('button', { name: section, exact: true })
    .click();
}

const auditGrid = (page: Page) => page.getByRole('grid', { name: 'Audit log entries, newest first' });
const rowsOf = (page: Page) => auditGrid(page).locator('[role="row"][data-seq]');

test('names show where ids did (audit log, members, API keys, settings, header), each id a click away', async ({
  page,
  context,
}, info) => {
  test.setTimeout(120_000);
  const admin = platform.user('acme', 'admin');
  const viewer = platform.user('acme', 'viewer');
  const adminName = displayNameOf(admin);
  await signInThroughPlatformPage(page, context, console_, platform, admin);

  // The header: the name, and the id under it.
  await signedInAs(page, admin).click();
  await expect(page.getByRole('banner').getByText(admin.userId, { exact: true })).toBeVisible();
  await signedInAs(page, admin).click();

  // Audit, test: actors and key resources by name, a person who left marked as such.
  await open(page, 'Audit');
  await expect(rowsOf(page).first()).toBeVisible();
  const created = rowsOf(page).filter({ hasText: 'api_key.create' });
  await expect(created).toHaveCount(2);
  await expect(created.filter({ hasText: `${LEAVER} (removed)` })).toContainText(
    `API key “Nightly export” of ${LEAVER} (removed)`,
  );
  await expect(created.filter({ hasText: adminName })).toContainText(
    `API key “ERP connector” of ${adminName}`,
  );
  await expect(auditGrid(page)).not.toContainText(anyUserId, { useInnerText: true });
  await created.filter({ hasText: adminName }).click();
  const detail = page.getByRole('region', { name: /^Entry \d+$/ });
  await expect(detail).toContainText('API key created');
  await detail.getByRole('button', { name: adminName, exact: true }).click();
  await expect(detail.getByText(admin.userId, { exact: true })).toBeVisible();
  await paintedScreenshot(page, info.outputPath('1-audit-names.png'));
  await page.keyboard.press('Escape');

  // Audit, live: the role change made below, by name, about a person by name.
  await open(page, 'Members & roles');
  const members = page.getByRole('table', { name: 'Members of this organization' });
  const viewerName = displayNameOf(viewer);
  const viewerRow = members.getByRole('row', { name: new RegExp(viewer.email) });
  await expect(members).not.toContainText(anyUserId, { useInnerText: true });
  await viewerRow.getByRole('button', { name: viewerName, exact: true }).click();
  await expect(viewerRow.getByText(viewer.userId, { exact: true })).toBeVisible();
  await viewerRow.getByRole('combobox').selectOption('member');
  await viewerRow.getByRole('button', { name: /^Save/ }).click();
  await page
    .getByRole('dialog', { name: 'Change role' })
    .getByRole('button', { name: 'Change role' })
    .click();
  await expect(page.getByRole('status').filter({ hasText: 'is now Member' })).toContainText(
    `${viewerName} is now Member.`,
    { useInnerText: true },
  );
  await paintedScreenshot(page, info.outputPath('2-members-names.png'));

  await page.getByLabel('Environment').selectOption('live');
  await open(page, 'Audit');
  const roleChange = rowsOf(page).filter({ hasText: 'member.role_change' }).first();
  await expect(roleChange).toContainText(adminName);
  await expect(roleChange).toContainText(`Person: ${viewerName}`);
  await page.getByLabel('Environment').selectOption('test');

  // API keys: who created each, a person who left marked.
  await open(page, 'API keys');
  const keys = page.getByRole('table', { name: 'API keys of this tenant' });
  await expect(keys.getByRole('row', { name: /ERP connector/ })).toContainText(adminName);
  await expect(keys.getByRole('row', { name: /Nightly export/ })).toContainText(`${LEAVER} (removed)`);
  await keys
    .getByRole('row', { name: /Nightly export/ })
    .getByRole('button', { name: `${LEAVER} (removed)`, exact: true })
    .click();
  await expect(keys.getByText(leaver.userId, { exact: true })).toBeVisible();
  await paintedScreenshot(page, info.outputPath('3-api-key-creators.png'));

  // Settings: the profile in use by name.
  await open(page, 'Settings');
  const profile = page.getByRole('listitem').filter({ hasText: 'In use' });
  await expect(profile.getByRole('button', { name: adminName, exact: true })).toBeVisible();
  await profile.scrollIntoViewIfNeeded();
  await paintedScreenshot(page, info.outputPath('4-settings-profile.png'));
});

test('the audit log filters by a person picked by name and by an action from the list', async ({
  page,
  context,
}, info) => {
  test.setTimeout(120_000);
  const auditor = platform.user('acme', 'auditor');
  const admin = platform.user('acme', 'admin');
  await signInThroughPlatformPage(page, context, console_, platform, auditor);
  await open(page, 'Audit');
  await expect(rowsOf(page).first()).toBeVisible();

  // The person picker: members, people who have left, keys and the platform, by name.
  const person = page.getByLabel('Person or key');
  const groups = await person
    .locator('optgroup')
    .evaluateAll((els) => els.map((e) => e.getAttribute('label')));
  expect(groups).toEqual(['People', 'People who have left', 'API keys', 'The platform']);
  await expect(person.locator('optgroup[label="People who have left"] option')).toHaveText([
    `${LEAVER} — ${leaver.email}`,
  ]);
  await expect(person.locator('optgroup[label="API keys"] option')).toContainText([
    `API key “ERP connector” of ${displayNameOf(admin)}`,
    `API key “Nightly export” of ${LEAVER} (removed)`,
  ]);
  await scanForAxeViolations(page, 'audit filters');

  // A person who has left: only their entries.
  await person.selectOption({ label: `${LEAVER} — ${leaver.email}` });
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText(/^1 matching entry loaded/)).toBeVisible();
  await expect(rowsOf(page)).toHaveCount(1);
  await expect(rowsOf(page).first()).toContainText(`${LEAVER} (removed)`);
  await expect(person).toHaveValue(leaver.userId);
  await paintedScreenshot(page, info.outputPath('1-filtered-by-person.png'));

  // Anyone, one action from the list: the two keys created.
  await person.selectOption('');
  await page.getByLabel('Action').selectOption({ label: 'API key created (api_key.create)' });
  await page.getByLabel('Resource type').selectOption({ label: 'API key' });
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(rowsOf(page)).toHaveCount(2);
  for (const row of await rowsOf(page).all()) await expect(row).toContainText('api_key.create');
  await paintedScreenshot(page, info.outputPath('2-filtered-by-action.png'));
  await scanForAxeViolations(page, 'audit filters applied');

  // The admin's own actions only, by name.
  await person.selectOption({ label: `${displayNameOf(admin)} — ${admin.email}` });
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(rowsOf(page)).toHaveCount(1);
  await expect(rowsOf(page).first()).toContainText('ERP connector');

  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await expect(person).toHaveValue('');
  await expect(page.getByLabel('Action')).toHaveValue('');
});
