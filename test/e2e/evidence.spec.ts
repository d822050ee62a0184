import { expect, test } from '@playwright/test';
import { onePagePdf, solidPng } from '../fixtures/evidence/files';
import { scanForAxeViolations } from '../fixtures/ui/axe';
import { raiseRequest, signInThroughPlatformPage } from '../fixtures/ui/console-journey';
import { startConsoleFor, type TestConsole } from '../helpers/console';
import { startPlatform, type TestPlatform } from '../helpers/platform';

// An officer opens a request's evidence (image, PDF, JSON) through the encrypted cache, then the platform
// goes away: the console says Offline, and what was opened still opens.
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

async function attach(requestId: string, name: string, bytes: Buffer) {
  const { accessToken } = await platform.signIn(platform.user('acme', 'member'));
  const response = await fetch(
    `${platform.url}/v1/orgs/acme/envs/test/evidence?${new URLSearchParams({ name, requestId })}`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(bytes),
    },
  );
  if (response.status !== 201) throw new Error(`upload failed: ${await response.text()}`);
}

test('evidence opens from the encrypted cache, shown by type, and stays readable offline', async ({
  page,
  context,
}, info) => {
  const member = platform.user('acme', 'member');
  const request = await raiseRequest(platform, member, 'test', {
    kind: 'custom.vendor_onboarding',
    title: 'Onboard the payroll vendor',
    payload: { vendor: 'Payroll Ltd' },
  });
  await attach(request.id, 'badge-photo.png', solidPng(64, 40, [200, 30, 30]));
  await attach(request.id, 'soc2-report.pdf', onePagePdf('SOC 2 Type II report, 2026'));
  await attach(
    request.id,
    'scan.json',
    Buffer.from('{"critical":0,"high":1,"findings":["TLS 1.0 on legacy host"]}'),
  );

  const officer = platform.user('acme', 'compliance_officer');
  await signInThroughPlatformPage(page, context, console_, platform, officer);
  await page.getByRole('gridcell', { name: 'Onboard the payroll vendor' }).click();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Evidence (3)' })).toBeVisible();

  await page.getByRole('button', { name: 'Open badge-photo.png' }).click();
  const viewer = page.getByRole('dialog', { name: 'badge-photo.png' });
  await expect(viewer.getByRole('img', { name: 'badge-photo.png' })).toBeVisible();
  await expect(
    viewer.getByText('Downloaded from the platform and kept in the encrypted cache.'),
  ).toBeVisible();
  await viewer.getByRole('button', { name: 'Close' }).click();

  await page.getByRole('button', { name: 'Open soc2-report.pdf' }).click();
  const pdf = page.getByRole('dialog', { name: 'soc2-report.pdf' });
  await expect(pdf.getByRole('img', { name: 'soc2-report.pdf, page 1 of 1' })).toBeVisible();
  await page.screenshot({ path: info.outputPath('evidence-pdf.png') });
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Open scan.json' }).click();
  const json = page.getByRole('dialog', { name: 'scan.json' });
  await expect(json.getByRole('region', { name: 'Contents of scan.json' })).toContainText(
    '"TLS 1.0 on legacy host"',
  );
  await json.getByRole('button', { name: 'Close' }).click();

  // The platform goes away. The next call that needs it turns the indicator on; the cache still answers.
  await platform.stop();
  await page.getByRole('button', { name: 'Open badge-photo.png' }).click();
  const offline = page.getByRole('dialog', { name: 'badge-photo.png' });
  await expect(
    offline.getByText('Opened from the encrypted cache on this computer (available offline).'),
  ).toBeVisible();
  await offline.getByRole('button', { name: 'Close' }).click();
  // Back to the queue: asking the platform for another filter finds it gone.
  await page.keyboard.press('Escape');
  await page.getByLabel('Status').selectOption('all');
  await expect(page.getByRole('status').filter({ hasText: 'Offline' })).toBeVisible();
  // The evidence on this computer is still browsable and readable.
  await page.getByRole('button', { name: 'Evidence', exact: true }).click();
  await page.getByLabel('Search by name or type').fill('pdf');
  await page.getByRole('button', { name: 'Open soc2-report.pdf' }).click();
  await expect(page.getByRole('img', { name: 'soc2-report.pdf, page 1 of 1' })).toBeVisible();
  await page.screenshot({ path: info.outputPath('evidence-offline.png') });
  await page.keyboard.press('Escape');
  await scanForAxeViolations(page, 'evidence on this computer, offline');
});
