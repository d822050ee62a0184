import { expect, test } from '@playwright/test';
import { scanForAxeViolations } from '../fixtures/ui/axe';
import { attachEvidence, raiseRequest, signInThroughPlatformPage } from '../fixtures/ui/console-journey';
import { startConsoleFor, type TestConsole } from '../helpers/console';
import { startPlatform, type TestPlatform } from '../helpers/platform';

// An axe scan of each screen a person meets on the way to a decision, in the real renderer: no serious
// or critical violation anywhere. Lesser findings are printed, not hidden.
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

test('sign-in, queue, request detail and decision dialog have no serious or critical axe violation', async ({
  page,
  context,
}) => {
  const admin = platform.user('acme', 'admin');
  const member = platform.user('acme', 'member');
  const viewer = platform.user('acme', 'viewer');
  await raiseRequest(platform, member, 'test', {
    kind: 'custom.vendor_payment',
    title: 'Pay Initech invoice 2291',
    payload: { vendor: 'Initech', lines: [{ sku: 'LIC-1', amount: '12,400.00' }] },
  });
  const red = await raiseRequest(platform, admin, 'test', {
    kind: 'audit.retention',
    title: 'Keep audit entries for ten years',
    payload: { days: 3650 },
  });
  await raiseRequest(platform, admin, 'test', {
    kind: 'member.role_change',
    title: 'Promote the viewer',
    payload: { userId: viewer.userId, role: 'member' },
  });
  await attachEvidence(platform, admin, 'test', red.id, 'board-minutes.txt', 'Board minutes, item 4.');

  await page.goto(console_.host.url);
  await expect(page.getByRole('button', { name: 'Sign in with browser' })).toBeVisible();
  await scanForAxeViolations(page, 'sign-in', { requirePasses: true });

  await signInThroughPlatformPage(
    page,
    context,
    console_,
    platform,
    platform.user('acme', 'compliance_officer'),
  );
  const grid = page.getByRole('grid', { name: 'Approval requests' });
  await expect(grid.getByRole('row')).toHaveCount(4);
  await grid.focus();
  await page.keyboard.press('j');
  await scanForAxeViolations(page, 'queue', { requirePasses: true });

  await grid.getByRole('row', { name: /Keep audit entries/ }).click();
  await expect(page.getByRole('table', { name: 'Evidence files' })).toContainText('board-minutes.txt');
  await scanForAxeViolations(page, 'detail', { requirePasses: true });

  await page.getByRole('button', { name: 'Approve…' }).click();
  await expect(page.getByRole('dialog', { name: 'Approve request' })).toBeVisible();
  await scanForAxeViolations(page, 'decision dialog', { requirePasses: true });
  await page.keyboard.press('Escape');

  // The empty state: a filter that matches nothing.
  await page.keyboard.press('Escape');
  await page.getByLabel('Lane').selectOption('green');
  await expect(page.getByText('No requests match these filters.')).toBeVisible();
  await scanForAxeViolations(page, 'empty queue', { requirePasses: true });
});
