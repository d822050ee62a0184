import { z } from 'zod';
import { call, ProfileRef } from '../spec';

export const Tenant = z.object({
  organization: z.string(),
  organizationName: z.string(),
  /** The profile's role there; an API key has none and reads `api-key`. */
  role: z.string(),
  environments: z.array(z.enum(['test', 'live'])),
  /** An API key's scopes in force now (its own, within what its creator may still do); absent for a person. */
  scopes: z.array(z.string()).optional(),
});
export type Tenant = z.infer<typeof Tenant>;

export const tenantCalls = {
  'platform.health': call({
    summary:
      "Whether the profile's platform answers now; the renderer's Offline indicator asks while it is shown.",
    input: z.strictObject({ profile: ProfileRef }),
    output: z.object({ reachable: z.boolean() }),
    errors: ['bad-request'],
  }),
  'tenants.list': call({
    summary: 'The organizations and environments a profile can work in.',
    input: z.strictObject({ profile: ProfileRef }),
    output: z.object({ tenants: z.array(Tenant) }),
    errors: ['bad-request', 'unauthenticated', 'unavailable'],
  }),
} as const;
