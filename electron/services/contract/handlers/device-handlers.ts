import { deviceKeysApi } from '../../../../shared/api/routes';
import type { deviceCalls } from '../../../../shared/contract/calls/devices';
import { fail, ok } from '../../../../shared/result';
import type { HandlersOf } from '../dispatcher';
import type { HandlerServices } from './services';

export function deviceHandlers({ profiles, deviceKeys }: HandlerServices): HandlersOf<typeof deviceCalls> {
  return {
    'deviceKey.rotate': async ({ profile }) => {
      if ((await profiles.kindOf(profile)) === 'api-key')
        return fail('forbidden', 'API keys have no device key; sign in with the browser.');
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      const old = await deviceKeys.signer(profile);
      // The new key is registered and stored before the old one is revoked: a failure in between leaves
      // a working key, never none.
      const fresh = await deviceKeys.register(profile, client.value);
      if (!fresh.ok) return fresh;
      if (old) {
        const revoked = await client.value.call(deviceKeysApi.revoke, { params: { keyId: old.keyId } });
        if (!revoked.ok) return revoked;
      }
      return ok({ deviceKeyId: fresh.value.keyId, revokedKeyId: old?.keyId ?? null });
    },
  };
}
