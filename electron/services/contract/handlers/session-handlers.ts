import { apiKeysApi } from '../../../../shared/api/routes';
import type { sessionCalls } from '../../../../shared/contract/calls/session';
import { ok } from '../../../../shared/result';
import { PlatformClient } from '../../platform/platform-client';
import { keyTokens, revokeAtPlatform } from '../../profiles/profile-sessions';
import type { HandlersOf } from '../dispatcher';
import type { HandlerServices } from './services';

export function sessionHandlers(services: HandlerServices): HandlersOf<typeof sessionCalls> {
  const { vault, profiles, browserSignIn } = services;
  return {
    'session.beginBrowserSignIn': ({ platformUrl }) => browserSignIn.begin(platformUrl),
    'session.completeBrowserSignIn': ({ signInId }) => browserSignIn.complete(signInId),
    'session.cancelBrowserSignIn': async ({ signInId }) => ok({ cancelled: browserSignIn.cancel(signInId) }),
    'session.signInWithApiKey': async ({ platformUrl, apiKey }) => {
      // Any address the page gives: until it answers as a platform, it is treated as unproven.
      const client = PlatformClient.create(platformUrl, keyTokens(apiKey), { unverifiedOrigin: true });
      if (!client.ok) return client;
      const self = await client.value.call(apiKeysApi.self, {});
      if (!self.ok) return self;
      const profile = { platformOrigin: client.value.origin, principalId: self.value.id };
      const remembered = await profiles.rememberApiKey(profile, apiKey);
      if (!remembered.ok) return remembered;
      return ok({
        profile,
        organization: self.value.organization,
        environment: self.value.environment,
        scopes: self.value.scopes,
      });
    },
    'profiles.list': async () => ok({ profiles: await vault.profiles() }),
    'session.signOut': async ({ profile }) => {
      // The platform ends the session first, so a copy of the refresh token is worthless too; a platform
      // that cannot be reached does not keep the secrets on this machine.
      const refreshToken = await vault.get(profile, 'refresh-token');
      if (refreshToken) await revokeAtPlatform(profile.platformOrigin, refreshToken);
      profiles.forget(profile);
      // Crypto-shredding: the data keys go first (the blobs are unreadable at once), then the blobs and
      // the master keys in the keychain.
      await services.cache.shredProfile(profile);
      return ok({ secretsRemoved: await vault.deleteProfile(profile) });
    },
  };
}
