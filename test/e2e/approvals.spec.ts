import { expect, test } from '@playwright/test';
import {
  attachEvidence,
  freshCode,
  raiseRequest,
  signInThroughPlatformPage,
} from '../fixtures/ui/console-journey';
import { buildRenderer, startConsole, type TestConsole } from '../helpers/console';
import { startPlatform, type TestPlatform } from '../helpers/platform';

// The officer's journey through the real console (headless host, real main-process services, real
// keychain) against a real platform with its default policy: a member role change in live is red-lane,
// needs two approvers, each with a fresh one-time code, and the platform carries it out after the second.
let platform: TestPlatform;
let rendererDir: string;
let officerConsole: TestConsole;
let ownerConsole: TestConsole;

test.beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
  rendererDir = await buildRenderer();
  const options = { rendererDir, platformUrl: platform.url, now: () => platform.clock.now() };
  officerConsole = await startConsole(options);
  ownerConsole = await startConsole(options);
});
test.afterAll(async () => {
  await officerConsole.close();
  await ownerConsole.close();
  await platform.stop();
});

test('an officer approves a red request with a one-time code; a second approver completes it and it executes', async ({
  page,
  context,
  browser,
}, info) => {
  test.setTimeout(120_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  const admin = platform.user('acme', 'admin');
  const member = platform.user('acme', 'member');
  const viewer = platform.user('acme', 'viewer');
  const officer = platform.user('acme', 'compliance_officer');
  const owner = platform.user('acme', 'owner');
  await raiseRequest(platform, member, 'live', {
    kind: 'custom.vendor_payment',
    title: 'Pay Initech invoice 2291',
    summary: 'Quarterly licence renewal',
    payload: { vendor: 'Initech', amount: '12,400.00', currency: 'EUR' },
  });
  const red = await raiseRequest(platform, admin, 'live', {
    kind: 'member.role_change',
    title: 'Promote the viewer to member',
    summary: 'They now raise requests for the finance team.',
    payload: { userId: viewer.userId, role: 'member' },
  });
  await attachEvidence(
    platform,
    admin,
    'live',
    red.id,
    'hr-ticket-4411.txt',
    'HR ticket 4411: approved by the head of finance.',
  );

  // The officer signs in (landing in test, never live by itself) and switches to live.
  await signInThroughPlatformPage(page, context, officerConsole, platform, officer);
  await expect(page.getByRole('navigation', { name: 'Console sections' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Approvals' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { name: 'Approvals', level: 1 })).toBeVisible();
  await expect(page.getByText('Nothing is waiting for a decision here.')).toBeVisible();
  await page.getByLabel('Environment').selectOption('live');
  await expect(page.getByText('LIVE — real data')).toBeVisible();
  await expect(page.getByText('Live: decisions here act on real data')).toBeVisible();
  const grid = page.getByRole('grid', { name: 'Approval requests' });
  await expect(grid.getByRole('row')).toHaveCount(3);
  const redRow = grid.getByRole('row', { name: /Promote the viewer to member/ });
  await expect(redRow).toContainText('Red');
  await expect(redRow).toContainText('0 of 2');
  await expect(redRow).toContainText('Pending');
  await expect(grid).toHaveAttribute('aria-rowcount', '3');
  await page.screenshot({ path: info.outputPath('1-live-queue.png') });

  // Keyboard only: search, move, open.
  await page.keyboard.press('Control+k');
  await expect(page.getByLabel('Search')).toBeFocused();
  await page.keyboard.type('viewer');
  await expect(grid.getByRole('row')).toHaveCount(2);
  // Down from the search box goes to the results, on the first one.
  await page.keyboard.press('ArrowDown');
  await expect(grid).toBeFocused();
  await expect(redRow).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Promote the viewer to member' })).toBeFocused();
  // The member the change is about, by name (the id is a click away).
  await expect(page.getByRole('button', { name: 'Tom Alvarez' })).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: /^member$/ })).toBeVisible();
  const evidence = page.getByRole('table', { name: 'Evidence files' });
  await expect(evidence.getByRole('row', { name: /hr-ticket-4411\.txt/ })).toContainText('text/plain');
  await expect(page.getByRole('list').filter({ hasText: 'Requested' })).toContainText('red lane');
  await page.screenshot({ path: info.outputPath('2-red-detail.png'), fullPage: true });

  // Approve: a confirm dialog that asks for the one-time code; Escape backs out of it first.
  await page.keyboard.press('a');
  const dialog = page.getByRole('dialog', { name: 'Approve request' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('One-time code from your authenticator')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Promote the viewer to member' })).toBeVisible();
  await page.getByRole('button', { name: 'Approve…' }).click();
  await expect(dialog.getByText('LIVE — this decision acts on real data.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Approve and sign' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Enter the 6-digit code.');
  await dialog.getByLabel('Comment (optional)').fill('Matches HR ticket 4411.');
  await dialog.getByLabel('One-time code from your authenticator').fill(freshCode(platform, officer));
  await dialog.screenshot({ path: info.outputPath('3-approve-dialog.png') });
  await dialog.getByRole('button', { name: 'Approve and sign' }).click();

  const receipt = page.getByRole('dialog', { name: 'Approval signed' });
  await expect(receipt.getByRole('status')).toHaveText('Waiting for 1 more approval from someone else.');
  await expect(receipt).toContainText('1 of 2');
  await expect(receipt).toContainText(/dev_[a-z2-7]{26}/);
  const signed = JSON.parse((await receipt.locator('pre').textContent()) ?? '{}');
  expect(signed).toMatchObject({
    requestId: red.id,
    decision: 'approve',
    evidenceHashes: [expect.any(String)],
  });
  await page.screenshot({ path: info.outputPath('4-signed-receipt.png') });
  await receipt.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByText(/You approved this on/)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Decision' }).getByText('What you signed')).toBeVisible();
  await expect(page.getByText('Matches HR ticket 4411.')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(redRow).toContainText('1 of 2');
  await expect(grid).toBeFocused();

  // The owner, at another desk (another console, another browser context), completes it.
  const ownerContext = await browser.newContext();
  const ownerPage = await ownerContext.newPage();
  await signInThroughPlatformPage(ownerPage, ownerContext, ownerConsole, platform, owner);
  await ownerPage.getByLabel('Environment').selectOption('live');
  await ownerPage.getByRole('row', { name: /Promote the viewer to member/ }).click();
  await expect(ownerPage.getByRole('heading', { name: 'Promote the viewer to member' })).toBeVisible();
  await ownerPage.getByRole('button', { name: 'Approve…' }).click();
  const ownerDialog = ownerPage.getByRole('dialog', { name: 'Approve request' });
  await ownerDialog.getByLabel('One-time code from your authenticator').fill(freshCode(platform, owner));
  await ownerDialog.getByRole('button', { name: 'Approve and sign' }).click();
  const done = ownerPage.getByRole('dialog', { name: 'Approval signed' });
  await expect(done.getByRole('status')).toHaveText('Enough approvals: the platform carried it out.');
  await expect(done).toContainText('2 of 2');
  await expect(done).toContainText('Executed');
  await ownerPage.screenshot({ path: info.outputPath('5-second-approval-executed.png') });
  await done.getByRole('button', { name: 'Done' }).click();
  await expect(ownerPage.getByRole('list').filter({ hasText: 'Carried out' })).toContainText(
    'Tom Alvarez is now member',
    { useInnerText: true },
  );
  await ownerContext.close();

  // The write happened on the platform: the viewer is a member now.
  const { accessToken } = await platform.signIn(admin);
  const members = await platform.call('GET', '/v1/orgs/acme/members', { token: accessToken });
  const promoted = members.json.members.find((m: { userId: string }) => m.userId === viewer.userId);
  expect(promoted.role).toBe('member');

  // Back at the officer's console: the executed request is where the filters say it is.
  await page.getByLabel('Search').fill('');
  await page.getByLabel('Status').selectOption('executed');
  await expect(grid.getByRole('row', { name: /Promote the viewer to member/ })).toContainText('Executed');
  await expect(grid.getByRole('row', { name: /Promote the viewer to member/ })).toContainText('2 of 2');
  await page.screenshot({ path: info.outputPath('6-officer-executed-filter.png') });
  expect(problems).toEqual([]);
});

test('rejecting asks for a reason; R opens the dialog from the queue and Escape cancels it', async ({
  page,
  context,
}, info) => {
  const member = platform.user('acme', 'member');
  const officer = platform.user('acme', 'compliance_officer');
  await raiseRequest(platform, member, 'test', {
    kind: 'custom.data_export',
    title: 'Export customer list for the auditors',
    payload: { before: { rows: 0, format: 'none' }, after: { rows: 1200, format: 'csv' } },
  });
  await signInThroughPlatformPage(page, context, officerConsole, platform, officer);
  const grid = page.getByRole('grid', { name: 'Approval requests' });
  const row = grid.getByRole('row', { name: /Export customer list/ });
  await expect(row).toContainText('Yellow');
  await grid.focus();
  await page.keyboard.press('j');
  await expect(row).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('r');
  const dialog = page.getByRole('dialog', { name: 'Reject request' });
  await expect(dialog.getByLabel('Reason for rejecting (required)')).toBeFocused();
  // Tab stays inside the dialog.
  for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
  expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(grid).toBeFocused();

  await page.keyboard.press('r');
  await dialog.getByRole('button', { name: 'Reject and sign' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Say why you reject it.');
  await dialog.getByLabel('Reason for rejecting (required)').fill('The auditors have not asked for this.');
  await dialog.getByRole('button', { name: 'Reject and sign' }).click();
  const receipt = page.getByRole('dialog', { name: 'Rejection signed' });
  await expect(receipt.getByRole('status')).toHaveText('The request is now rejected.');
  await receipt.getByRole('button', { name: 'Done' }).click();
  await expect(row).toContainText('Rejected');

  await page.keyboard.press('Enter');
  const diff = page.getByRole('table', { name: 'Before and after' });
  await expect(diff.getByRole('row', { name: /rows \(changed\)/ })).toContainText('1200');
  await expect(page.getByText(/You rejected this on/)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Comments' })).toContainText(
    'The auditors have not asked for this.',
  );
  await page.screenshot({ path: info.outputPath('7-rejected-detail.png'), fullPage: true });
});
