import { apiKeysApi, authApi } from '../../../../shared/api/routes';
import type { Tenant, tenantCalls } from '../../../../shared/contract/calls/tenants';
import { fail, ok } from '../../../../shared/result';
import { PlatformClient } from '../../platform/platform-client';
import type { HandlersOf } from '../dispatcher';
import type { HandlerServices } from './services';

export function tenantHandlers({ profiles, cache }: HandlerServices): HandlersOf<typeof tenantCalls> {
  /** What the platform no longer lets this profile use is shredded from the cache (tenant removal). */
  const keepOnly = async (profile: Parameters<typeof cache.shredTenantsNotIn>[0], tenants: Tenant[]) => {
    await cache.shredTenantsNotIn(
      profile,
      tenants.flatMap((t) =>
        t.environments.map((environment) => ({ organization: t.organization, environment })),
      ),
    );
    return ok({ tenants });
  };
  return {
    'platform.health': async ({ profile }) => {
      // Only the platforms of profiles this console holds a credential for (point reads of the keychain,
      // every few seconds while offline): the call is not a way to probe other hosts.
      if (!(await profiles.client(profile)).ok) return fail('bad-request', 'Unknown profile.');
      const client = PlatformClient.create(profile.platformOrigin, undefined, {
        attempts: 1,
        timeoutMs: 5000,
      });
      if (!client.ok) return client;
      const health = await client.value.call(authApi.health, {});
      return ok({ reachable: health.ok });
    },
    'tenants.list': async ({ profile }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      if ((await profiles.kindOf(profile)) === 'api-key') {
        const self = await client.value.call(apiKeysApi.self, {});
        if (!self.ok) return self;
        return keepOnly(profile, [
          {
            organization: self.value.organization,
            organizationName: self.value.organization,
            role: 'api-key',
            environments: [self.value.environment],
            scopes: self.value.scopes,
          },
        ]);
      }
      const me = await client.value.call(authApi.me, {});
      if (!me.ok) return me;
      return keepOnly(
        profile,
        me.value.memberships.map((m) => ({
          organization: m.organizationSlug,
          organizationName: m.organizationName,
          role: m.role,
          environments: ['test' as const, 'live' as const],
        })),
      );
    },
  };
}
