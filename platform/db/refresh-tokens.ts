import type { Db } from './database';

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
  readonly #insertFamily;
  readonly #insertToken;
  readonly #find;
  readonly #markUsed;
  readonly #revokeFamily;
  readonly #familyActive;

  constructor(db: Db) {
    this.#insertFamily = db.prepare<[string, string, number]>(
      'INSERT INTO token_families (id, user_id, created_at) VALUES (?, ?, ?)',
    );
    this.#insertToken = db.prepare<[string, string, Buffer, number, number]>(
      'INSERT INTO refresh_tokens (id, family_id, secret_sha256, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.#find = db.prepare<[string], RefreshTokenRow>(
      `SELECT t.*, f.user_id, f.revoked_at AS family_revoked_at
       FROM refresh_tokens t JOIN token_families f ON f.id = t.family_id WHERE t.id = ?`,
    );
    this.#markUsed = db.prepare<[number, string]>(
      'UPDATE refresh_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL',
    );
    this.#revokeFamily = db.prepare<[number, string]>(
      'UPDATE token_families SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
    );
    this.#familyActive = db.prepare<[string, string], { ok: number }>(
      'SELECT 1 AS ok FROM token_families WHERE id = ? AND user_id = ? AND revoked_at IS NULL',
    );
  }

  createFamily(id: string, userId: string, now: number): void {
    this.#insertFamily.run(id, userId, now);
  }

  insert(id: string, familyId: string, secretSha256: Buffer, now: number, expiresAt: number): void {
    this.#insertToken.run(id, familyId, secretSha256, now, expiresAt);
  }

  find(id: string): RefreshTokenRow | undefined {
    return this.#find.get(id);
  }

  /** Claims a token for its single use; false if it had been used already. */
  claim(id: string, now: number): boolean {
    return this.#markUsed.run(now, id).changes === 1;
  }

  /** Access tokens are checked against this on every request, so sign-out ends them at once. */
  isFamilyActive(familyId: string, userId: string): boolean {
    return this.#familyActive.get(familyId, userId) !== undefined;
  }

  revokeFamily(familyId: string, now: number): void {
    this.#revokeFamily.run(now, familyId);
  }
}
