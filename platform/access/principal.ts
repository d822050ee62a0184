import type { Environment } from '../../shared/domain/environments';
import type { Permission } from '../../shared/domain/permissions';

/** Who is asking: a signed-in person, or an API key bound to one tenant. Never carries a secret. */
export type Principal =
  | { readonly kind: 'user'; readonly userId: string }
  | {
      readonly kind: 'api-key';
      readonly keyId: string;
      readonly organizationId: string;
      readonly environment: Environment;
      readonly scopes: readonly Permission[];
    };
