import { ok } from '../../../shared/result';
import type { Vault } from '../vault/vault';
import type { Handlers } from './dispatcher';

/** The contract's handlers over the main process's services. */
export function createHandlers(services: { vault: Vault }): Handlers {
  return {
    'profiles.list': async () => ok({ profiles: await services.vault.profiles() }),
    'session.signOut': async ({ profile }) =>
      ok({ secretsRemoved: await services.vault.deleteProfile(profile) }),
  };
}
