import { expect, test } from '@playwright/test';
import { scanForAxeViolations } from '../fixtures/ui/axe';
import { buildRenderer } from '../helpers/console';
import { type ConsoleProcess, noKeychainEnv, startConsoleProcess } from '../helpers/console-process';

// A newcomer on a Linux machine with no Secret Service: the first screen says what is missing and how to
// fix it, and offers no sign-in that could not be kept.
let console_: ConsoleProcess;

test.beforeAll(async () => {
  console_ = await startConsoleProcess({ env: noKeychainEnv, rendererDir: await buildRenderer() });
});
test.afterAll(() => console_?.stop());

test('without an OS keychain the first screen says what is missing and how to fix it', async ({
  page,
}, info) => {
  await page.goto(console_.url);
  const heading = page.getByRole('heading', { name: 'The console needs the OS keychain' });
  await expect(heading).toBeVisible();
  await expect(heading).toBeFocused();
  await expect(page.getByText(/no unlocked keychain the console can use/)).toBeVisible();
  await expect(page.getByText(/GNOME Keyring or KWallet/)).toBeVisible();
  await expect(page.getByRole('button', { name: /Sign in with browser/ })).toHaveCount(0);
  await expect(page.getByText('Something went wrong in the console.')).toHaveCount(0);
  await page.screenshot({ path: info.outputPath('no-keychain.png') });

  await page.getByRole('button', { name: 'Check again' }).click();
  await expect(page.getByRole('status')).toHaveText(/Still no keychain/);
  await scanForAxeViolations(page, 'no-keychain start screen', { requirePasses: true });
});
