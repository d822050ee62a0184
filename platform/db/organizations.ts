import type { Db } from './database';

export interface OrganizationRow {
  id: string;
  slug: string;
  name: string;
  created_at: number;
}

/** Organizations are the tenants themselves, so looking one up needs no scope; reading its data does. */
export class OrganizationStore {
  readonly #insert;
  readonly #bySlug;
  readonly #byId;
  readonly #forUser;
  readonly #all;

  constructor(db: Db) {
    this.#insert = db.prepare<[string, string, string, number]>(
      'INSERT INTO organizations (id, slug, name, created_at) VALUES (?, ?, ?, ?)',
    );
    this.#bySlug = db.prepare<[string], OrganizationRow>('SELECT * FROM organizations WHERE slug = ?');
    this.#byId = db.prepare<[string], OrganizationRow>('SELECT * FROM organizations WHERE id = ?');
    this.#all = db.prepare<[], OrganizationRow>('SELECT * FROM organizations ORDER BY slug');
    this.#forUser = db.prepare<[string], OrganizationRow & { role: string }>(
      `SELECT o.*, m.role FROM organizations o JOIN memberships m ON m.organization_id = o.id
       WHERE m.user_id = ? ORDER BY o.slug`,
    );
  }

  create(row: OrganizationRow): void {
    this.#insert.run(row.id, row.slug, row.name, row.created_at);
  }

  findBySlug(slug: string): OrganizationRow | undefined {
    return this.#bySlug.get(slug);
  }

  findById(id: string): OrganizationRow | undefined {
    return this.#byId.get(id);
  }

  /** Every organization, for platform-wide work such as signing-key rotation. */
  listAll(): OrganizationRow[] {
    return this.#all.all();
  }

  listForUser(userId: string): (OrganizationRow & { role: string })[] {
    return this.#forUser.all(userId);
  }
}
