import { expect, type Page, test } from '@playwright/test';
import { Secret } from 'otpauth';
import { totpCode } from '../../platform/auth/totp';
import { scanForAxeViolations } from '../fixtures/ui/axe';
import { signInThroughPlatformPage } from '../fixtures/ui/console-journey';
import { startConsoleFor, type TestConsole } from '../helpers/console';
import { approveBy } from '../helpers/lifecycle';
import { invitationLinkFor } from '../helpers/mail';
import { startPlatform, type TestPlatform } from '../helpers/platform';

// An admin invites a person, who enrolls on the platform's own page and signs in to the console. Real
// platform (default policy), real console services behind the headless host, real Chromium.
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

const nav = (page: Page) => page.getByRole('navigation', { name: 'Console sections' });

test('an admin invites a person, who enrolls on the platform’s page (password and authenticator) and signs in', async ({
  page,
  context,
}, info) => {
  test.setTimeout(180_000);
  // Tall enough for the Members screen's sections in one screenshot (the console scrolls its main area).
  await page.setViewportSize({ width: 1280, height: 1500 });
  const admin = platform.user('acme', 'admin');
  await signInThroughPlatformPage(page, context, console_, platform, admin);
  await nav(page).getByRole('button', { name: 'Members & roles' }).click();
  await expect(page.getByRole('heading', { name: 'Members & roles', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Pending invitations' })).toBeVisible();
  await expect(page.getByText('No invitation is waiting to be accepted.')).toBeVisible();
  await scanForAxeViolations(page, 'members screen with lifecycle', { requirePasses: true });
  await page.screenshot({ path: info.outputPath('1-members.png'), fullPage: true });

  // The invitation is a request: the dialog asks who, as what, and why.
  await page.getByRole('button', { name: 'Invite a person…' }).click();
  const invite = page.getByRole('dialog', { name: 'Invite a person' });
  await expect(invite.getByLabel('E-mail address')).toBeFocused();
  await invite.getByLabel('E-mail address').fill('dana.new@example.test');
  await invite.getByLabel('Name').fill('Dana Newcomer');
  await invite.getByLabel('Role').selectOption('member');
  await invite.getByRole('button', { name: 'Request the invitation' }).click();
  await expect(invite.getByRole('alert')).toContainText('Say why');
  await invite.getByLabel('Reason').fill('Joins the finance team on Monday.');
  await scanForAxeViolations(page, 'invite dialog');
  await invite.screenshot({ path: info.outputPath('2-invite-dialog.png') });
  await invite.getByRole('button', { name: 'Request the invitation' }).click();
  await expect(invite).toBeHidden();
  await expect(page.getByText('Approval requested.')).toBeVisible();
  await expect(page.getByText('Invite Dana Newcomer as Member needs an approval first')).toBeVisible();
  await page.screenshot({ path: info.outputPath('3-invitation-requested.png') });

  // A compliance officer approves it (their own console is another journey's; here, the API).
  const officer = await platform.signIn(platform.user('acme', 'compliance_officer'));
  const pending = await platform.call('GET', '/v1/orgs/acme/envs/test/approvals?kind=member.invite', {
    token: officer.accessToken,
  });
  const request = pending.json.requests[0];
  expect(request.title).toBe('Invite Dana Newcomer as Member');
  await approveBy(platform, 'acme', 'test', request, ['compliance_officer']);

  // The link goes by mail to the invited address, never to the admin: Approvals says where it went, and
  // offers nothing to collect.
  await nav(page).getByRole('button', { name: 'Approvals' }).click();
  await page.getByLabel('Status').selectOption('all');
  await page
    .getByRole('grid', { name: 'Approval requests' })
    .getByRole('row', { name: /Invite Dana Newcomer/ })
    .click();
  await expect(page.getByText(/dana\.new@example\.test/).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Collect the new secret…' })).toHaveCount(0);
  await page.screenshot({ path: info.outputPath('4-invitation-mailed.png') });
  const link = await invitationLinkFor(platform, 'dana.new@example.test');
  expect(link).toMatch(/\/enroll\?token=inv_[a-z2-7]{26}\./);
  expect(console_.logLines.join('\n')).not.toContain(link.split('.').pop() as string);

  // The invitee opens the link in their browser and enrolls.
  const invitee = await context.newPage();
  await invitee.goto(link);
  await expect(invitee.getByRole('heading', { name: 'Join Acme Corporation' })).toBeVisible();
  await expect(invitee.getByRole('img', { name: /QR code/ })).toBeVisible();
  const secretText = (await invitee.getByLabel('Authenticator secret').textContent()) ?? '';
  const seed = Secret.fromBase32(secretText.replaceAll(' ', '')).bytes;
  await scanForAxeViolations(invitee, 'enrollment page', { requirePasses: true });
  await invitee.screenshot({ path: info.outputPath('5-enrollment-page.png'), fullPage: true });
  const password = 'a long passphrase for dana';
  await invitee.getByLabel('Password (at least 12 characters)').fill(password);
  await invitee.getByLabel('The same password again').fill(password);
  platform.clock.advance(30_000);
  await invitee.getByLabel('The 6-digit code the app shows now').fill(totpCode(seed, platform.clock.now()));
  await invitee.getByRole('button', { name: 'Create my account' }).click();
  await expect(invitee.getByRole('heading', { name: 'You have joined Acme Corporation' })).toBeVisible();
  await invitee.screenshot({ path: info.outputPath('6-enrolled.png') });
  // The link is spent.
  await invitee.goto(link);
  await expect(
    invitee.getByRole('heading', { name: 'This enrollment link has already been used' }),
  ).toBeVisible();
  await invitee.close();

  // The admin's pending list is empty again; the new member is listed, never signed in yet.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto(console_.host.url);
  await expect(page.getByLabel('Platform address')).toHaveValue(platform.url);
  await page.getByRole('button', { name: 'Sign in with browser' }).click();
  const [browser] = await Promise.all([
    context.waitForEvent('page'),
    page.getByRole('link', { name: "Open the platform's sign-in page" }).click(),
  ]);
  await browser.getByLabel('E-mail address').fill('dana.new@example.test');
  await browser.getByLabel('Password').fill(password);
  platform.clock.advance(30_000);
  await browser.getByLabel('One-time code').fill(totpCode(seed, platform.clock.now()));
  await browser.getByRole('button', { name: 'Sign in' }).click();
  await expect(browser.getByRole('heading', { name: 'Signed in' })).toBeVisible();
  await browser.close();
  await expect(page.getByRole('banner').getByRole('button', { name: 'Dana Newcomer' })).toBeVisible();
  await nav(page).getByRole('button', { name: 'Members & roles' }).click();
  const row = page.getByRole('row', { name: /Dana Newcomer/ });
  await expect(row).toContainText('Member');
  await expect(row).toContainText('Active');
  await page.screenshot({ path: info.outputPath('7-new-member-signed-in.png'), fullPage: true });
});

test('a member asks for a role for a while; once approved the admin sees who holds it until when, ends it early, and suspends someone through a request', async ({
  page,
  context,
}, info) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 1500 });
  const member = platform.user('acme', 'member');
  await signInThroughPlatformPage(page, context, console_, platform, member);
  await nav(page).getByRole('button', { name: 'Members & roles' }).click();
  // A member may not manage members: no invite, suspend or remove; they may ask for an elevation.
  await expect(page.getByRole('button', { name: 'Invite a person…' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Suspend…/ })).toHaveCount(0);
  await page.getByRole('button', { name: 'Ask for a role for a while…' }).click();
  const ask = page.getByRole('dialog', { name: 'Ask for a role for a while' });
  await expect(ask.getByLabel('Role')).toHaveValue('compliance_officer');
  await expect(ask).toContainText('at most 8 hours');
  await ask.getByLabel('For').selectOption({ label: '2 hours' });
  await ask.getByLabel('Reason').fill('Cover the evidence backlog this afternoon.');
  await scanForAxeViolations(page, 'elevation dialog');
  await ask.screenshot({ path: info.outputPath('8-ask-elevation.png') });
  await ask.getByRole('button', { name: 'Request the elevation' }).click();
  await expect(page.getByText('Approval requested.')).toBeVisible();
  await expect(page.locator('.ask-notice')).toBeFocused();

  const raised = await platform.call('GET', '/v1/orgs/acme/envs/test/approvals?kind=member.elevate', {
    token: (await platform.signIn(platform.user('acme', 'admin'))).accessToken,
  });
  await approveBy(platform, 'acme', 'test', raised.json.requests[0], ['admin']);

  // The admin's Members screen: who holds an elevated role, until when; End now lowers it at once.
  await page.getByRole('button', { name: 'Sign out' }).click();
  const admin = platform.user('acme', 'admin');
  await signInThroughPlatformPage(page, context, console_, platform, admin);
  await nav(page).getByRole('button', { name: 'Members & roles' }).click();
  const elevated = page.getByRole('table', { name: 'Time-limited roles in force' });
  await expect(elevated.getByRole('row', { name: /Marcus Okafor/ })).toContainText('Compliance officer');
  await expect(elevated).toContainText('Cover the evidence backlog this afternoon.');
  await expect(page.getByRole('row', { name: /Marcus Okafor/ }).first()).toContainText(
    /Compliance officer until/,
  );
  await scanForAxeViolations(page, 'members screen with an elevation', { requirePasses: true });
  await page.screenshot({ path: info.outputPath('9-elevated-now.png') });
  await elevated.getByRole('button', { name: /End now/ }).click();
  await expect(page.getByText('No one holds an elevated role now.')).toBeVisible();
  const { accessToken } = await platform.signIn(admin);
  const ended = await platform.call(
    'GET',
    '/v1/orgs/acme/envs/live/audit/entries?action=member.elevation_end',
    {
      token: accessToken,
    },
  );
  expect(ended.json.entries[0].change.after).toMatchObject({ role: 'member', reason: 'ended-early' });

  // Suspending the viewer is a request; once approved, the row says so.
  await page.getByRole('button', { name: 'Suspend… Tom Alvarez' }).click();
  const suspend = page.getByRole('dialog', { name: 'Suspend a member' });
  await suspend.getByLabel('Reason').fill('On leave until the 15th.');
  await suspend.getByRole('button', { name: 'Request the suspension' }).click();
  await expect(page.getByText('Suspend Tom Alvarez needs an approval first')).toBeVisible();
  const pending = await platform.call('GET', '/v1/orgs/acme/envs/test/approvals?kind=member.suspend', {
    token: accessToken,
  });
  await approveBy(platform, 'acme', 'test', pending.json.requests[0], ['compliance_officer']);
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByRole('row', { name: /Tom Alvarez/ })).toContainText('Suspended');
  await expect(page.getByRole('button', { name: 'Resume… Tom Alvarez' })).toBeVisible();
  await page.screenshot({ path: info.outputPath('10-suspended.png') });
});
