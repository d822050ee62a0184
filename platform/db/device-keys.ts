import type { Database } from './database';
import type { DeviceKeysTable } from './tables';

export type DeviceKeyRow = DeviceKeysTable;

/** Device keys belong to a person, not a tenant: one key signs that person's decisions everywhere. */
export class DeviceKeyStore {
  constructor(private readonly db: Database) {}

  async insert(row: DeviceKeyRow): Promise<void> {
    await this.db.global((q) => q.insertInto('device_keys').values(row).execute());
  }

  listForUser(userId: string): Promise<DeviceKeyRow[]> {
    return this.db.global((q) =>
      q.selectFrom('device_keys').selectAll().where('user_id', '=', userId).orderBy('created_at').execute(),
    );
  }

  /** A key only ever resolves for its own owner. */
  get(userId: string, id: string): Promise<DeviceKeyRow | undefined> {
    return this.db.global((q) =>
      q
        .selectFrom('device_keys')
        .selectAll()
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst(),
    );
  }

  /** Last use: a decision was signed with this key. */
  async touch(userId: string, id: string, now: number): Promise<void> {
    await this.db.global((q) =>
      q
        .updateTable('device_keys')
        .set({ last_used_at: now })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .execute(),
    );
  }

  /** The unrevoked keys of these people (an organization's members), for its grants and reviews. */
  activeOf(userIds: readonly string[]): Promise<DeviceKeyRow[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    return this.db.global((q) =>
      q
        .selectFrom('device_keys')
        .selectAll()
        .where('user_id', 'in', [...userIds])
        .where('revoked_at', 'is', null)
        .orderBy('user_id')
        .orderBy('created_at')
        .execute(),
    );
  }

  async revoke(userId: string, id: string, now: number): Promise<boolean> {
    const result = await this.db.global((q) =>
      q
        .updateTable('device_keys')
        .set({ revoked_at: now })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst(),
    );
    return result.numUpdatedRows === 1n;
  }
}
