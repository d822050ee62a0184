import { type Browser, expect, type Page, test } from '@playwright/test';
import type { DemoUser } from '../../platform/seed/demo';
import { onePagePdf, solidPng } from '../fixtures/evidence/files';
import { scanForAxeViolations } from '../fixtures/ui/axe';
import { freshCode, raiseRequest, signInThroughPlatformPage } from '../fixtures/ui/console-journey';
import { dropFiles, fact, visibleIds } from '../fixtures/ui/workflow-journey';
import { buildRenderer, startConsole, type TestConsole } from '../helpers/console';
import { startPlatform, type TestPlatform } from '../helpers/platform';

// The whole workflow in the real console (headless host, real main-process services, real keychain)
// against a real platform: a member raises a red request with evidence from the form, two officers
// approve it at their own desks with one-time codes, it executes; a rejection with its reason; and
// everyone named by name. Each person has a console of their own, as approvals.spec.ts does.
// Tall enough that a whole request shows on screen in the screenshots.
test.use({ viewport: { width: 1280, height: 1500 } });

let platform: TestPlatform;
let memberConsole: TestConsole;
let officerConsole: TestConsole;
let adminConsole: TestConsole;

const names = {
  member: 'Marcus Okafor',
  officer: 'Sofia Lindqvist',
  admin: 'Rahul Mehta',
};

test.beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
  // Vendor payments are the organization's red-lane kind: two approvers, each with a fresh code.
  await platform.setLanes('acme', { 'custom.vendor_payment': { test: 'red', live: 'red' } });
  const rendererDir = await buildRenderer();
  const options = { rendererDir, platformUrl: platform.url, now: () => platform.clock.now() };
  memberConsole = await startConsole(options);
  officerConsole = await startConsole(options);
  adminConsole = await startConsole(options);
});
test.afterAll(async () => {
  await memberConsole.close();
  await officerConsole.close();
  await adminConsole.close();
  await platform.stop();
});

/** Someone else, at another desk: a browser context and a console of their own, signed in. */
async function atOwnDesk(browser: Browser, console_: TestConsole, user: DemoUser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInThroughPlatformPage(page, context, console_, platform, user);
  return { page, close: () => context.close() };
}

/** Opens a request from the queue (all statuses) by its title. */
async function openFromQueue(page: Page, title: string) {
  await page.getByLabel('Status').selectOption('all');
  await page
    .getByRole('grid', { name: 'Approval requests' })
    .getByRole('row', { name: new RegExp(title) })
    .click();
  await expect(page.getByRole('heading', { name: title, level: 2 })).toBeFocused();
}

async function approveWithCode(page: Page, user: DemoUser) {
  await page.getByRole('button', { name: 'Approve…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Approve request' });
  await dialog.getByLabel('One-time code from your authenticator').fill(freshCode(platform, user));
  await dialog.getByRole('button', { name: 'Approve and sign' }).click();
  const receipt = page.getByRole('dialog', { name: 'Approval signed' });
  await expect(receipt.getByRole('status')).toBeVisible();
  return receipt;
}

test('a member raises a red request with a PDF and a PNG; two officers approve with codes; it executes', async ({
  page,
  context,
  browser,
}, info) => {
  test.setTimeout(180_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  const member = platform.user('acme', 'member');
  await signInThroughPlatformPage(page, context, memberConsole, platform, member);
  await expect(page.getByText('Nothing is waiting for a decision here.')).toBeVisible();

  // N opens New request; the kind comes first.
  await page.keyboard.press('n');
  const form = page.getByRole('dialog', { name: 'New request' });
  await expect(form.getByLabel('Kind of change')).toBeFocused();
  // A member may raise custom kinds and evidence deletions; the rest are offered disabled, with why.
  await expect(
    form.getByRole('option', { name: /Member role change \(needs members:manage\)/ }),
  ).toBeDisabled();
  await form.getByLabel('Kind of change').selectOption('custom');
  await form.getByLabel('Custom kind').fill('vendor_payment');
  const payload = form.getByLabel('Payload (JSON object)');
  await payload.fill('{\n  "vendor": "Initech",\n  "amount": "12,400.00",\n}');
  await expect(form.getByText('Line 4, column 1: Remove the comma before "}".')).toBeVisible();
  await form.getByRole('button', { name: 'Go to line 4, column 1' }).click();
  await expect(payload).toBeFocused();
  await payload.fill('{\n  "vendor": "Initech",\n  "amount": "12,400.00",\n  "currency": "EUR"\n}');
  await expect(form.getByText(/A valid JSON object/)).toBeVisible();
  await form.getByLabel('Title').fill('Pay Initech invoice 2291');

  // The PDF through the file picker, the PNG dropped on the form, and a file that is not evidence.
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    form.getByRole('button', { name: 'Attach files…' }).click(),
  ]);
  await chooser.setFiles({
    name: 'invoice-2291.pdf',
    mimeType: 'application/pdf',
    buffer: onePagePdf('Invoice 2291: EUR 12,400.00'),
  });
  await dropFiles(page, form.locator('form').first(), [
    { name: 'usage-chart.png', mimeType: 'image/png', buffer: solidPng(320, 200, [37, 99, 235]) },
    {
      name: 'logo.svg',
      mimeType: 'image/svg+xml',
      buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
    },
  ]);
  const files = form.getByRole('list', { name: 'Files to attach' });
  await expect(files.getByRole('listitem')).toHaveCount(2);
  await expect(files.getByRole('listitem').first()).toContainText('invoice-2291.pdf');
  await expect(files.getByRole('listitem').first()).toContainText('PDF');
  await expect(files.getByRole('listitem').nth(1)).toContainText('PNG image');
  await expect(form.getByRole('alert')).toContainText('“logo.svg” is not a kind of file evidence may be');
  // Before anything is sent: the lane and what it needs.
  await expect(form.getByRole('region', { name: 'Lane under your organization’s policy' })).toContainText(
    'Needs 2 approvals from different people other than you, each with a fresh one-time code.',
  );
  // Raising without a justification: said at the field, which takes the focus; nothing typed is lost.
  await form.getByRole('button', { name: 'Raise request' }).click();
  await expect(form.getByText('Say why this change is needed.')).toBeVisible();
  await expect(form.getByLabel('Justification (required)')).toBeFocused();
  await expect(form.getByLabel('Title')).toHaveValue('Pay Initech invoice 2291');
  await scanForAxeViolations(page, 'new request form', { requirePasses: true });
  await page.keyboard.type('Quarterly licence renewal; budget line 4.2.');
  await form.evaluate((d) => d.scrollTo(0, 0));
  await page.screenshot({ path: info.outputPath('01a-new-request-form-top.png') });
  await form.evaluate((d) => d.scrollTo(0, d.scrollHeight));
  await page.screenshot({ path: info.outputPath('01b-new-request-form-bottom.png') });
  await form.getByRole('button', { name: 'Raise request' }).click();

  // Raised: the request opens in the detail, its evidence attached, everyone by name.
  const heading = page.getByRole('heading', { name: 'Pay Initech invoice 2291', level: 2 });
  await expect(heading).toBeFocused();
  await expect(form).toBeHidden();
  // Names as they read on screen (innerText): the id each hides is a click away.
  const onScreen = { useInnerText: true };
  await expect(fact(page, 'Requested by')).toHaveText(`${names.member} (you)`, onScreen);
  await expect(page.getByText('You raised this request; someone else decides it.')).toBeVisible();
  const evidence = page.getByRole('table', { name: 'Evidence files' });
  await expect(evidence.getByRole('row', { name: /invoice-2291\.pdf/ })).toContainText('application/pdf');
  await expect(evidence.getByRole('row', { name: /usage-chart\.png/ })).toContainText(
    `by ${names.member}`,
    onScreen,
  );
  await expect(page.getByRole('region', { name: 'Timeline' })).toContainText(
    `by ${names.member} (you)`,
    onScreen,
  );
  expect(await visibleIds(page)).toEqual([]);
  await page.screenshot({ path: info.outputPath('02-raised-detail.png'), fullPage: true });

  // Two officers, each at their own desk, approve with a fresh code.
  const officer = await atOwnDesk(browser, officerConsole, platform.user('acme', 'compliance_officer'));
  await openFromQueue(officer.page, 'Pay Initech invoice 2291');
  await expect(fact(officer.page, 'Requested by')).toHaveText(names.member, onScreen);
  const first = await approveWithCode(officer.page, platform.user('acme', 'compliance_officer'));
  await expect(first.getByRole('status')).toHaveText('Waiting for 1 more approval from someone else.');
  await first.getByRole('button', { name: 'Done' }).click();
  await officer.page.screenshot({ path: info.outputPath('03-first-officer-approved.png'), fullPage: true });

  const admin = await atOwnDesk(browser, adminConsole, platform.user('acme', 'admin'));
  await openFromQueue(admin.page, 'Pay Initech invoice 2291');
  const second = await approveWithCode(admin.page, platform.user('acme', 'admin'));
  await expect(second.getByRole('status')).toHaveText('Enough approvals: the platform carried it out.');
  await expect(second).toContainText('Executed');
  await second.getByRole('button', { name: 'Done' }).click();
  await expect(fact(admin.page, 'Decided by')).toHaveText(
    `${names.officer} approved\n${names.admin} (you) approved`,
    onScreen,
  );
  const timelineOfAdmin = admin.page.getByRole('region', { name: 'Timeline' });
  await expect(timelineOfAdmin.getByRole('listitem').filter({ hasText: 'Carried out' })).toContainText(
    `by ${names.admin} (you)`,
    onScreen,
  );
  await admin.page.screenshot({
    path: info.outputPath('04-executed-by-second-approval.png'),
    fullPage: true,
  });
  await officer.close();
  await admin.close();

  // The member sees it executed, and the evidence both approvers signed over.
  await page.keyboard.press('Escape');
  await openFromQueue(page, 'Pay Initech invoice 2291');
  await expect(fact(page, 'Status')).toHaveText('Executed');
  expect(problems).toEqual([]);
});

test('an officer rejects with a required reason; the requester reads it by name on the timeline', async ({
  page,
  context,
  browser,
}, info) => {
  const member = platform.user('acme', 'member');
  await raiseRequest(platform, member, 'test', {
    kind: 'custom.data_export',
    title: 'Export the customer list for the auditors',
    summary: 'The auditors asked for it.',
    payload: { before: { rows: 0 }, after: { rows: 1200, format: 'csv' } },
  });
  const officer = await atOwnDesk(browser, officerConsole, platform.user('acme', 'compliance_officer'));
  await openFromQueue(officer.page, 'Export the customer list for the auditors');
  await officer.page.keyboard.press('r');
  const dialog = officer.page.getByRole('dialog', { name: 'Reject request' });
  await dialog.getByRole('button', { name: 'Reject and sign' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Say why you reject it.');
  await dialog
    .getByLabel('Reason for rejecting (required)')
    .fill('The auditors have a read-only view already.');
  await dialog.screenshot({ path: info.outputPath('05-reject-reason.png') });
  await dialog.getByRole('button', { name: 'Reject and sign' }).click();
  await officer.page
    .getByRole('dialog', { name: 'Rejection signed' })
    .getByRole('button', { name: 'Done' })
    .click();
  await officer.close();

  await signInThroughPlatformPage(page, context, memberConsole, platform, member);
  await openFromQueue(page, 'Export the customer list for the auditors');
  const timeline = page.getByRole('region', { name: 'Timeline' });
  const rejected = timeline.getByRole('listitem').filter({ hasText: 'Rejected' }).last();
  const onScreen = { useInnerText: true };
  await expect(rejected).toContainText(`by ${names.officer}`, onScreen);
  await expect(rejected).toContainText('The auditors have a read-only view already.');
  await expect(page.getByRole('region', { name: 'Comments' })).toContainText(
    `${names.officer} (rejected)`,
    onScreen,
  );
  await expect(fact(page, 'Status')).toHaveText('Rejected');
  await expect(fact(page, 'Decided by')).toHaveText(`${names.officer} rejected`, onScreen);
  expect(await visibleIds(page)).toEqual([]);
  await page.screenshot({ path: info.outputPath('06-rejected-with-reason.png'), fullPage: true });
});

test('names everywhere: a request raised through an API key reads as the key of its owner', async ({
  page,
  context,
}, info) => {
  const admin = platform.user('acme', 'admin');
  const { accessToken } = await platform.signIn(admin);
  const key = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
    token: accessToken,
    body: { name: 'ERP connector', scopes: ['approvals:request', 'approvals:read'] },
  });
  expect(key.status).toBe(201);
  const raised = await platform.call('POST', '/v1/orgs/acme/envs/test/approvals', {
    token: key.json.secret,
    body: { kind: 'custom.vendor_payment', title: 'Pay Globex invoice 77', payload: { vendor: 'Globex' } },
  });
  expect(raised.status).toBe(201);
  const officer = platform.user('acme', 'compliance_officer');
  await signInThroughPlatformPage(page, context, officerConsole, platform, officer);
  const grid = page.getByRole('grid', { name: 'Approval requests' });
  const row = grid.getByRole('row', { name: /Pay Globex invoice 77/ });
  const onScreen = { useInnerText: true };
  await expect(row).toContainText(`“ERP connector” of ${names.admin}`, onScreen);
  await expect(grid.getByRole('row', { name: /Pay Initech invoice 2291/ })).toHaveCount(0);
  expect(await visibleIds(page)).toEqual([]);
  await page.screenshot({ path: info.outputPath('07-queue-names.png') });

  await row.click();
  const requester = fact(page, 'Requested by');
  await expect(requester).toHaveText(`API key “ERP connector” of ${names.admin}`, onScreen);
  // The id is one click away, for matching against logs and exports.
  await requester.getByRole('button').click();
  await expect(requester).toContainText(key.json.key.id, onScreen);
  await requester.getByRole('button').click();
  await page.getByLabel('Add a comment').fill('Is this the renewal or the new contract?');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Comment added to the timeline.' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Comments' })).toContainText(
    `${names.officer} (you)`,
    onScreen,
  );
  const timeline = page.getByRole('region', { name: 'Timeline' });
  await expect(timeline.getByRole('listitem').filter({ hasText: 'Comment' })).toContainText(
    `by ${names.officer} (you)`,
    onScreen,
  );
  await scanForAxeViolations(page, 'detail with the comment box', { requirePasses: true });
  expect(await visibleIds(page)).toEqual([]);
  await page.screenshot({ path: info.outputPath('08-detail-names.png'), fullPage: true });
});
