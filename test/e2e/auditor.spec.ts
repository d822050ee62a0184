import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { sql } from 'kysely';
import { signInThroughPlatformPage } from '../fixtures/ui/console-journey';
import {
  appendEntries,
  appendLargeEntries,
  exportLog,
  joinExport,
  splitExport,
  tenantOf,
} from '../helpers/audit';
import { startConsoleFor, type TestConsole } from '../helpers/console';
import { rawSql, startPlatform, type TestPlatform } from '../helpers/platform';

// The auditor's journey through the real console (headless host, real main-process services, real
// keychain, real verifier worker) and a real platform: look through the live log, check its integrity,
// then take an export, lose the platform, and verify the export and a tampered copy offline.
let platform: TestPlatform;
let platformStopped = false;
let console_: TestConsole;
const files = mkdtempSync(join(tmpdir(), 'cc-auditor-'));

test.beforeAll(async () => {
  platform = await startPlatform();
  await appendEntries(platform, tenantOf(platform, 'acme', 'test'), 3000);
  console_ = await startConsoleFor(platform);
});
test.afterAll(async () => {
  await console_.close();
  if (!platformStopped) await platform.stop();
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function openAudit(page: Page) {
  await page
    .getByRole('navigation', { name: 'Console sections' })
    .getByRole('button', { name: 'Audit' })
    .click();
  await expect(page.getByRole('heading', { name: 'Audit', level: 1 })).toBeVisible();
}

async function saved(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]);
  return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
}

/**
 * What a compromised platform would do: throw away a tenant's log (past the database's own append-only
 * triggers) and sign a different history in its place.
 */
async function rewriteHistory(org: string, env: 'test' | 'live', entries: number) {
  const id = (await platform.ctx.stores.organizations.findBySlug(org))?.id;
  for (const table of ['audit_entries', 'audit_nodes', 'audit_checkpoints']) {
    await rawSql(platform, sql`DROP TRIGGER IF EXISTS ${sql.id(`${table}_append_only_delete`)}`);
    await rawSql(
      platform,
      sql`DELETE FROM ${sql.table(table)} WHERE organization_id = ${id} AND environment = ${env}`,
    );
  }
  await appendEntries(platform, tenantOf(platform, org, env), entries);
}

test('a long verification shows its progress and can be cancelled', async ({ page, context }, info) => {
  test.setTimeout(120_000);
  // Another tenant's log of about 20 MB, which the worker reads in 1 MiB chunks.
  await appendLargeEntries(platform, tenantOf(platform, 'globex', 'test'), 2500, 8000);
  const { accessToken } = await platform.signIn(platform.user('globex', 'auditor'));
  const big = join(files, 'audit-globex-test.jsonl');
  const bigBytes = await exportLog(platform, accessToken, 'globex', 'test');
  const entriesInFile = splitExport(bigBytes).entries.length;
  writeFileSync(big, bigBytes);

  await signInThroughPlatformPage(page, context, console_, platform, platform.user('acme', 'auditor'));
  await openAudit(page);
  await page.getByRole('tab', { name: 'Open export…' }).click();
  await expect(page.getByLabel('Verifier keys (one per line)')).not.toHaveValue('');
  await page.getByLabel('Audit export to verify').setInputFiles(big);
  await expect(page.getByText('Opened audit-globex-test.jsonl')).toBeVisible();
  // The worker reads this file in well under a second, so what the bar showed is recorded as it happens.
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { progressSeen: number[] }).progressSeen = seen;
    new MutationObserver(() => {
      const bar = document.querySelector('[role="progressbar"][aria-label="Verifying the export"]');
      if (bar) seen.push(Number(bar.getAttribute('aria-valuenow')));
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  const verify = page.getByRole('button', { name: 'Verify', exact: true });
  await verify.click();
  await expect(page.getByRole('progressbar', { name: 'Verifying the export' })).toBeVisible();
  await page.screenshot({ path: info.outputPath('0-verifying-progress.png') });
  await expect(page.getByRole('heading', { name: /^Verified: / })).toBeVisible();
  const seen = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
  expect(seen.some((p) => p > 0 && p < 100)).toBe(true);
  expect(seen).toEqual([...seen].sort((a, b) => a - b));

  // Again, and cancelled: the report says so, and names no file hash for bytes it did not read.
  await verify.click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { name: /^Cancelled before the end of the file:/ })).toBeVisible();
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  await expect(page.getByText('not computed (cancelled)')).toBeVisible();
  // It really stopped part-way: fewer entries read than the file holds.
  const readFact = page
    .locator('.audit-facts__item')
    .filter({ has: page.locator('dt', { hasText: /^Read$/ }) })
    .locator('dd');
  await expect(readFact).toHaveText(/^[\d,]+ entries, \d+ checkpoints$/);
  const entriesRead = Number(((await readFact.textContent()) ?? '').split(' ')[0]?.replaceAll(',', ''));
  expect(entriesRead).toBeLessThan(entriesInFile);
  await page.screenshot({ path: info.outputPath('0-verification-cancelled.png') });
});

test('a platform that rewrote the log raises the fork alarm, here and in every console window on the log', async ({
  page,
  context,
}, info) => {
  const auditor = platform.user('acme', 'auditor');
  await signInThroughPlatformPage(page, context, console_, platform, auditor);
  await page.getByLabel('Environment').selectOption('live');
  await openAudit(page);
  await page.getByRole('tab', { name: 'Verify integrity' }).click();
  await page.getByRole('button', { name: 'Verify integrity' }).click();
  await expect(page.getByText(/First seen:/)).toBeVisible();

  // A second window of the same console, on the same log, that runs no check of its own.
  const watcher = await context.newPage();
  await watcher.goto(console_.host.url);
  await watcher.getByRole('button', { name: `Continue as ${auditor.userId} on ${platform.url}` }).click();
  await watcher.getByLabel('Environment').selectOption('live');
  await openAudit(watcher);

  await rewriteHistory('acme', 'live', 40);
  await page.getByRole('button', { name: 'Verify integrity' }).click();
  for (const where of [page, watcher]) {
    const alarm = where.getByRole('alert').filter({ hasText: 'Fork detected' });
    await expect(
      alarm.getByRole('heading', { name: 'Fork detected: this log has two histories' }),
    ).toBeVisible();
    const notes = alarm.locator('pre');
    await expect(notes).toHaveCount(2);
    await expect(notes.nth(0)).toContainText('/audit/acme/live');
    await expect(notes.nth(1)).toContainText('/audit/acme/live');
    expect(await notes.nth(0).textContent()).not.toBe(await notes.nth(1).textContent());
    expect(await notes.nth(0).evaluate((n) => getComputedStyle(n).fontFamily)).toMatch(/mono/i);
  }
  await expect(page.getByText(/Fork: the platform showed a history/)).toBeVisible();
  await page.screenshot({ path: info.outputPath('6-fork-alarm.png') });
  // The alarm is for everyone: no serious or critical axe violation in it (the other states are scanned
  // in accessibility-audit.spec.ts).
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  await watcher.screenshot({ path: info.outputPath('6-fork-alarm-other-window.png') });
  await watcher.close();
});

test('an auditor reads the live log, checks its integrity, and verifies an export and a tampered copy offline', async ({
  page,
  context,
}, info) => {
  test.setTimeout(120_000);
  const auditor = platform.user('acme', 'auditor');
  await signInThroughPlatformPage(page, context, console_, platform, auditor);
  // An auditor is offered what their role can use: no approvals queue, members, keys or policy; access
  // reviews' outcomes and packs are theirs to read.
  const sections = page.getByRole('navigation', { name: 'Console sections' }).getByRole('button');
  await expect(sections).toHaveText(['Access reviews', 'Evidence', 'Audit', 'Settings']);
  await openAudit(page);

  // The live log, newest first, paged as the person scrolls.
  const grid = page.getByRole('grid', { name: 'Audit log entries, newest first' });
  const count = page.getByText(/entries loaded of a log of/);
  await expect(count).toContainText('100 entries loaded');
  await grid.focus();
  await page.keyboard.press('ArrowDown');
  const newest = grid.locator('[role="row"][aria-selected="true"]');
  const newestSeq = await newest.getAttribute('data-seq');
  // The approvals screen's letters do nothing here: no selection move, no dialog.
  for (const key of ['j', 'k', 'a', 'r']) await page.keyboard.press(key);
  await expect(newest).toHaveAttribute('data-seq', newestSeq ?? '');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.keyboard.press('End');
  await expect(count).toContainText('200 entries loaded');

  // One entry in detail, keyboard only: Enter opens it, Escape goes back to the list.
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const detail = page.getByRole('region', { name: /^Entry \d+$/ });
  await expect(detail.getByRole('heading', { level: 2 })).toBeFocused();
  await expect(detail.getByRole('table')).toContainText('of the quarterly controls');
  await expect(detail.getByRole('rowheader', { name: /comment added/ })).toBeVisible();
  await detail.getByRole('table').scrollIntoViewIfNeeded();
  await page.screenshot({ path: info.outputPath('1-live-log-detail.png') });
  await page.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);
  await expect(grid).toBeFocused();

  // Filters: an action picked from the list, applied with Enter.
  await page.getByLabel('Action').selectOption('evidence.download_url');
  await page.getByLabel('Resource id').press('Enter');
  await expect(page.getByText(/matching entries loaded/)).toBeVisible();
  const actions = await grid
    .locator('[role="row"][data-seq] >> nth=0')
    .locator('[role="gridcell"]')
    .allTextContents();
  expect(actions).toContain('evidence.download_url');
  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await expect(count).toContainText('100 entries loaded');

  // Integrity of the live log: first seen, then consistent with the checkpoint stored then.
  await page.getByRole('tab', { name: 'Verify integrity' }).click();
  await page.getByRole('button', { name: 'Verify integrity' }).click();
  await expect(page.getByText(/First seen:/)).toBeVisible();
  await appendEntries(platform, tenantOf(platform, 'acme', 'test'), 10);
  await page.getByRole('button', { name: 'Verify integrity' }).click();
  await expect(page.getByText(/Consistent:/)).toBeVisible();
  await expect(page.getByText('1 stored checkpoint', { exact: true })).toBeVisible();
  await page.screenshot({ path: info.outputPath('2-integrity-consistent.png') });

  // An export of the log, and a copy with one entry's text changed in the middle.
  const { accessToken } = await platform.signIn(auditor);
  const exported = await exportLog(platform, accessToken, 'acme', 'test');
  const good = join(files, 'audit-acme-test.jsonl');
  writeFileSync(good, exported);
  const parts = splitExport(exported);
  const target = 1234;
  parts.entries[target] = (parts.entries[target] ?? '').replace('quarterly controls', 'quarterly c0ntrols');
  const tamperedBytes = joinExport(parts);
  const tampered = join(files, 'audit-acme-test-copy.jsonl');
  writeFileSync(tampered, tamperedBytes);
  const pinned = platform.ctx.auditKeys.verifierKeys.join('\n');

  // Keyboard to the export part: the tabs move with the arrow keys.
  await page.getByRole('tab', { name: 'Verify integrity' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Open export…' })).toBeFocused();
  const keys = page.getByLabel('Verifier keys (one per line)');
  await expect(keys).toHaveValue(platform.ctx.auditKeys.verifierKeys.join('\n'));

  // From here on there is no platform: the auditor is offline with the file and the key.
  await platform.stop();
  platformStopped = true;

  const fileInput = page.getByLabel('Audit export to verify');
  await fileInput.setInputFiles(good);
  await expect(page.getByText('Opened audit-acme-test.jsonl')).toBeVisible();
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  const verdict = page.getByRole('heading', { name: /^Verified: / });
  await expect(verdict).toBeVisible();
  await expect(verdict).toBeFocused();
  await expect(page.getByText(sha256(exported))).toBeVisible();
  await expect(page.getByText('No findings.')).toBeVisible();
  await page.screenshot({ path: info.outputPath('3-export-verified.png') });

  // The tampered copy, with the key pasted by hand as an auditor with only the pinned key would.
  await keys.fill(`# pinned from the platform's published keys\n${pinned}`);
  await fileInput.setInputFiles(tampered);
  await expect(page.getByText('Opened audit-acme-test-copy.jsonl')).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Verified: / })).toHaveCount(0);
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(page.getByRole('heading', { name: /^Tampered: / })).toBeVisible();
  const modified = page.getByRole('region', { name: /^Modified entries: / });
  const where = (await modified.locator('.findings__where').first().textContent()) ?? '';
  const [, from, to] = where.match(/^seq (\d+)(?:–(\d+))?$/) ?? [];
  expect(Number(from)).toBeLessThanOrEqual(target);
  expect(Number(to ?? from)).toBeGreaterThanOrEqual(target);
  await modified.scrollIntoViewIfNeeded();
  await page.screenshot({ path: info.outputPath('4-export-tampered.png') });

  const html = await saved(page, 'Save HTML report');
  expect(html.name).toBe('audit-acme-test-copy-verification.html');
  expect(html.text).toContain('Tampered: the file does not match the signed log');
  expect(html.text).toContain(sha256(tamperedBytes));
  expect(html.text).toContain(where);
  const json = await saved(page, 'Save JSON');
  expect(JSON.parse(json.text)).toMatchObject({
    fileName: 'audit-acme-test-copy.jsonl',
    fileSha256: sha256(tamperedBytes),
    report: { verdict: 'tampered' },
  });

  // The live log, offline: a clear banner, and the entries already loaded stay.
  await page.getByRole('tab', { name: 'Live log' }).click();
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Offline.' })).toBeVisible();
  await expect(grid.locator('[role="row"][data-seq]').first()).toBeVisible();
  await page.screenshot({ path: info.outputPath('5-live-log-offline.png') });
});
