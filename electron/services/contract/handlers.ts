import { ApiKeySelf } from '../../../shared/api/api-keys';
import { fail, ok } from '../../../shared/result';
import { PlatformClient, type TokenSource } from '../platform/platform-client';
import type { Vault } from '../vault/vault';
import type { Handlers } from './dispatcher';

/** An API key as a token source: it cannot renew itself. */
function keyTokens(apiKey: string): TokenSource {
  return {
    token: async () => ok(apiKey),
    renew: async () => fail('unauthenticated', 'The API key is not valid.'),
  };
}

/** The contract's handlers over the main process's services. */
export function createHandlers(services: { vault: Vault }): Handlers {
  return {
    'session.signInWithApiKey': async ({ platformUrl, apiKey }) => {
      const client = PlatformClient.create(platformUrl, keyTokens(apiKey));
      if (!client.ok) return client;
      const self = await client.value.request('GET', '/v1/api-keys/self', ApiKeySelf);
      if (!self.ok) return self;
      const profile = { platformOrigin: client.value.origin, principalId: self.value.id };
      await services.vault.put(profile, 'api-key', apiKey);
      return ok({
        profile,
        organization: self.value.organization,
        environment: self.value.environment,
        scopes: self.value.scopes,
      });
    },
    'profiles.list': async () => ok({ profiles: await services.vault.profiles() }),
    'session.signOut': async ({ profile }) =>
      ok({ secretsRemoved: await services.vault.deleteProfile(profile) }),
  };
}
