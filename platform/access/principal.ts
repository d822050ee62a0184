import type { Environment } from '../../shared/domain/environments';
import type { Permission } from '../../shared/domain/permissions';

/**
 * Who is asking: a signed-in person, or an API key bound to one tenant. Never carries a secret. An API key
 * acts as the person who created it, with no more than that person may do now: `scopes` is what the key
 * was granted and its creator's current role still allows; `grantedScopes` is what it was granted.
 */
export type Principal =
  | { readonly kind: 'user'; readonly userId: string }
  | {
      readonly kind: 'api-key';
      readonly keyId: string;
      readonly ownerId: string;
      readonly organizationId: string;
      readonly environment: Environment;
      readonly scopes: readonly Permission[];
      readonly grantedScopes: readonly Permission[];
    };

/** The person accountable for what a principal does. */
export function personOf(principal: Principal): string {
  return principal.kind === 'user' ? principal.userId : principal.ownerId;
}
