import { z } from 'zod';
import { call, ProfileRef } from '../spec';

export const deviceCalls = {
  'deviceKey.rotate': call({
    summary:
      'Replaces the device signing key: a new key is registered and kept in the keychain, then the old one is revoked (both audited by the platform).',
    input: z.strictObject({ profile: ProfileRef }),
    output: z.object({ deviceKeyId: z.string(), revokedKeyId: z.string().nullable() }),
    errors: ['bad-request', 'unauthenticated', 'forbidden', 'unavailable'],
  }),
} as const;
