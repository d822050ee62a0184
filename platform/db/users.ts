import type { Database } from './database';
import type { UsersTable } from './tables';

export type UserRow = UsersTable;

export class UserStore {
  constructor(private readonly db: Database) {}

  async create(row: UserRow): Promise<void> {
    await this.db.global((q) => q.insertInto('users').values(row).execute());
  }

  /** E-mail addresses compare without case (SQLite: COLLATE NOCASE; PostgreSQL: a case-insensitive collation). */
  findByEmail(email: string): Promise<UserRow | undefined> {
    return this.db.global((q) =>
      q.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst(),
    );
  }

  findById(id: string): Promise<UserRow | undefined> {
    return this.db.global((q) => q.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst());
  }

  /** Last use of a person's membership grants: their last successful sign-in. */
  async recordSignIn(userId: string, now: number): Promise<void> {
    await this.db.global((q) =>
      q.updateTable('users').set({ last_sign_in_at: now }).where('id', '=', userId).execute(),
    );
  }

  /** Records that a TOTP step was used; false if it (or a later one) was used before. */
  async claimTotpStep(userId: string, step: number): Promise<boolean> {
    // Compare-and-set: a TOTP step is accepted once, so a code seen over a shoulder cannot be replayed.
    const result = await this.db.global((q) =>
      q
        .updateTable('users')
        .set({ totp_last_step: step })
        .where('id', '=', userId)
        .where('totp_last_step', '<', step)
        .executeTakeFirst(),
    );
    return result.numUpdatedRows === 1n;
  }
}
