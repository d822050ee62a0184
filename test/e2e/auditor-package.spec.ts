import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { scanForAxeViolations } from '../fixtures/ui/axe';
import { paintedScreenshot } from '../fixtures/ui/screenshot';
import { decide, registerDevice } from '../helpers/approvals';
import { startConsoleFor, type TestConsole } from '../helpers/console';
import { startPlatform, type TestPlatform } from '../helpers/platform';

// The auditor's package journey through the real console (headless host, real main-process services and
// keychain) against a real platform: sign in with an API key, export a period of the live log as an audit
// package to a name they choose, see it verified offline at once with its reports saved beside it, draw a
// sample, open the report; then the log alone, replacing a file of the same name only once they confirm.
let platform: TestPlatform;
let console_: TestConsole;
let apiKey: string;
let requestId: string;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

test.beforeAll(async () => {
  platform = await startPlatform();
  const officer = (await platform.signIn(platform.user('acme', 'compliance_officer'))).accessToken;
  const member = (await platform.signIn(platform.user('acme', 'member'))).accessToken;
  const device = await registerDevice(platform, officer);
  const upload = await platform.call('POST', '/v1/orgs/acme/envs/live/evidence?name=access-review.txt', {
    token: member,
    rawBody: 'Access review Q4: 14 accounts, 2 removed\n',
    headers: { 'content-type': 'application/octet-stream' },
  });
  const raised = await platform.call('POST', '/v1/orgs/acme/envs/live/approvals', {
    token: member,
    body: {
      kind: 'custom.access_review',
      title: 'Q4 access review',
      payload: { quarter: 4 },
      evidenceIds: [upload.json.id],
    },
  });
  requestId = raised.json.id;
  const decided = await decide(
    platform,
    officer,
    device,
    '/v1/orgs/acme/envs/live/approvals',
    raised.json,
    'approve',
  );
  if (decided.status !== 200) throw new Error(decided.text);
  const admin = (await platform.signIn(platform.user('acme', 'admin'))).accessToken;
  const key = await platform.call('POST', '/v1/orgs/acme/envs/live/api-keys', {
    token: admin,
    body: { name: 'external auditor', scopes: ['audit:read', 'audit:export', 'evidence:read'] },
  });
  apiKey = key.json.secret;
  console_ = await startConsoleFor(platform);
});
test.afterAll(async () => {
  await console_.close();
  await platform.stop();
});

async function signInWithApiKey(page: Page) {
  await page.goto(console_.host.url);
  await expect(page.getByLabel('Platform address')).toHaveValue(platform.url);
  await page.getByLabel('API key', { exact: true }).fill(apiKey);
  await page.getByRole('button', { name: 'Sign in with API key' }).click();
  await expect(page.getByLabel('Environment')).toHaveValue('live');
  const sections = page.getByRole('navigation', { name: 'Console sections' });
  // The key's scopes decide what is offered: no queue, keys, members or policy to stumble into (reviews
  // are read with audit:read).
  await expect(sections.getByRole('button')).toHaveText(['Access reviews', 'Evidence', 'Audit', 'Settings']);
  await sections.getByRole('button', { name: 'Audit' }).click();
  await page.getByRole('tab', { name: 'Export a period' }).click();
}

const fact = (page: Page, name: string) =>
  page
    .locator('.audit-facts__item')
    .filter({ has: page.locator('dt', { hasText: new RegExp(`^${name}$`) }) })
    .locator('dd');

test('an auditor signs in with an API key, exports a period as a package, sees it verified, draws a sample and opens the report', async ({
  page,
  context,
}, info) => {
  test.setTimeout(120_000);
  await signInWithApiKey(page);
  const form = page.getByRole('region', { name: 'Export the log or an audit package' });
  await expect(form.getByRole('radio', { name: /Audit package/ })).toBeChecked();
  await expect(form.getByLabel('Organization')).toHaveValue('acme');
  await expect(form.getByLabel('Environment')).toHaveValue('live');
  await paintedScreenshot(page, info.outputPath('1-export-form.png'));
  await scanForAxeViolations(page, 'export form', { requirePasses: true });

  // The headless host has no system dialog: its own "Save as", keyboard first.
  await form.getByRole('button', { name: 'Export package…' }).click();
  const saveAs = page.getByRole('dialog', { name: 'Save as' });
  const name = saveAs.getByLabel('File name');
  await expect(name).toBeFocused();
  await expect(name).toHaveValue(/^audit-package-acme-live-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.zip$/);
  await paintedScreenshot(page, info.outputPath('2-save-as.png'));
  await scanForAxeViolations(page, 'save as');
  await name.fill('acme-live-q4.zip');
  await page.keyboard.press('Enter');

  const verdict = page.getByRole('heading', { name: /^Verified: the log, every decision/ });
  await expect(verdict).toBeVisible();
  await expect(verdict).toBeFocused();
  const saved = join(console_.dataDir, 'saved', 'acme-live-q4.zip');
  const packageHash = sha256(readFileSync(saved));
  await expect(fact(page, 'SHA-256')).toHaveText(packageHash);
  await expect(fact(page, 'Package SHA-256')).toHaveText(packageHash);
  await expect(fact(page, 'Reports beside it')).toHaveText(
    'acme-live-q4.report.html, acme-live-q4.findings.csv',
  );
  await expect(fact(page, 'Checked')).toContainText('1 decision, 1 evidence file,');
  // No sample until one is asked for.
  await expect(page.getByRole('region', { name: /^Sample:/ })).toHaveCount(0);
  expect(readFileSync(join(console_.dataDir, 'saved', 'acme-live-q4.findings.csv'), 'utf8')).toContain(
    packageHash,
  );
  await paintedScreenshot(page, info.outputPath('3-package-verified.png'));

  // A sample of 5 from a period of one request: that request, checked, with why it was drawn.
  const sampleSize = page.getByLabel('Sample size (requests)');
  await sampleSize.fill('none');
  await page.getByRole('button', { name: 'Draw sample' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Enter a whole number' })).toBeVisible();
  await sampleSize.fill('5');
  await sampleSize.press('Enter');
  const sample = page.getByRole('region', { name: 'Sample: 1 of 1 requests' });
  await expect(sample).toBeVisible();
  await expect(sample).toContainText('that checkpoint verified, so anyone can draw the same sample again');
  const row = sample.getByRole('row').filter({ hasText: requestId });
  await expect(row).toContainText('approve by');
  await expect(row).toContainText('1 file');
  await expect(row).toContainText('Checks out');
  await sample.scrollIntoViewIfNeeded();
  await paintedScreenshot(page, info.outputPath('4-sample.png'));
  await scanForAxeViolations(page, 'package verified with a sample');

  // The report, in a tab of its own (sandboxed, no script), saying what the screen said.
  const [report] = await Promise.all([
    context.waitForEvent('page'),
    page.getByRole('button', { name: 'Open report' }).click(),
  ]);
  await report.waitForLoadState();
  await expect(report.locator('body')).toContainText(packageHash);
  await expect(report.locator('body')).toContainText('Verified: the log, every decision');
  await expect(report.locator('body')).toContainText(requestId);
  await paintedScreenshot(report, info.outputPath('5-report.png'));
  await report.close();

  // The same package opened as a file under Open export… is verified as a package too.
  await page.getByRole('tab', { name: 'Open export…' }).click();
  await page.getByLabel('Audit export to verify').setInputFiles(saved);
  await expect(page.getByText('Opened acme-live-q4.zip')).toBeVisible();
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(page.getByRole('heading', { name: /^Verified: the log, every decision/ })).toBeVisible();
  await expect(fact(page, 'Package SHA-256')).toHaveText(packageHash);
});

test('the log alone: a name already taken is replaced only once the auditor confirms, and the export verifies', async ({
  page,
}, info) => {
  test.setTimeout(120_000);
  await signInWithApiKey(page);
  const form = page.getByRole('region', { name: 'Export the log or an audit package' });
  await form.getByRole('radio', { name: /Log only/ }).check();
  for (let round = 0; round < 2; round++) {
    await form.getByRole('button', { name: 'Export log…' }).click();
    const saveAs = page.getByRole('dialog', { name: 'Save as' });
    await saveAs.getByLabel('File name').fill('acme-live-log.jsonl');
    await saveAs.getByRole('button', { name: 'Save' }).click();
    if (round === 1) {
      await expect(saveAs.getByRole('alert')).toHaveText('acme-live-log.jsonl exists already. Replace it?');
      await expect(saveAs.getByRole('cell', { name: 'acme-live-log.jsonl' })).toBeVisible();
      await paintedScreenshot(page, info.outputPath('6-replace.png'));
      await saveAs.getByRole('button', { name: 'Replace' }).click();
    }
    await expect(
      page.getByRole('heading', { name: 'Verified: the file is an untampered part of the signed log.' }),
    ).toBeVisible();
  }
  const saved = join(console_.dataDir, 'saved', 'acme-live-log.jsonl');
  await expect(fact(page, 'File SHA-256')).toHaveText(sha256(readFileSync(saved)));
  expect(existsSync(join(console_.dataDir, 'saved', 'acme-live-log.report.html'))).toBe(true);
  await paintedScreenshot(page, info.outputPath('7-log-verified.png'));
  await scanForAxeViolations(page, 'log export verified');
});
