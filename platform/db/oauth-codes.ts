import type { Db } from './database';

export interface OAuthCodeRow {
  code_sha256: Buffer;
  client_id: string;
  redirect_uri: string;
  code_challenge: string;
  nonce: string;
  user_id: string;
  auth_time: number;
  expires_at: number;
  used_at: number | null;
  family_id: string | null;
}

export type NewOAuthCode = Omit<OAuthCodeRow, 'used_at' | 'family_id'>;

/** Authorization codes of the desktop sign-in; single use, kept hashed. */
export class OAuthCodeStore {
  readonly #insert;
  readonly #find;
  readonly #claim;
  readonly #recordFamily;
  readonly #prune;

  constructor(db: Db) {
    this.#insert = db.prepare<[NewOAuthCode]>(
      `INSERT INTO oauth_codes (code_sha256, client_id, redirect_uri, code_challenge, nonce, user_id, auth_time, expires_at)
       VALUES (@code_sha256, @client_id, @redirect_uri, @code_challenge, @nonce, @user_id, @auth_time, @expires_at)`,
    );
    this.#find = db.prepare<[Buffer], OAuthCodeRow>('SELECT * FROM oauth_codes WHERE code_sha256 = ?');
    this.#claim = db.prepare<[number, Buffer]>(
      'UPDATE oauth_codes SET used_at = ? WHERE code_sha256 = ? AND used_at IS NULL',
    );
    this.#recordFamily = db.prepare<[string, Buffer]>(
      'UPDATE oauth_codes SET family_id = ? WHERE code_sha256 = ?',
    );
    // Used codes are kept a day past expiry so that a late replay still finds (and revokes) its family.
    this.#prune = db.prepare<[number]>('DELETE FROM oauth_codes WHERE expires_at < ?');
  }

  insert(row: NewOAuthCode): void {
    this.#insert.run(row);
  }

  find(codeSha256: Buffer): OAuthCodeRow | undefined {
    return this.#find.get(codeSha256);
  }

  /** The code's one use; false when it had been used already. */
  claim(codeSha256: Buffer, now: number): boolean {
    return this.#claim.run(now, codeSha256).changes === 1;
  }

  recordFamily(codeSha256: Buffer, familyId: string): void {
    this.#recordFamily.run(familyId, codeSha256);
  }

  prune(now: number): void {
    this.#prune.run(now - 24 * 3600 * 1000);
  }
}
