import type { Database } from './database';
import type { OAuthCodesTable } from './tables';

export type OAuthCodeRow = OAuthCodesTable;

export type NewOAuthCode = Omit<OAuthCodeRow, 'used_at' | 'family_id'>;

/** Authorization codes of the desktop sign-in; single use, kept hashed. */
export class OAuthCodeStore {
  constructor(private readonly db: Database) {}

  async insert(row: NewOAuthCode): Promise<void> {
    await this.db.global((q) =>
      q
        .insertInto('oauth_codes')
        .values({ ...row, used_at: null, family_id: null })
        .execute(),
    );
  }

  find(codeSha256: Buffer): Promise<OAuthCodeRow | undefined> {
    return this.db.global((q) =>
      q.selectFrom('oauth_codes').selectAll().where('code_sha256', '=', codeSha256).executeTakeFirst(),
    );
  }

  /** The code's one use; false when it had been used already. */
  async claim(codeSha256: Buffer, now: number): Promise<boolean> {
    const result = await this.db.global((q) =>
      q
        .updateTable('oauth_codes')
        .set({ used_at: now })
        .where('code_sha256', '=', codeSha256)
        .where('used_at', 'is', null)
        .executeTakeFirst(),
    );
    return result.numUpdatedRows === 1n;
  }

  async recordFamily(codeSha256: Buffer, familyId: string): Promise<void> {
    await this.db.global((q) =>
      q
        .updateTable('oauth_codes')
        .set({ family_id: familyId })
        .where('code_sha256', '=', codeSha256)
        .execute(),
    );
  }

  /** Used codes are kept a day past expiry so that a late replay still finds (and revokes) its family. */
  async prune(now: number): Promise<void> {
    await this.db.global((q) =>
      q
        .deleteFrom('oauth_codes')
        .where('expires_at', '<', now - 24 * 3600 * 1000)
        .execute(),
    );
  }
}
