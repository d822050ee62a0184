import type { Db } from './database';

export interface DeviceKeyRow {
  id: string;
  user_id: string;
  name: string;
  public_key: Buffer;
  created_at: number;
  revoked_at: number | null;
}

/** Device keys belong to a person, not a tenant: one key signs that person's decisions everywhere. */
export class DeviceKeyStore {
  readonly #insert;
  readonly #forUser;
  readonly #get;
  readonly #revoke;

  constructor(db: Db) {
    this.#insert = db.prepare<DeviceKeyRow>(
      `INSERT INTO device_keys (id, user_id, name, public_key, created_at, revoked_at)
       VALUES (@id, @user_id, @name, @public_key, @created_at, @revoked_at)`,
    );
    this.#forUser = db.prepare<[string], DeviceKeyRow>(
      'SELECT * FROM device_keys WHERE user_id = ? ORDER BY created_at',
    );
    this.#get = db.prepare<[string, string], DeviceKeyRow>(
      'SELECT * FROM device_keys WHERE id = ? AND user_id = ?',
    );
    this.#revoke = db.prepare<[number, string, string]>(
      'UPDATE device_keys SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL',
    );
  }

  insert(row: DeviceKeyRow): void {
    this.#insert.run(row);
  }

  listForUser(userId: string): DeviceKeyRow[] {
    return this.#forUser.all(userId);
  }

  /** A key only ever resolves for its own owner. */
  get(userId: string, id: string): DeviceKeyRow | undefined {
    return this.#get.get(id, userId);
  }

  revoke(userId: string, id: string, now: number): boolean {
    return this.#revoke.run(now, id, userId).changes === 1;
  }
}
