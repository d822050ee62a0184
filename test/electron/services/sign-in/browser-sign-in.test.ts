import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleServices } from '../../../../electron/services/console-services';
import { Vault } from '../../../../electron/services/vault/vault';
import { totpCode } from '../../../../platform/auth/totp';
import type { DemoUser } from '../../../../platform/seed/demo';
import { valueIn } from '../../../helpers/contract';
import { signInThroughBrowser } from '../../../helpers/oauth';
import { startPlatform, type TestPlatform } from '../../../helpers/platform';

const vault = new Vault(keytar, `cc-test-browser-sign-in-${process.pid}`);
let platform: TestPlatform;
let services: ReturnType<typeof createConsoleServices>;
const logged: string[] = [];

beforeAll(async () => {
  platform = await startPlatform();
  services = createConsoleServices({
    dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')),
    vault,
    log: (line) => logged.push(line),
    now: () => platform.clock.now(),
  });
});
afterAll(async () => {
  for (const profile of await vault.profiles()) await vault.deleteProfile(profile);
  await platform.stop();
});

/** A code for a user who has not signed in yet in this file: no need to move the platform's clock. */
const codeOf = (user: DemoUser) => totpCode(user.totpSeed, platform.clock.now());

describe('desktop sign-in through the browser (PKCE, loopback redirect)', () => {
  it('signs in, keeps the refresh token and a new device key in the keychain, and registers the public half', async () => {
    const officer = platform.user('acme', 'compliance_officer');
    const begun = valueIn(
      await services.dispatcher.dispatch('session.beginBrowserSignIn', { platformUrl: platform.url }),
    );
    expect(begun.opened).toBe(false);
    const authorizationUrl = new URL(begun.authorizationUrl);
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizationUrl.searchParams.get('redirect_uri')).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/callback$/,
    );
    expect(authorizationUrl.searchParams.has('code_verifier')).toBe(false);

    const completing = services.dispatcher.dispatch('session.completeBrowserSignIn', {
      signInId: begun.signInId,
    });
    const browser = await signInThroughBrowser(begun.authorizationUrl, officer, codeOf(officer));
    expect(browser.status).toBe(200);
    expect(browser.text).toContain('You are signed in');
    const signedIn = valueIn(await completing);
    expect(signedIn).toMatchObject({
      profile: { platformOrigin: platform.url, principalId: officer.userId },
      email: officer.email,
    });

    const refreshToken = await vault.get(signedIn.profile, 'refresh-token');
    expect(refreshToken).toMatch(/^rt_/);
    const deviceKey = JSON.parse((await vault.get(signedIn.profile, 'device-signing-key')) ?? '{}');
    expect(deviceKey.id).toBe(signedIn.deviceKeyId);
    const session = await platform.signIn(officer);
    const keys = await platform.call('GET', '/v1/me/device-keys', { token: session.accessToken });
    expect(keys.json.keys.map((k: { id: string }) => k.id)).toContain(signedIn.deviceKeyId);

    const tenants = valueIn(
      await services.dispatcher.dispatch('tenants.list', { profile: signedIn.profile }),
    );
    expect(tenants.tenants).toEqual([
      expect.objectContaining({
        organization: 'acme',
        role: 'compliance_officer',
        environments: ['test', 'live'],
      }),
    ]);
    expect(logged).toEqual([]);
  });

  it('refuses an answer with the wrong state and keeps waiting for the right one', async () => {
    const auditor = platform.user('acme', 'auditor');
    const begun = valueIn(
      await services.dispatcher.dispatch('session.beginBrowserSignIn', { platformUrl: platform.url }),
    );
    const redirectUri = new URL(begun.authorizationUrl).searchParams.get('redirect_uri') ?? '';
    const forged = await fetch(`${redirectUri}?code=forged&state=not-the-state`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('does not belong to the sign-in in progress');

    const completing = services.dispatcher.dispatch('session.completeBrowserSignIn', {
      signInId: begun.signInId,
    });
    const browser = await signInThroughBrowser(begun.authorizationUrl, auditor, codeOf(auditor));
    expect(browser.status).toBe(200);
    expect(valueIn(await completing).email).toBe(auditor.email);
  });

  it('fails cleanly when the platform answers with an error, and when the sign-in is cancelled', async () => {
    const begun = valueIn(
      await services.dispatcher.dispatch('session.beginBrowserSignIn', { platformUrl: platform.url }),
    );
    const params = new URL(begun.authorizationUrl).searchParams;
    const completing = services.dispatcher.dispatch('session.completeBrowserSignIn', {
      signInId: begun.signInId,
    });
    const denied = await fetch(
      `${params.get('redirect_uri')}?error=access_denied&state=${params.get('state')}`,
    );
    expect(denied.status).toBe(400);
    expect(await completing).toEqual({
      ok: false,
      error: { code: 'unauthenticated', message: 'The platform did not sign you in; start again.' },
    });

    const again = valueIn(
      await services.dispatcher.dispatch('session.beginBrowserSignIn', { platformUrl: platform.url }),
    );
    const waiting = services.dispatcher.dispatch('session.completeBrowserSignIn', {
      signInId: again.signInId,
    });
    expect(
      valueIn(
        await services.dispatcher.dispatch('session.cancelBrowserSignIn', { signInId: again.signInId }),
      ),
    ).toEqual({
      cancelled: true,
    });
    expect((await waiting).ok).toBe(false);
    const closed = await fetch(new URL(again.authorizationUrl).searchParams.get('redirect_uri') ?? '').catch(
      () => 'refused',
    );
    expect(closed).toBe('refused');
  });

  it('refuses a code whose state was right but whose exchange fails (a code replayed from elsewhere)', async () => {
    const member = platform.user('acme', 'member');
    const begun = valueIn(
      await services.dispatcher.dispatch('session.beginBrowserSignIn', { platformUrl: platform.url }),
    );
    const params = new URL(begun.authorizationUrl).searchParams;
    const completing = services.dispatcher.dispatch('session.completeBrowserSignIn', {
      signInId: begun.signInId,
    });
    const answer = await fetch(
      `${params.get('redirect_uri')}?code=not-a-real-code&state=${params.get('state')}&iss=${encodeURIComponent(platform.url)}`,
    );
    expect(answer.status).toBe(400);
    const reply = await completing;
    expect(reply).toEqual({
      ok: false,
      error: { code: 'unauthenticated', message: 'The platform did not complete the sign-in; start again.' },
    });
    expect(await vault.profiles()).not.toContainEqual(
      expect.objectContaining({ principalId: member.userId }),
    );
  });

  it('answers an unreachable platform and a plain-HTTP remote platform with clear errors', async () => {
    expect(
      await services.dispatcher.dispatch('session.beginBrowserSignIn', { platformUrl: 'http://127.0.0.1:1' }),
    ).toEqual({
      ok: false,
      error: {
        code: 'unavailable',
        message: 'The platform cannot be reached. Check the address and your connection.',
      },
    });
    const plain = await services.dispatcher.dispatch('session.beginBrowserSignIn', {
      platformUrl: 'http://compliance.example.com',
    });
    expect(plain).toEqual({
      ok: false,
      error: { code: 'bad-request', message: 'The platform must be reached over HTTPS.' },
    });
  });

  it('signs a profile out on the platform too: the refresh token stops working and the keychain is emptied', async () => {
    const viewer = platform.user('acme', 'viewer');
    const begun = valueIn(
      await services.dispatcher.dispatch('session.beginBrowserSignIn', { platformUrl: platform.url }),
    );
    const completing = services.dispatcher.dispatch('session.completeBrowserSignIn', {
      signInId: begun.signInId,
    });
    await signInThroughBrowser(begun.authorizationUrl, viewer, codeOf(viewer));
    const { profile } = valueIn(await completing);
    const refreshToken = (await vault.get(profile, 'refresh-token')) ?? '';
    expect(valueIn(await services.dispatcher.dispatch('session.signOut', { profile }))).toEqual({
      secretsRemoved: 2,
    });
    expect(await vault.get(profile, 'refresh-token')).toBeUndefined();
    const refused = await platform.call('POST', '/v1/auth/refresh', { body: { refreshToken } });
    expect(refused.status).toBe(401);
  });
});
