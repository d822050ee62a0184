import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { scanForAxeViolations } from '../fixtures/ui/axe';
import { signInThroughPlatformPage } from '../fixtures/ui/console-journey';
import { appendEntries, exportLog, joinExport, splitExport, tenantOf } from '../helpers/audit';
import { startConsoleFor, type TestConsole } from '../helpers/console';
import { startPlatform, type TestPlatform } from '../helpers/platform';

// An axe scan of each state of the Audit screen an auditor meets, in the real renderer against a real
// platform: no serious or critical violation anywhere. Lesser findings are printed, not hidden.
let platform: TestPlatform;
let platformStopped = false;
let console_: TestConsole;

test.beforeAll(async () => {
  platform = await startPlatform();
  await appendEntries(platform, tenantOf(platform, 'acme', 'test'), 1500);
  console_ = await startConsoleFor(platform);
});
test.afterAll(async () => {
  await console_.close();
  if (!platformStopped) await platform.stop();
});

test('the audit screen — live log, detail, integrity, export verification and offline — has no serious or critical axe violation', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  const auditor = platform.user('acme', 'auditor');
  const { accessToken } = await platform.signIn(auditor);
  const exported = await exportLog(platform, accessToken, 'acme', 'test');
  const dir = mkdtempSync(join(tmpdir(), 'cc-a11y-audit-'));
  const good = join(dir, 'acme-test.jsonl');
  writeFileSync(good, exported);
  const parts = splitExport(exported);
  parts.entries[700] = (parts.entries[700] ?? '').replace('quarterly', 'yearly');
  const tampered = join(dir, 'acme-test-copy.jsonl');
  writeFileSync(tampered, joinExport(parts));

  await signInThroughPlatformPage(page, context, console_, platform, auditor);
  await page
    .getByRole('navigation', { name: 'Console sections' })
    .getByRole('button', { name: 'Audit' })
    .click();
  const grid = page.getByRole('grid', { name: 'Audit log entries, newest first' });
  await expect(grid.locator('[role="row"][data-seq]').first()).toBeVisible();
  await grid.focus();
  await page.keyboard.press('ArrowDown');
  await scanForAxeViolations(page, 'live log');

  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: /^Entry \d+$/ }).getByRole('table')).toBeVisible();
  await scanForAxeViolations(page, 'entry detail');
  await page.keyboard.press('Escape');

  await page.getByLabel('Action').selectOption('webhook.configure');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText('No entries match these filters.')).toBeVisible();
  await scanForAxeViolations(page, 'empty log');
  await page.getByRole('button', { name: 'Clear filters' }).click();

  await page.getByRole('tab', { name: 'Verify integrity' }).click();
  await page.getByRole('button', { name: 'Verify integrity' }).click();
  await expect(page.getByText(/First seen:/)).toBeVisible();
  await scanForAxeViolations(page, 'integrity first seen');

  await page.getByRole('tab', { name: 'Open export…' }).click();
  await expect(page.getByLabel('Verifier keys (one per line)')).not.toHaveValue('');
  await scanForAxeViolations(page, 'export, nothing opened');
  await page.getByLabel('Audit export to verify').setInputFiles(good);
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(page.getByRole('heading', { name: /^Verified: / })).toBeVisible();
  await scanForAxeViolations(page, 'export verified');

  await page.getByLabel('Audit export to verify').setInputFiles(tampered);
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(page.getByRole('heading', { name: /^Tampered: / })).toBeVisible();
  await scanForAxeViolations(page, 'export tampered');

  await page.getByLabel('Verifier keys (one per line)').fill('not a key');
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(page.getByText('Line 1 is not a verifier key (name+keyid+base64).')).toBeVisible();
  await scanForAxeViolations(page, 'export, bad key');

  await platform.stop();
  platformStopped = true;
  await page.getByRole('tab', { name: 'Verify integrity' }).click();
  await page.getByRole('button', { name: 'Verify integrity' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Offline.' })).toBeVisible();
  await scanForAxeViolations(page, 'integrity offline');
  await page.getByRole('tab', { name: 'Live log' }).click();
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Offline.' })).toBeVisible();
  await scanForAxeViolations(page, 'live log offline');
});
