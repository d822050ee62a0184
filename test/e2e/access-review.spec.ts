import { expect, type Page, test } from '@playwright/test';
import { systemContext } from '../../platform/audit/audit-context';
import { orgScope, tenantScope } from '../../platform/db/scope';
import { scanForAxeViolations } from '../fixtures/ui/axe';
import { signInThroughPlatformPage } from '../fixtures/ui/console-journey';
import { startConsoleFor, type TestConsole } from '../helpers/console';
import { approveBy } from '../helpers/lifecycle';
import { startPlatform, type TestPlatform } from '../helpers/platform';

// A compliance officer runs an access review in the live environment with two reviewers (herself and the
// admin), revokes a stale API key through it, closes it, and opens its evidence pack in Evidence. Real
// platform (default policy), real console services, real Chromium.
let platform: TestPlatform;
let console_: TestConsole;
let staleKeyId: string;

const DAY = 24 * 3600_000;

test.beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
  // A live key the owner made long ago and nobody has used since (test setup, through the key service).
  const org = await platform.ctx.stores.organizations.findBySlug('acme');
  if (!org) throw new Error('acme missing');
  const owner = platform.user('acme', 'owner');
  // Made 120 days ago: the platform's clock goes back for it and returns to now (the console's renderer
  // keeps real time, so the journey itself runs at the present).
  platform.clock.advance(-120 * DAY);
  const created = await platform.ctx.apiKeys.create(
    tenantScope(orgScope(org.id, org.slug), 'live'),
    { userId: owner.userId, role: 'owner' },
    { name: 'Legacy billing export', scopes: ['approvals:read', 'audit:read'] },
    systemContext,
  );
  if (!created.ok) throw new Error(created.error.message);
  staleKeyId = created.value.key.id;
  platform.clock.advance(120 * DAY);
  console_ = await startConsoleFor(platform);
});
test.afterAll(async () => {
  await console_.close();
  await platform.stop();
});

const nav = (page: Page) => page.getByRole('navigation', { name: 'Console sections' });

test('an officer runs a review with two reviewers, revokes a stale API key through it, closes it, and opens the pack in Evidence', async ({
  page,
  context,
}, info) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1280, height: 1000 });
  const officer = platform.user('acme', 'compliance_officer');
  const admin = platform.user('acme', 'admin');
  await signInThroughPlatformPage(page, context, console_, platform, officer);
  await page.getByLabel('Environment').selectOption('live');
  await nav(page).getByRole('button', { name: 'Access reviews' }).click();
  await expect(page.getByRole('heading', { name: 'Access reviews', level: 1 })).toBeVisible();
  await expect(page.getByText('No review has been started yet.')).toBeVisible();

  // Start: what it covers, who reviews, by when.
  await page.getByRole('button', { name: 'Start a review…' }).click();
  const start = page.getByRole('dialog', { name: 'Start an access review' });
  await start.getByLabel('Title').fill('Q4 access review');
  const reviewers = start.getByRole('group', { name: 'Reviewers' });
  await reviewers.getByRole('checkbox', { name: /Sofia Lindqvist/ }).check();
  await reviewers.getByRole('checkbox', { name: /Rahul Mehta/ }).check();
  await expect(start.getByRole('checkbox', { name: 'Members and their roles' })).toBeChecked();
  await expect(start.getByRole('checkbox', { name: /API keys and their scopes/ })).toBeChecked();
  await scanForAxeViolations(page, 'start review dialog', { requirePasses: true });
  await start.screenshot({ path: info.outputPath('1-start-review.png') });
  await start.getByRole('button', { name: 'Start the review' }).click();
  await expect(start).toBeHidden();

  // My items: the stale key is flagged; the keyboard moves and decides.
  const items = page.getByRole('list', { name: 'My review items' });
  await expect(items.getByRole('listitem').first()).toBeVisible();
  await expect(page.getByText(/items? to review/)).toBeVisible();
  const staleRow = items.getByRole('listitem').filter({ hasText: 'Legacy billing export' });
  await expect(staleRow).toContainText('Last use: never');
  await expect(staleRow).toContainText('Unused 90 days');
  await scanForAxeViolations(page, 'reviews screen', { requirePasses: true });
  await page.screenshot({ path: info.outputPath('2-my-items.png') });

  // J/K move the selection; X on the stale key asks for the reason and raises the revocation.
  const count = await items.getByRole('listitem').count();
  for (let i = 0; i < count; i++) {
    if ((await items.locator('[aria-current="true"]').textContent())?.includes('Legacy billing export'))
      break;
    await page.keyboard.press('j');
  }
  await expect(items.locator('[aria-current="true"]')).toContainText('Legacy billing export');
  await page.keyboard.press('x');
  const revoke = page.getByRole('dialog', { name: 'Revoke: Legacy billing export' });
  await expect(revoke.getByLabel('Reason')).toBeFocused();
  await revoke.getByLabel('Reason').fill('Unused for 120 days; billing moved to the new pipeline.');
  await scanForAxeViolations(page, 'decide item dialog');
  await revoke.screenshot({ path: info.outputPath('3-revoke-with-reason.png') });
  await page.keyboard.press('Control+Enter');
  await expect(revoke).toBeHidden();
  await expect(staleRow).toContainText('Revoke requested (pending)');

  // The revocation is an ordinary live request in its lane (yellow): the admin approves it.
  const { accessToken } = await platform.signIn(admin);
  const pending = await platform.call('GET', '/v1/orgs/acme/envs/live/approvals?kind=api_key.revoke', {
    token: accessToken,
  });
  const request = pending.json.requests[0];
  expect(request.payload).toEqual({ keyId: staleKeyId });
  await approveBy(platform, 'acme', 'live', request, ['admin']);

  // The officer keeps the rest of hers with Y, each with a reason.
  for (;;) {
    const undecided = items
      .getByRole('listitem')
      .filter({ has: page.getByRole('button', { name: /^Keep/ }) });
    if ((await undecided.count()) === 0) break;
    await undecided.first().getByRole('button', { name: /^Keep/ }).click();
    const keep = page.getByRole('dialog', { name: /^Keep: / });
    await keep.getByLabel('Reason').fill('Still needed for their work.');
    await keep.getByRole('button', { name: 'Keep' }).click();
    await expect(keep).toBeHidden();
  }

  // The second reviewer (the admin, in their own console elsewhere) keeps all but one of theirs.
  const theirs = await platform.call('GET', '/v1/orgs/acme/review-items?reviewer=me&state=undecided', {
    token: accessToken,
  });
  const adminItems = theirs.json.items as { id: string; campaignId: string }[];
  expect(adminItems.length).toBeGreaterThan(1);
  for (const item of adminItems.slice(1)) {
    const kept = await platform.call(
      'POST',
      `/v1/orgs/acme/reviews/${item.campaignId}/items/${item.id}/decision`,
      { token: accessToken, body: { decision: 'keep', reason: 'Reviewed with the team lead.' } },
    );
    expect(kept.status).toBe(200);
  }

  // Progress per reviewer, then the officer closes the campaign with one item left undecided.
  await page.getByRole('button', { name: 'Refresh' }).click();
  const campaign = page.getByRole('article', { name: 'Q4 access review' });
  await expect(campaign.getByRole('img', { name: /Progress per reviewer/ })).toBeVisible();
  await expect(campaign).toContainText(/1 changed since the snapshot/);
  await campaign.screenshot({ path: info.outputPath('4-progress-chart.png') });
  await campaign.getByRole('button', { name: /^Close now/ }).click();
  await expect(campaign).toContainText('Closed');
  await expect(campaign).toContainText('closed early');
  await expect(campaign).toContainText('undecided 1');
  await expect(campaign.getByText(/^Left undecided: /)).toBeVisible();
  const pack = campaign.getByRole('list').filter({ hasText: 'access-review-' });
  await expect(pack.getByRole('listitem')).toHaveCount(2);
  await scanForAxeViolations(page, 'review outcome', { requirePasses: true });
  await campaign.screenshot({ path: info.outputPath('5-outcome-and-pack.png') });

  // The pack opens in Evidence.
  await pack
    .getByRole('listitem')
    .filter({ hasText: '.csv' })
    .getByRole('button', { name: /Open in Evidence/ })
    .click();
  await expect(page.getByRole('heading', { name: 'Evidence', level: 1 })).toBeVisible();
  const library = page.getByRole('table', { name: 'The tenant’s evidence, newest first' });
  const packRow = library.getByRole('row', { name: /access-review-rvc_[a-z2-7]{26}\.csv/ });
  await expect(packRow).toContainText('On this computer');
  await packRow.getByRole('button', { name: /^Open access-review-/ }).click();
  const viewer = page.getByRole('dialog', { name: /access-review-rvc_/ });
  await expect(viewer).toContainText('reviewer_name');
  await expect(viewer).toContainText('Unused for 120 days; billing moved to the new pipeline.');
  await page.screenshot({ path: info.outputPath('6-pack-in-evidence.png') });
  await page.keyboard.press('Escape');

  // The key itself is revoked on the platform.
  const key = await platform.call('GET', `/v1/orgs/acme/envs/live/api-keys/${staleKeyId}`, {
    token: (await platform.signIn(admin)).accessToken,
  });
  expect(key.json.status).toBe('revoked');
});
