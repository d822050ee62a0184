import { expect, type Page, test } from '@playwright/test';
import { scanForAxeViolations } from '../fixtures/ui/axe';
import { signInThroughPlatformPage } from '../fixtures/ui/console-journey';
import { paintedScreenshot } from '../fixtures/ui/screenshot';
import { decide, registerDevice } from '../helpers/approvals';
import { buildRenderer, startConsole, type TestConsole } from '../helpers/console';
import { startPlatform, type TestPlatform } from '../helpers/platform';

// The approval policy in the real console (headless host, real main-process services, real keychain)
// against a real platform with its default policy: an admin proposes a change, sees what it changes and
// sends it; two other people approve it and it is in force. A weakening is refused where it is typed, in
// the platform's words, and nothing typed is lost. Axe scans every state.
let platform: TestPlatform;
let adminConsole: TestConsole;
let officerConsole: TestConsole;

test.beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
  const rendererDir = await buildRenderer();
  const options = { rendererDir, platformUrl: platform.url, now: () => platform.clock.now() };
  adminConsole = await startConsole(options);
  officerConsole = await startConsole(options);
});
test.afterAll(async () => {
  await adminConsole.close();
  await officerConsole.close();
  await platform.stop();
});

async function openPolicy(page: Page) {
  await page
    .getByRole('navigation', { name: 'Console sections' })
    .getByRole('button', { name: 'Policy' })
    .click();
  await expect(page.getByRole('heading', { name: 'Approval policy', level: 1 })).toBeVisible();
}

const facts = (page: Page) => page.getByRole('region', { name: 'Approvals and expiry' });

/** Two people other than the proposer approve a pending request through the platform's API. */
async function approveByOwnerAndOfficer(requestId: string) {
  const path = '/v1/orgs/acme/envs/test/approvals';
  const owner = platform.user('acme', 'owner');
  const request = (
    await platform.call('GET', `${path}/${requestId}`, { token: (await platform.signIn(owner)).accessToken })
  ).json;
  for (const approver of [owner, platform.user('acme', 'compliance_officer')]) {
    const token = (await platform.signIn(approver)).accessToken;
    const device = await registerDevice(platform, token);
    const reply = await decide(platform, token, device, path, request, 'approve', { totpOf: approver });
    expect(reply.status, reply.text).toBe(200);
  }
}

test('an admin proposes N=3 and sees the diff; two others approve it and the Policy screen shows N=3', async ({
  page,
  context,
}, info) => {
  test.setTimeout(120_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await signInThroughPlatformPage(page, context, adminConsole, platform, platform.user('acme', 'admin'));
  await openPolicy(page);
  await expect(facts(page)).toContainText('Red-lane approvals (N)2');
  const lanes = page.getByRole('table', { name: 'Lane of each request kind in each environment' });
  await expect(lanes.getByRole('row', { name: /Policy change/ })).toContainText(
    'Always red in both environments',
  );
  await expect(page.getByText('No policy change is waiting for approval.')).toBeVisible();
  await paintedScreenshot(page, info.outputPath('1-policy-screen.png'));
  await scanForAxeViolations(page, 'policy screen', { requirePasses: true });

  // The editor: N first, the diff as it is typed, then the request's words.
  await page.getByRole('button', { name: 'Propose change…' }).click();
  const editor = page.getByRole('dialog', { name: 'Propose a policy change' });
  const n = editor.getByLabel('Red-lane approvals (N)');
  await expect(n).toBeFocused();
  await expect(editor.getByText('Nothing changes yet.')).toBeVisible();
  await paintedScreenshot(page, info.outputPath('2a-editor-opened.png'));
  await n.fill('3');
  const diff = editor.getByRole('table', { name: 'The proposed change, setting by setting' });
  await expect(diff.getByRole('row', { name: /Red-lane approvals/ })).toHaveText(
    /Red-lane approvals \(N\)\s*2\s*3\s*Stricter/,
  );
  await editor.getByLabel('Title').fill('Three approvals in the red lane');
  await editor
    .getByLabel('Justification (required)')
    .fill('Audit finding 7: red-lane changes need a third pair of eyes.');
  await paintedScreenshot(page, info.outputPath('2-editor-with-diff.png'));
  await scanForAxeViolations(page, 'policy editor');
  await editor.getByRole('button', { name: 'Send for approval' }).click();
  await expect(editor).toBeHidden();
  await expect(page.getByRole('button', { name: 'Propose change…' })).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: 'Policy change requested' })).toContainText(
    '“Three approvals in the red lane” now waits for 2 approvals',
  );

  // Pending, with its diff and the way to its approvals.
  const pending = page.getByRole('article', { name: 'Three approvals in the red lane' });
  await expect(pending).toContainText('0 of 2 approvals');
  await expect(pending.getByRole('table')).toContainText('Stricter');
  await pending.scrollIntoViewIfNeeded();
  await paintedScreenshot(page, info.outputPath('3-pending-change.png'));
  await scanForAxeViolations(page, 'policy screen with a pending change');
  await pending.getByRole('button', { name: /^Open in Approvals/ }).click();
  await expect(page.getByRole('button', { name: 'Approvals' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { name: 'Three approvals in the red lane' })).toBeFocused();
  const { accessToken } = await platform.signIn(platform.user('acme', 'owner'));
  const listed = await platform.call('GET', '/v1/orgs/acme/envs/test/approvals?kind=policy.update', {
    token: accessToken,
  });
  expect(listed.json.requests).toHaveLength(1);

  await approveByOwnerAndOfficer(listed.json.requests[0].id);
  await openPolicy(page);
  await expect(facts(page)).toContainText('Red-lane approvals (N)3');
  await expect(page.getByText('No policy change is waiting for approval.')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Lanes' })).toContainText('needs 3 approvals');
  await paintedScreenshot(page, info.outputPath('4-policy-in-force.png'));
  expect(problems).toEqual([]);
});

test('a weakening is refused where it is typed, in the platform’s words, and nothing typed is lost', async ({
  page,
  context,
}, info) => {
  test.setTimeout(120_000);
  await signInThroughPlatformPage(page, context, adminConsole, platform, platform.user('acme', 'admin'));
  await openPolicy(page);
  await page.getByRole('button', { name: 'Propose change…' }).click();
  const editor = page.getByRole('dialog', { name: 'Propose a policy change' });

  // N=1: said at once, beside the field.
  const n = editor.getByLabel('Red-lane approvals (N)');
  await n.fill('1');
  const nRule = 'The red lane needs at least 2 approvals, so no one acts alone.';
  await expect(n).toHaveAttribute('aria-invalid', 'true');
  await expect(n).toHaveAccessibleDescription(nRule);

  // Live below test: said on the kind's row.
  const live = editor.getByLabel('Live lane of Evidence: delete');
  await live.selectOption('green');
  const laneRule = 'The live lane of evidence.delete may not rank below its test lane.';
  await expect(live).toHaveAccessibleDescription(laneRule);
  const laneTable = editor.getByRole('table', { name: 'Lanes to propose' });
  await expect(laneTable.getByRole('row', { name: /Evidence: delete/ })).toContainText(laneRule);
  const diff = editor.getByRole('table', { name: 'The proposed change, setting by setting' });
  await expect(diff.getByRole('row', { name: /Evidence: delete — Live lane/ })).toContainText('Looser');
  await expect(diff.getByRole('row', { name: /Red-lane approvals/ })).toContainText('Looser');
  await editor.getByLabel('Justification (required)').fill('Speed up evidence clean-up.');
  await editor.getByRole('button', { name: 'Send for approval' }).click();

  // Not sent: the summary lists both, the focus goes to the first, everything typed is still there.
  const alert = editor.getByRole('alert');
  await expect(alert).toContainText('This change cannot be sent yet.');
  await expect(alert).toContainText(nRule);
  await expect(alert).toContainText(laneRule);
  await expect(n).toBeFocused();
  await expect(n).toHaveValue('1');
  await expect(live).toHaveValue('green');
  await expect(editor.getByLabel('Justification (required)')).toHaveValue('Speed up evidence clean-up.');
  await paintedScreenshot(page, info.outputPath('1-weakening-refused.png'));
  await scanForAxeViolations(page, 'policy editor with refusals');

  // Escape closes the editor; the draft waits.
  await page.keyboard.press('Escape');
  await expect(editor).toBeHidden();
  await expect(page.getByRole('button', { name: 'Continue your change…' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(n).toHaveValue('1');
  await expect(live).toHaveValue('green');
  await expect(editor.getByLabel('Justification (required)')).toHaveValue('Speed up evidence clean-up.');

  // Nothing reached the platform.
  await page.keyboard.press('Escape');
  await expect(page.getByText('No policy change is waiting for approval.')).toBeVisible();
  const { accessToken } = await platform.signIn(platform.user('acme', 'owner'));
  const listed = await platform.call('GET', '/v1/orgs/acme/envs/test/approvals?kind=policy.update', {
    token: accessToken,
  });
  expect(listed.json.requests).toEqual([]);
  await paintedScreenshot(page, info.outputPath('2-draft-kept.png'));
});

test('people without policy:manage read the policy and its pending changes, and cannot propose', async ({
  browser,
}, info) => {
  test.setTimeout(120_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  const { accessToken } = await platform.signIn(platform.user('acme', 'owner'));
  const raised = await platform.call('POST', '/v1/orgs/acme/envs/live/approvals', {
    token: accessToken,
    body: {
      kind: 'policy.update',
      title: 'Role changes red in test too',
      summary: 'Same care in both environments.',
      payload: { lanes: { 'member.role_change': { test: 'red', live: 'red' } }, expiryDays: 5 },
    },
  });
  expect(raised.status, raised.text).toBe(201);
  await signInThroughPlatformPage(
    page,
    context,
    officerConsole,
    platform,
    platform.user('acme', 'compliance_officer'),
  );
  await openPolicy(page);
  await expect(
    page.getByText(/^Read-only: proposing a change needs the policy:manage permission/),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Propose change…' })).toHaveCount(0);
  const pending = page.getByRole('article', { name: 'Role changes red in test too' });
  await expect(pending).toContainText('live');
  await expect(pending.getByRole('row', { name: /Member role change — Test lane/ })).toContainText(
    'Stricter',
  );
  await expect(pending.getByRole('row', { name: /Requests expire after/ })).toContainText('7 days');
  await pending.scrollIntoViewIfNeeded();
  await paintedScreenshot(page, info.outputPath('1-read-only-with-pending.png'));
  await scanForAxeViolations(page, 'policy screen, read-only');
  await context.close();
});
