import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { attachEvidence, raiseRequest, signInThroughPlatformPage } from '../fixtures/ui/console-journey';
import { buildRenderer, startConsole, type TestConsole } from '../helpers/console';
import { startPlatform, type TestPlatform } from '../helpers/platform';

// An axe scan of each screen a person meets on the way to a decision, in the real renderer: no serious
// or critical violation anywhere. Lesser findings are printed, not hidden.
let platform: TestPlatform;
let console_: TestConsole;

test.beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
  console_ = await startConsole({
    rendererDir: await buildRenderer(),
    platformUrl: platform.url,
    now: () => platform.clock.now(),
  });
});
test.afterAll(async () => {
  await console_.close();
  await platform.stop();
});

async function scan(page: Page, screen: string) {
  const { violations, passes } = await new AxeBuilder({ page }).analyze();
  expect(passes.length, `${screen}: axe ran its checks`).toBeGreaterThan(10);
  for (const v of violations)
    test
      .info()
      .annotations.push({ type: `axe ${screen}`, description: `${v.impact}: ${v.id} (${v.nodes.length})` });
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  expect(serious, `${screen}: serious or critical axe violations`).toEqual([]);
}

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
  await scan(page, 'sign-in');

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
  await scan(page, 'queue');

  await grid.getByRole('row', { name: /Keep audit entries/ }).click();
  await expect(page.getByRole('table', { name: 'Evidence files' })).toContainText('board-minutes.txt');
  await scan(page, 'detail');

  await page.getByRole('button', { name: 'Approve…' }).click();
  await expect(page.getByRole('dialog', { name: 'Approve request' })).toBeVisible();
  await scan(page, 'decision dialog');
  await page.keyboard.press('Escape');

  // The empty state: a filter that matches nothing.
  await page.keyboard.press('Escape');
  await page.getByLabel('Lane').selectOption('green');
  await expect(page.getByText('No requests match these filters.')).toBeVisible();
  await scan(page, 'empty queue');
});
