import { expect, type Page, test } from '@playwright/test';
import type { DemoUser } from '../../platform/seed/demo';
import { scanForAxeViolations } from '../fixtures/ui/axe';
import { raiseRequest, signInThroughPlatformPage } from '../fixtures/ui/console-journey';
import { fact, visibleIds } from '../fixtures/ui/workflow-journey';
import { decide, registerDevice } from '../helpers/approvals';
import { buildRenderer, startConsole, type TestConsole } from '../helpers/console';
import { startPlatform, type TestPlatform } from '../helpers/platform';

// Withdrawing, reversing, cancelling an upload and collecting a secret in the real console, and the same
// person's second window following each change at once (approvals.changed from the console's own
// process), against a real platform with its default policy.
test.use({ viewport: { width: 1280, height: 1500 } });

let platform: TestPlatform;
let memberConsole: TestConsole;
let adminConsole: TestConsole;
const onScreen = { useInnerText: true };
const memberName = 'Marcus Okafor';

test.beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
  const rendererDir = await buildRenderer();
  const options = { rendererDir, platformUrl: platform.url, now: () => platform.clock.now() };
  memberConsole = await startConsole(options);
  adminConsole = await startConsole(options);
});
test.afterAll(async () => {
  await memberConsole.close();
  await adminConsole.close();
  await platform.stop();
});

async function openFromQueue(page: Page, title: string) {
  await page.getByLabel('Status').selectOption('all');
  await page
    .getByRole('grid', { name: 'Approval requests' })
    .getByRole('row', { name: new RegExp(title) })
    .click();
  await expect(page.getByRole('heading', { name: title, level: 2 })).toBeFocused();
}

/** Approves through the platform's API as `user`, with a device of their own (a code in the red lane). */
async function approveElsewhere(user: DemoUser, request: { id: string; payloadHash: string }) {
  const { accessToken } = await platform.signIn(user);
  const device = await registerDevice(platform, accessToken);
  const path = `/v1/orgs/${user.organization}/envs/test/approvals`;
  const reply = await decide(platform, accessToken, device, path, request, 'approve', { totpOf: user });
  expect(reply.status).toBe(200);
}

test('the requester withdraws with a confirm; a second window on the tenant follows at once, and comments too', async ({
  page,
  context,
}, info) => {
  const member = platform.user('acme', 'member');
  await raiseRequest(platform, member, 'test', {
    kind: 'custom.deploy',
    title: 'Deploy billing 2.4 to staging',
    summary: 'Release train 14.',
    payload: { service: 'billing', version: '2.4.0' },
  });
  await signInThroughPlatformPage(page, context, memberConsole, platform, member);
  await openFromQueue(page, 'Deploy billing 2.4 to staging');

  // The same person's second window, on the same console: the saved profile, no new sign-in.
  const second = await context.newPage();
  await second.goto(memberConsole.host.url);
  await second.getByRole('button', { name: /^Continue as / }).click();
  await openFromQueue(second, 'Deploy billing 2.4 to staging');

  // A comment in one window is on the other's timeline without a reload.
  await second.getByLabel('Add a comment').fill('Staging is free from 14:00.');
  await second.getByRole('button', { name: 'Add comment' }).click();
  await expect(page.getByRole('region', { name: 'Comments' })).toContainText('Staging is free from 14:00.');

  // Withdraw asks first; Escape backs out and the focus returns to the button.
  const withdraw = page.getByRole('button', { name: 'Withdraw…' });
  await withdraw.click();
  const dialog = page.getByRole('dialog', { name: 'Withdraw request' });
  await expect(dialog.getByRole('button', { name: 'Keep it' })).toBeFocused();
  await scanForAxeViolations(page, 'withdraw dialog', { requirePasses: true });
  await dialog.screenshot({ path: info.outputPath('11-withdraw-dialog.png') });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(withdraw).toBeFocused();
  await page.keyboard.press('Enter');
  await dialog.getByRole('button', { name: 'Withdraw request' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Deploy billing 2.4 to staging', level: 2 })).toBeFocused();
  await expect(fact(page, 'Status')).toHaveText('Withdrawn');
  await expect(withdraw).toBeHidden();
  const withdrawn = page
    .getByRole('region', { name: 'Timeline' })
    .getByRole('listitem')
    .filter({ hasText: 'Withdrawn' });
  await expect(withdrawn).toContainText(`by ${memberName} (you)`, onScreen);
  await page.screenshot({ path: info.outputPath('12-withdrawn.png') });

  // The other window, untouched, shows it withdrawn, on its timeline too.
  await expect(fact(second, 'Status')).toHaveText('Withdrawn');
  await expect(second.getByRole('region', { name: 'Timeline' })).toContainText('Withdrawn');
  await expect(second.getByRole('button', { name: 'Withdraw…' })).toBeHidden();
  expect(await visibleIds(second)).toEqual([]);
  await second.screenshot({ path: info.outputPath('13-second-window-follows.png') });
  await second.close();
});

test('an executed change is reversed from its detail: prefilled with the inverse, and linked both ways', async ({
  page,
  context,
}, info) => {
  const member = platform.user('acme', 'member');
  const original = await raiseRequest(platform, member, 'test', {
    kind: 'custom.firewall',
    title: 'Open port 8443 to the partner range',
    summary: 'Partner integration go-live.',
    payload: { before: { port: 8443, open: false }, after: { port: 8443, open: true } },
  });
  await approveElsewhere(
    platform.user('acme', 'compliance_officer'),
    original as { id: string; payloadHash: string },
  );
  await signInThroughPlatformPage(page, context, memberConsole, platform, member);
  await openFromQueue(page, 'Open port 8443 to the partner range');
  await expect(fact(page, 'Status')).toHaveText('Executed');

  await page.getByRole('button', { name: 'Reverse…' }).click();
  const form = page.getByRole('dialog', { name: 'Reverse a request' });
  // Worked out from the record: the same kind, before and after swapped; saying why is left to the person.
  await expect(form.getByLabel('Justification (required)')).toBeFocused();
  await expect(form.getByLabel('Kind of change')).toHaveValue('custom');
  await expect(form.getByLabel('Custom kind')).toHaveValue('firewall');
  await expect(form.getByLabel('Title')).toHaveValue('Reverse: Open port 8443 to the partner range');
  expect(JSON.parse(await form.getByLabel('Payload (JSON object)').inputValue())).toEqual({
    before: { port: 8443, open: true },
    after: { port: 8443, open: false },
  });
  await expect(form).toContainText('This request undoes an executed one; both will link to each other.');
  await expect(form.getByRole('region', { name: 'Lane under your organization’s policy' })).toContainText(
    'Needs 1 approval from someone other than you.',
  );
  await scanForAxeViolations(page, 'reverse dialog', { requirePasses: true });
  await page.keyboard.type('The partner moved to the site-to-site VPN.');
  await page.screenshot({ path: info.outputPath('21-reverse-form.png') });
  await form.getByRole('button', { name: 'Raise request' }).click();

  // The reversal opens, naming what it reverses; the link leads back, and the original names its reversal.
  await expect(
    page.getByRole('heading', { name: 'Reverse: Open port 8443 to the partner range' }),
  ).toBeFocused();
  const reverses = fact(page, 'Reverses');
  await expect(reverses).toHaveText('Open port 8443 to the partner range (Executed)', onScreen);
  await page.screenshot({ path: info.outputPath('22-reversal-detail.png') });
  await reverses.getByRole('button').click();
  await expect(
    page.getByRole('heading', { name: 'Open port 8443 to the partner range', level: 2 }),
  ).toBeFocused();
  const reversedBy = fact(page, 'Reversed by');
  await expect(reversedBy).toHaveText('Reverse: Open port 8443 to the partner range (Pending)', onScreen);
  // A reversal stands (pending): no second one is offered.
  await expect(page.getByRole('button', { name: 'Reverse…' })).toBeHidden();
  await page.screenshot({ path: info.outputPath('23-original-reversed-by.png') });
  await reversedBy.getByRole('button').click();
  await expect(
    page.getByRole('heading', { name: 'Reverse: Open port 8443 to the partner range' }),
  ).toBeFocused();
});

test('an upload can be cancelled, nothing is raised, and the draft survives closing the form', async ({
  page,
  context,
}, info) => {
  const member = platform.user('acme', 'member');
  await signInThroughPlatformPage(page, context, memberConsole, platform, member);
  // The page's hand-over of the file to the console is held until the test lets it go: the progress
  // bar is on screen for as long as it takes to look at it and cancel, whatever the machine's speed.
  let release: () => void = () => {};
  await page.route('**/files?*', async (route) => {
    await new Promise<void>((resolve) => {
      release = resolve;
    });
    await route.continue().catch(() => {});
  });
  await page.getByRole('button', { name: 'New request…' }).click();
  const form = page.getByRole('dialog', { name: 'New request' });
  await form.getByLabel('Kind of change').selectOption('custom');
  await form.getByLabel('Custom kind').fill('data_export');
  await form.getByLabel('Payload (JSON object)').fill('{"dataset": "customers", "format": "csv"}');
  await form.getByLabel('Title').fill('Export customers for the auditors');
  await form.getByLabel('Justification (required)').fill('Audit fieldwork starts Monday.');
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    form.getByRole('button', { name: 'Attach files…' }).click(),
  ]);
  await chooser.setFiles({
    name: 'audit-request.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('Fieldwork request from the external auditors, ref. 2291.'),
  });
  await form.getByRole('button', { name: 'Raise request' }).click();
  const progress = form.getByRole('progressbar', { name: /Preparing audit-request\.txt \(file 1 of 1\)/ });
  await expect(progress).toBeVisible();
  await expect(form.getByRole('button', { name: 'Cancel upload' })).toBeFocused();
  await expect(form.getByLabel('Title')).toBeDisabled();
  await form.screenshot({ path: info.outputPath('31-upload-progress.png') });
  await page.keyboard.press('Enter');
  await expect(form.getByRole('status').filter({ hasText: 'Upload cancelled' })).toContainText(
    'nothing was raised, and your draft is as you left it',
  );
  release();
  await page.unroute('**/files?*');

  // Escape closes the form; N brings the draft back as it was.
  await page.keyboard.press('Escape');
  await expect(form).toBeHidden();
  await page.keyboard.press('n');
  await expect(form.getByLabel('Title')).toHaveValue('Export customers for the auditors');
  await expect(form.getByRole('list', { name: 'Files to attach' })).toContainText('audit-request.txt');
  await form.getByRole('button', { name: 'Raise request' }).click();
  await expect(page.getByRole('heading', { name: 'Export customers for the auditors' })).toBeFocused();
  await expect(page.getByRole('table', { name: 'Evidence files' })).toContainText('audit-request.txt');
  // Raised: the next New request starts empty.
  await page.keyboard.press('n');
  await expect(form.getByLabel('Title')).toHaveValue('');
  await page.keyboard.press('Escape');
  const { accessToken } = await platform.signIn(member);
  const loose = await platform.call('GET', '/v1/orgs/acme/envs/test/evidence', { token: accessToken });
  expect(loose.json.evidence).toEqual([]);
});

test('a key created through a request: its secret is collected once from the detail, and its reversal revokes it', async ({
  page,
  context,
}, info) => {
  const admin = platform.user('acme', 'admin');
  await signInThroughPlatformPage(page, context, adminConsole, platform, admin);
  await page.keyboard.press('n');
  const form = page.getByRole('dialog', { name: 'New request' });
  await form.getByLabel('Kind of change').selectOption('api_key.create');
  await form.getByLabel('Key name').fill('Nightly report export');
  await form.getByRole('checkbox', { name: 'audit:read' }).check();
  await form.getByRole('checkbox', { name: 'audit:export' }).check();
  await form.getByLabel('Expires after (days, optional)').fill('90');
  await form.getByLabel('Title').fill('A key for the nightly report');
  await form.getByLabel('Justification (required)').fill('The report job moves off the old server.');
  // In test, key writes are green under the default policy: carried out as soon as they are raised.
  await expect(form.getByRole('region', { name: 'Lane under your organization’s policy' })).toContainText(
    'Carried out as soon as it is raised: no approval needed.',
  );
  await form.screenshot({ path: info.outputPath('41-key-request-form.png') });
  await form.getByRole('button', { name: 'Raise request' }).click();
  await expect(page.getByRole('heading', { name: 'A key for the nightly report' })).toBeFocused();
  await expect(fact(page, 'Status')).toHaveText('Executed');

  await page.getByRole('button', { name: 'Collect the new secret…' }).click();
  const secretDialog = page.getByRole('dialog', { name: 'Your new API key' });
  await expect(secretDialog.getByRole('button', { name: 'Copy' })).toBeFocused();
  await expect(secretDialog).toContainText('Copy it now: it will not be shown again.');
  const secret = (await secretDialog.locator('code').textContent()) ?? '';
  expect(secret).toMatch(/^cck_test_[a-z2-7]{26}\.[A-Za-z0-9_-]+$/);
  await scanForAxeViolations(page, 'secret dialog', { requirePasses: true });
  await secretDialog.screenshot({ path: info.outputPath('42-secret-once.png') });
  await page.keyboard.press('Escape');
  await expect(secretDialog).toBeHidden();
  await expect(
    page.getByText('Collected. It is not kept anywhere and will not be shown again.'),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Collect the new secret…' })).toBeHidden();
  // Gone from the page and from anything the page could keep.
  const [html, stored] = await Promise.all([
    page.content(),
    page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })),
  ]);
  const secretPart = secret.split('.')[1] ?? '';
  expect(html).not.toContain(secretPart);
  expect(stored).not.toContain(secretPart);

  // Its reversal: revoke the key it created, picked by name.
  await page.getByRole('button', { name: 'Reverse…' }).click();
  const reverse = page.getByRole('dialog', { name: 'Reverse a request' });
  await expect(reverse.getByLabel('Justification (required)')).toBeFocused();
  await expect(reverse.getByLabel('Kind of change')).toHaveValue('api_key.revoke');
  await expect(reverse.getByLabel('Key to revoke')).toHaveValue(secret.split('.')[0] ?? '');
  await expect(reverse.getByLabel('Key to revoke').locator('option:checked')).toContainText(
    'Nightly report export',
  );
  await page.keyboard.type('The job was cancelled after all.');
  await page.screenshot({ path: info.outputPath('43-reverse-key.png') });
  await reverse.getByRole('button', { name: 'Raise request' }).click();
  await expect(page.getByRole('heading', { name: 'Reverse: A key for the nightly report' })).toBeFocused();
  await expect(fact(page, 'Status')).toHaveText('Executed');
  await expect(fact(page, 'Outcome')).toContainText('revoked', onScreen);
  await expect(fact(page, 'Outcome')).toContainText('Nightly report export', onScreen);
  expect(await visibleIds(page)).toEqual([]);
  await page.screenshot({ path: info.outputPath('44-key-revoked-by-reversal.png') });
});
