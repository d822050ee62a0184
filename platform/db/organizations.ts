import type { Database } from './database';
import type { OrganizationsTable } from './tables';

export type OrganizationRow = OrganizationsTable;

/** Organizations are the tenants themselves, so looking one up needs no scope; reading its data does. */
export class OrganizationStore {
  constructor(private readonly db: Database) {}

  async create(row: OrganizationRow): Promise<void> {
    await this.db.global((q) => q.insertInto('organizations').values(row).execute());
  }

  findBySlug(slug: string): Promise<OrganizationRow | undefined> {
    return this.db.global((q) =>
      q.selectFrom('organizations').selectAll().where('slug', '=', slug).executeTakeFirst(),
    );
  }

  findById(id: string): Promise<OrganizationRow | undefined> {
    return this.db.global((q) =>
      q.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst(),
    );
  }

  /** Every organization, for platform-wide work such as signing-key rotation. */
  listAll(): Promise<OrganizationRow[]> {
    return this.db.global((q) => q.selectFrom('organizations').selectAll().orderBy('slug').execute());
  }

  /** The organizations a person belongs to, with their role in each: memberships of every organization. */
  listForUser(userId: string): Promise<(OrganizationRow & { role: string })[]> {
    return this.db.platform((q) =>
      q
        .selectFrom('organizations as o')
        .innerJoin('memberships as m', 'm.organization_id', 'o.id')
        .selectAll('o')
        .select('m.role')
        .where('m.user_id', '=', userId)
        .orderBy('o.slug')
        .execute(),
    );
  }
}
