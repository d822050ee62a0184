import type { Db } from './database';

export interface UserRow {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  totp_seed_sealed: Buffer;
  totp_last_step: number;
  created_at: number;
  disabled_at: number | null;
}

export class UserStore {
  readonly #insert;
  readonly #byEmail;
  readonly #byId;
  readonly #advanceTotp;

  constructor(db: Db) {
    this.#insert = db.prepare<UserRow>(
      `INSERT INTO users (id, email, display_name, password_hash, totp_seed_sealed, totp_last_step, created_at, disabled_at)
       VALUES (@id, @email, @display_name, @password_hash, @totp_seed_sealed, @totp_last_step, @created_at, @disabled_at)`,
    );
    this.#byEmail = db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?');
    this.#byId = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?');
    // Compare-and-set: a TOTP step is accepted once, so a code seen over a shoulder cannot be replayed.
    this.#advanceTotp = db.prepare<[number, string, number]>(
      'UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?',
    );
  }

  create(row: UserRow): void {
    this.#insert.run(row);
  }

  findByEmail(email: string): UserRow | undefined {
    return this.#byEmail.get(email);
  }

  findById(id: string): UserRow | undefined {
    return this.#byId.get(id);
  }

  /** Records that a TOTP step was used; false if it (or a later one) was used before. */
  claimTotpStep(userId: string, step: number): boolean {
    return this.#advanceTotp.run(step, userId, step).changes === 1;
  }
}
