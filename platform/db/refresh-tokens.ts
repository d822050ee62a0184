import type { Database } from './database';

export interface RefreshTokenRow {
  id: string;
  family_id: string;
  secret_sha256: Buffer;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  user_id: string;
  family_revoked_at: number | null;
}

/** Refresh tokens rotate on every use; a family is one sign-in and everything refreshed from it. */
export class RefreshTokenStore {
  constructor(private readonly db: Database) {}

  async createFamily(id: string, userId: string, now: number): Promise<void> {
    await this.db.global((q) =>
      q
        .insertInto('token_families')
        .values({ id, user_id: userId, created_at: now, revoked_at: null })
        .execute(),
    );
  }

  async insert(
    id: string,
    familyId: string,
    secretSha256: Buffer,
    now: number,
    expiresAt: number,
  ): Promise<void> {
    await this.db.global((q) =>
      q
        .insertInto('refresh_tokens')
        .values({
          id,
          family_id: familyId,
          secret_sha256: secretSha256,
          created_at: now,
          expires_at: expiresAt,
          used_at: null,
        })
        .execute(),
    );
  }

  find(id: string): Promise<RefreshTokenRow | undefined> {
    return this.db.global((q) =>
      q
        .selectFrom('refresh_tokens as t')
        .innerJoin('token_families as f', 'f.id', 't.family_id')
        .selectAll('t')
        .select(['f.user_id', 'f.revoked_at as family_revoked_at'])
        .where('t.id', '=', id)
        .executeTakeFirst(),
    );
  }

  /** Claims a token for its single use; false if it had been used already. */
  async claim(id: string, now: number): Promise<boolean> {
    const result = await this.db.global((q) =>
      q
        .updateTable('refresh_tokens')
        .set({ used_at: now })
        .where('id', '=', id)
        .where('used_at', 'is', null)
        .executeTakeFirst(),
    );
    return result.numUpdatedRows === 1n;
  }

  /** Access tokens are checked against this on every request, so sign-out ends them at once. */
  async isFamilyActive(familyId: string, userId: string): Promise<boolean> {
    const row = await this.db.global((q) =>
      q
        .selectFrom('token_families')
        .select('id')
        .where('id', '=', familyId)
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst(),
    );
    return row !== undefined;
  }

  /** Ends every session of a person at once: their access tokens fail the family check on the next request. */
  async revokeAllForUser(userId: string, now: number): Promise<number> {
    const result = await this.db.global((q) =>
      q
        .updateTable('token_families')
        .set({ revoked_at: now })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst(),
    );
    return Number(result.numUpdatedRows);
  }

  async revokeFamily(familyId: string, now: number): Promise<void> {
    await this.db.global((q) =>
      q
        .updateTable('token_families')
        .set({ revoked_at: now })
        .where('id', '=', familyId)
        .where('revoked_at', 'is', null)
        .execute(),
    );
  }
}
