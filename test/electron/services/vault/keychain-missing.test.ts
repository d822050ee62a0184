import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleProcess, noKeychainEnv, startConsoleProcess } from '../../../helpers/console-process';
import { signInThroughBrowser } from '../../../helpers/oauth';
import { rawSql, startPlatform, type TestPlatform } from '../../../helpers/platform';

/**
 * A console on a machine without a usable OS keychain (no Secret Service on its session bus): it says so
 * in plain words before anyone signs in, every call that needs the keychain answers with that, and a
 * browser sign-in it cannot keep is ended at the platform instead of being left behind.
 */
let platform: TestPlatform;
let console_: ConsoleProcess;

beforeAll(async () => {
  platform = await startPlatform();
  console_ = await startConsoleProcess({ env: noKeychainEnv });
}, 30_000);
afterAll(async () => {
  console_?.stop();
  await platform.stop();
});

async function activeFamilies(userId: string): Promise<number> {
  const [row] = await rawSql<{ n: number }>(
    platform,
    sql`SELECT count(*) AS n FROM token_families WHERE user_id = ${userId} AND revoked_at IS NULL`,
  );
  return Number(row?.n);
}

describe('without an OS keychain', () => {
  it('says what is missing and how to fix it', async () => {
    const reply = await console_.call('app.keychain', {});
    expect(reply.ok).toBe(true);
    expect(reply.value).toEqual({
      available: false,
      problem: expect.stringMatching(/no unlocked keychain/),
      fix: expect.stringMatching(/GNOME Keyring or KWallet/),
    });
  });

  it('answers calls that need the keychain with keychain-unavailable, not an internal error', async () => {
    const reply = await console_.call('profiles.list', {});
    expect(reply.ok).toBe(false);
    expect(reply.error?.code).toBe('keychain-unavailable');
    expect(reply.error?.message).toMatch(/keychain cannot be used/);
  });

  it('ends at the platform a browser sign-in whose tokens it cannot keep', async () => {
    const officer = platform.user('acme', 'compliance_officer');
    expect(await activeFamilies(officer.userId)).toBe(0);
    const begun = await console_.call('session.beginBrowserSignIn', { platformUrl: platform.url });
    expect(begun.ok, JSON.stringify(begun)).toBe(true);
    const { signInId, authorizationUrl } = begun.value as { signInId: string; authorizationUrl: string };
    const completing = console_.call('session.completeBrowserSignIn', { signInId });
    const page = await signInThroughBrowser(authorizationUrl, officer, platform.totp(officer));
    const done = await completing;
    // The browser tab is told too: the sign-in failed, and why.
    expect(page.status).toBe(400);
    expect(done.ok).toBe(false);
    expect(done.error?.code).toBe('keychain-unavailable');
    expect(page.text).toMatch(/keychain/);
    expect(await activeFamilies(officer.userId)).toBe(0);
    const [families] = await rawSql<{ n: number }>(
      platform,
      sql`SELECT count(*) AS n FROM token_families WHERE user_id = ${officer.userId}`,
    );
    expect(Number(families?.n)).toBe(1);
  });

  it('refuses an API-key sign-in it cannot keep, saying why', async () => {
    const owner = (await platform.signIn(platform.user('acme', 'owner'))).accessToken;
    const key = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
      token: owner,
      body: { name: 'auditor laptop', scopes: ['audit:read'] },
    });
    const reply = await console_.call('session.signInWithApiKey', {
      platformUrl: platform.url,
      apiKey: key.json.secret,
    });
    expect(reply.ok).toBe(false);
    expect(reply.error?.code).toBe('keychain-unavailable');
  });
});
