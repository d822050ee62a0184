import { fail, ok, type Result } from '../../shared/result';
import type { AccessTokens } from '../auth/access-tokens';
import type { Clock } from '../clock';
import type { Stores } from '../db/stores';
import type { ApiKeyService } from '../keys/api-key-service';
import type { Principal } from './principal';

const signInRequired = 'Sign in or present an API key.';
const sessionEnded = 'The session has ended; sign in again.';

/** Resolves the Authorization header to a principal: `Bearer <access token>` or `Bearer <API key>`. */
export class Authentication {
  constructor(
    private readonly stores: Stores,
    private readonly tokens: AccessTokens,
    private readonly apiKeys: ApiKeyService,
    private readonly clock: Clock,
  ) {}

  async authenticate(header: string | undefined): Promise<Result<Principal>> {
    const match = header?.match(/^Bearer ([\x21-\x7e]{1,2048})$/);
    if (!match?.[1]) return fail('unauthenticated', signInRequired);
    const credential = match[1];
    if (credential.startsWith('cck_')) {
      const key = this.apiKeys.verify(credential);
      if (!key.ok) return key;
      const { row, scopes } = key.value;
      return ok({
        kind: 'api-key',
        keyId: row.id,
        organizationId: row.organization_id,
        environment: row.environment,
        scopes,
      });
    }
    const claims = await this.tokens.verify(credential, this.clock.now());
    if (!claims) return fail('unauthenticated', sessionEnded);
    const user = this.stores.users.findById(claims.userId);
    if (
      !user ||
      user.disabled_at !== null ||
      !this.stores.refreshTokens.isFamilyActive(claims.familyId, user.id)
    ) {
      return fail('unauthenticated', sessionEnded);
    }
    return ok({ kind: 'user', userId: user.id });
  }
}
