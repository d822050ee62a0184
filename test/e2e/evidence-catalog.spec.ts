import { expect, type Page, test } from '@playwright/test';
import { addDays, dayOf } from '../../shared/evidence/period';
import { onePagePdf, solidPng } from '../fixtures/evidence/files';
import { scanForAxeViolations } from '../fixtures/ui/axe';
import { buildRenderer, callFromPage, startConsole, type TestConsole } from '../helpers/console';
import { type HeldDownloadProxy, startHeldDownloadProxy } from '../helpers/held-download-proxy';
import { startPlatform, type TestPlatform } from '../helpers/platform';

// An integration's API key (the way an auditor's tool signs in) browses the tenant's evidence from the
// platform: coverage, filters, statuses, every preview type; a large file is held half-way by a relay in
// front of the platform, so the download's progress shows and Cancel is pressed while it runs.
let platform: TestPlatform;
let relay: HeldDownloadProxy;
let console_: TestConsole;
let adminToken: string;

test.beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
  relay = await startHeldDownloadProxy(platform.url);
  console_ = await startConsole({
    rendererDir: await buildRenderer(),
    platformUrl: relay.url,
    now: () => platform.clock.now(),
  });
  adminToken = (await platform.signIn(platform.user('acme', 'admin'))).accessToken;
});
test.afterAll(async () => {
  await console_.close();
  await relay.close();
  await platform.stop();
});

/** Signs the console in with a new API key of acme's test environment (as an integration does). */
async function signInWithKey(page: Page): Promise<{ id: string }> {
  const created = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
    token: adminToken,
    body: {
      name: `evidence browser ${Math.random().toString(36).slice(2, 6)}`,
      scopes: ['evidence:read', 'evidence:upload', 'approvals:read', 'approvals:request'],
    },
  });
  expect(created.status, created.text).toBe(201);
  await page.goto(console_.host.url);
  await expect(page.getByLabel('Platform address')).toHaveValue(relay.url);
  await page.getByLabel('API key', { exact: true }).fill(created.json.secret);
  await page.getByRole('button', { name: 'Sign in with API key' }).click();
  await expect(page.getByRole('button', { name: 'Evidence', exact: true })).toBeVisible();
  return created.json.key;
}

async function upload(name: string, bytes: Buffer, query: Record<string, string> = {}) {
  const reply = await platform.call(
    'POST',
    `/v1/orgs/acme/envs/test/evidence?${new URLSearchParams({ name, ...query })}`,
    {
      token: adminToken,
      rawBody: bytes as unknown as string,
      headers: { 'content-type': 'application/octet-stream' },
    },
  );
  if (reply.status !== 201) throw new Error(`upload failed: ${reply.text}`);
  return reply.json as { id: string };
}

function csvRows(count: number): Buffer {
  const lines = ['control,owner,result,"note, with comma"'];
  for (let i = 1; i <= count; i++)
    lines.push(`AC-${i},Ops team,${i % 7 === 0 ? 'fail' : 'pass'},"row ""${i}"""`);
  return Buffer.from(`${lines.join('\r\n')}\r\n`);
}

test('the tenant’s evidence: coverage, filters, statuses, previews of each type, and a download cancelled midway', async ({
  page,
}, info) => {
  // A long journey on a shared two-core machine: every step waits for what it needs, none is timed.
  test.setTimeout(240_000);
  const today = dayOf(platform.clock.now());
  const yearAgo = addDays(today, -330);
  await upload('access-review-q1.csv', csvRows(5000), {
    periodFrom: yearAgo,
    periodTo: addDays(yearAgo, 89),
    expiresOn: addDays(today, 12),
  });
  await upload('badge-photo.png', solidPng(320, 180, [30, 120, 200]), { periodFrom: today, periodTo: today });
  await upload('soc2-type2.pdf', onePagePdf('SOC 2 Type II report'), {
    periodFrom: addDays(today, -200),
    periodTo: today,
    expiresOn: addDays(today, 165),
  });
  await upload(
    'scan-findings.json',
    Buffer.from(
      JSON.stringify({ critical: 0, note: '<img src=x onerror="window.__injected=1">', high: ['TLS 1.0'] }),
    ),
    { periodFrom: addDays(today, -40), periodTo: addDays(today, -10) },
  );
  const oldPolicy = await upload('backup-policy.txt', Buffer.from('Backups nightly, kept 30 days.\n'), {
    periodFrom: addDays(today, -300),
    periodTo: addDays(today, -100),
    expiresOn: addDays(today, -3),
  });
  await upload('backup-policy.txt', Buffer.from('Backups nightly, kept 90 days.\n'), {
    periodFrom: addDays(today, -99),
    periodTo: today,
    supersedes: oldPolicy.id,
  });
  await upload('pentest-2025.txt', Buffer.from('Penetration test, 2025.\n'), {
    periodFrom: addDays(today, -360),
    periodTo: addDays(today, -250),
    expiresOn: addDays(today, -20),
  });
  const big = await upload('firewall-log.txt', Buffer.alloc(8 * 1024 * 1024, 'deny tcp 10.0.0.1:22\n'));

  const key = await signInWithKey(page);
  await page.getByRole('button', { name: 'Evidence', exact: true }).click();

  // The overview: a chart (an image with every month in its description) and what expires next.
  await expect(page.getByRole('heading', { name: 'Evidence', level: 1 })).toBeVisible();
  const chart = page.getByRole('img', { name: 'Current evidence files per month, last 12 months' });
  await expect(chart).toBeVisible();
  await expect(chart).toHaveAccessibleDescription(/: \d+;/);
  const next = page.getByRole('heading', { name: 'Expires next' }).locator('..');
  await expect(next.getByRole('listitem').first()).toContainText('access-review-q1.csv');
  await expect(next).not.toContainText('backup-policy.txt');

  // Every file, newest first, with its status in words.
  const table = page.getByRole('table');
  const row = (name: string) => table.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
  await expect(row('firewall-log.txt')).toContainText('Current');
  await expect(row('access-review-q1.csv')).toContainText('Expiring ≤ 30 days');
  await expect(row('access-review-q1.csv')).toContainText('CSV');
  await expect(row('pentest-2025.txt')).toContainText('Expired');
  await expect(table.getByRole('row').filter({ hasText: 'Superseded' })).toContainText('backup-policy.txt');
  await page.screenshot({ path: info.outputPath('01-evidence-screen.png'), fullPage: true });
  await scanForAxeViolations(page, 'evidence screen', { requirePasses: true });

  // Filters: status, type, search and period, each a labelled control; Clear brings every file back.
  await page.getByLabel('Status').selectOption('expired');
  await expect(table.getByRole('rowheader')).toHaveText(['pentest-2025.txt']);
  await page.getByLabel('Status').selectOption('');
  await page.getByLabel('Type').selectOption('application/pdf');
  await expect(table.getByRole('rowheader')).toHaveText(['soc2-type2.pdf']);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.keyboard.press('Control+k');
  await expect(page.getByLabel('Search by name')).toBeFocused();
  await page.keyboard.type('BACKUP');
  await expect(table.getByRole('rowheader')).toHaveCount(2);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByLabel('Period from').fill(addDays(today, -45));
  await page.getByLabel('Period to').fill(addDays(today, -41));
  await expect(table.getByRole('rowheader')).toHaveText([/^backup-policy\.txt/, /^soc2-type2\.pdf/]);
  await page.getByLabel('Period to').fill(addDays(today, -50));
  await expect(page.getByText('The period must end on or after the day it starts.')).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(table.getByRole('rowheader')).toHaveCount(8);

  // Previews: an image, a PDF, a long CSV as a table, JSON laid out and never run, plain text.
  await page.getByRole('button', { name: 'Open badge-photo.png' }).click();
  const image = page.getByRole('dialog', { name: 'badge-photo.png' });
  await expect(image.getByRole('img', { name: 'badge-photo.png' })).toBeVisible();
  await image.getByRole('button', { name: 'Close' }).click();

  await page.getByRole('button', { name: 'Open soc2-type2.pdf' }).click();
  const pdf = page.getByRole('dialog', { name: 'soc2-type2.pdf' });
  await expect(pdf.getByRole('img', { name: 'soc2-type2.pdf, page 1 of 1' })).toBeVisible();
  await page.screenshot({ path: info.outputPath('02-preview-pdf.png') });
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Open access-review-q1.csv' }).click();
  const csv = page.getByRole('dialog', { name: 'access-review-q1.csv' });
  const sheet = csv.getByRole('table', { name: 'Contents of access-review-q1.csv' });
  await expect(sheet).toHaveAttribute('aria-rowcount', '5001');
  await expect(sheet.getByRole('columnheader')).toHaveText([
    'control',
    'owner',
    'result',
    'note, with comma',
  ]);
  await expect(sheet.getByRole('row').nth(1)).toContainText('row "1"');
  // Only the rows in view are in the page; scrolling brings the last one.
  expect(await sheet.getByRole('row').count()).toBeLessThan(100);
  await sheet.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(sheet.getByRole('row', { name: /AC-5000/ })).toBeVisible();
  await expect(csv.getByText('5,000 rows and 4 columns.')).toBeVisible();
  await page.screenshot({ path: info.outputPath('03-preview-csv.png') });
  await scanForAxeViolations(page, 'CSV preview');
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Open scan-findings.json' }).click();
  const json = page.getByRole('dialog', { name: 'scan-findings.json' });
  const contents = json.getByRole('region', { name: 'Contents of scan-findings.json' });
  await expect(contents).toContainText('"note": "<img src=x onerror=\\"window.__injected=1\\">"');
  await expect(contents.locator('img')).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __injected?: number }).__injected)).toBeUndefined();
  await page.screenshot({ path: info.outputPath('04-preview-json.png') });
  await page.keyboard.press('Escape');

  await table
    .getByRole('row')
    .filter({ hasText: 'Current' })
    .filter({ hasText: 'backup-policy.txt' })
    .getByRole('button', { name: 'Open backup-policy.txt' })
    .click();
  const text = page.getByRole('dialog', { name: 'backup-policy.txt' });
  await expect(text.getByRole('region', { name: 'Contents of backup-policy.txt' })).toHaveText(
    'Backups nightly, kept 90 days.',
  );
  await page.keyboard.press('Escape');
  // What was opened is now on this computer.
  await expect(row('badge-photo.png')).toContainText('On this computer');

  // A large file, held half-way: the bar moves, Cancel stops it, and nothing of it is kept.
  relay.hold(big.id);
  await row('firewall-log.txt').getByRole('button', { name: 'Open firewall-log.txt' }).click();
  const viewer = page.getByRole('dialog', { name: 'firewall-log.txt' });
  const bar = viewer.getByRole('progressbar', { name: 'Downloading firewall-log.txt' });
  await expect(bar).toHaveAttribute('aria-valuetext', /^3% \(256 KiB of 8 MiB\)$/);
  await expect(viewer.getByRole('button', { name: 'Cancel download' })).toBeFocused();
  await page.screenshot({ path: info.outputPath('05-download-progress.png') });
  await scanForAxeViolations(page, 'download in progress');
  await page.keyboard.press('Enter');
  await expect(
    viewer.getByText('Download cancelled. Nothing of the file was kept on this computer.'),
  ).toBeVisible();
  await page.screenshot({ path: info.outputPath('06-download-cancelled.png') });
  const cached = await callFromPage(page, 'evidence.listCached', {
    profile: { platformOrigin: relay.url, principalId: key.id },
    tenant: { organization: 'acme', environment: 'test' },
    query: 'firewall',
  });
  expect(cached).toEqual({ ok: true, value: { evidence: [] } });
  // Released, Try again downloads it in full.
  relay.release(big.id);
  await viewer.getByRole('button', { name: 'Try again' }).click();
  // Eight MiB through the cache and back to the page: given time to arrive, not timed.
  const log = viewer.getByRole('region', { name: 'Contents of firewall-log.txt' });
  await expect(log).toContainText('deny tcp 10.0.0.1:22', { timeout: 60_000 });
  await expect(log).toContainText('Showing the first 400,000 characters of 8,388,608');
  await page.keyboard.press('Escape');
  await expect(row('firewall-log.txt')).toContainText('On this computer');
  await page.screenshot({ path: info.outputPath('07-after-opening.png'), fullPage: true });
});

test('the new-request form takes the evidence period and expiry, and the Evidence screen shows them', async ({
  page,
}, info) => {
  await signInWithKey(page);
  await page.getByRole('button', { name: 'Approvals', exact: true }).click();
  await page.getByRole('button', { name: 'New request' }).click();
  const form = page.getByRole('dialog', { name: 'New request' });
  await form.getByLabel('Kind of change').selectOption('custom');
  await form.getByLabel('Custom kind').fill('vendor_review');
  await form.getByLabel('Payload (JSON object)').fill('{ "vendor": "Initech" }');
  await form.getByLabel('Title').fill('Annual vendor review: Initech');
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    form.getByRole('button', { name: 'Attach files…' }).click(),
  ]);
  await chooser.setFiles({
    name: 'initech-assessment.pdf',
    mimeType: 'application/pdf',
    buffer: onePagePdf('Initech vendor assessment'),
  });
  // One day alone is refused at the field, which takes the focus.
  await form.getByLabel('Period from').fill('2026-01-01');
  await form.getByRole('button', { name: 'Raise request' }).click();
  await expect(form.getByText('Give the day the period ends, or leave both days empty.')).toBeVisible();
  await expect(form.getByLabel('Period to')).toBeFocused();
  await form.getByLabel('Period to').fill('2026-12-31');
  await form.getByLabel('Expires on (optional)').fill('2025-06-30');
  await form.getByRole('button', { name: 'Raise request' }).click();
  await expect(form.getByText('The expiry cannot be before the period starts.')).toBeVisible();
  await form.getByLabel('Expires on (optional)').fill('2027-12-31');
  await form.evaluate((d) => d.scrollTo(0, d.scrollHeight));
  await page.screenshot({ path: info.outputPath('08-new-request-period.png') });
  await scanForAxeViolations(page, 'new request with evidence period');
  await form.getByRole('button', { name: 'Raise request' }).click();
  await expect(form).toBeHidden();

  await page.getByRole('button', { name: 'Evidence', exact: true }).click();
  const attached = page
    .getByRole('table')
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: 'initech-assessment.pdf' }) });
  await expect(attached).toContainText('Current');
  await expect(attached).toContainText(/Jan 1, 2026 – Dec 31, 2026/);
  await expect(attached).toContainText('Dec 31, 2027');
  // Its request's button shows only that request's files.
  await attached.getByRole('button', { name: /Show only the evidence of request apr_/ }).click();
  await expect(page.getByRole('table').getByRole('rowheader')).toHaveText(['initech-assessment.pdf']);
  await expect(page.getByLabel('Request id')).toHaveValue(/^apr_/);
  await page.screenshot({ path: info.outputPath('09-evidence-of-a-request.png'), fullPage: true });

  // More than a page: the first 50, then Show more brings the rest, keeping the search.
  for (let i = 0; i < 55; i++)
    await upload(`daily-check-${String(i).padStart(2, '0')}.txt`, Buffer.from(`check ${i}\n`));
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByLabel('Search by name').fill('daily-check');
  await expect(page.getByText('50+ files')).toBeVisible();
  await expect(page.getByRole('table').getByRole('rowheader')).toHaveCount(50);
  await page.getByRole('button', { name: 'Show more' }).click();
  await expect(page.getByText('55 files')).toBeVisible();
  await expect(page.getByRole('table').getByRole('rowheader')).toHaveCount(55);
  await expect(page.getByRole('table').getByRole('rowheader').last()).toHaveText(/^daily-check-00\.txt/);
  await expect(page.getByRole('button', { name: 'Show more' })).toHaveCount(0);
});
