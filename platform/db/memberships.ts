import type { RoleName } from '../../shared/domain/permissions';
import type { Db } from './database';
import type { OrgScope } from './scope';

export interface MemberRow {
  user_id: string;
  email: string;
  display_name: string;
  role: RoleName;
  created_at: number;
}

export class MembershipStore {
  readonly #roleOf;
  readonly #insert;
  readonly #list;
  readonly #get;
  readonly #setRole;
  readonly #countOwners;

  constructor(db: Db) {
    this.#roleOf = db.prepare<[string, string], { role: RoleName }>(
      'SELECT role FROM memberships WHERE organization_id = ? AND user_id = ?',
    );
    this.#insert = db.prepare<[string, string, string, number]>(
      'INSERT INTO memberships (organization_id, user_id, role, created_at) VALUES (?, ?, ?, ?)',
    );
    const select = `SELECT m.user_id, u.email, u.display_name, m.role, m.created_at
      FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organization_id = ?`;
    this.#list = db.prepare<[string], MemberRow>(`${select} ORDER BY u.email`);
    this.#get = db.prepare<[string, string], MemberRow>(`${select} AND m.user_id = ?`);
    this.#setRole = db.prepare<[string, string, string]>(
      'UPDATE memberships SET role = ? WHERE organization_id = ? AND user_id = ?',
    );
    this.#countOwners = db.prepare<[string], { n: number }>(
      "SELECT count(*) AS n FROM memberships WHERE organization_id = ? AND role = 'owner'",
    );
  }

  /** Used by the access layer to decide whether a scope may be granted at all. */
  roleOf(organizationId: string, userId: string): RoleName | undefined {
    return this.#roleOf.get(organizationId, userId)?.role;
  }

  add(scope: OrgScope, userId: string, role: RoleName, now: number): void {
    this.#insert.run(scope.organizationId, userId, role, now);
  }

  list(scope: OrgScope): MemberRow[] {
    return this.#list.all(scope.organizationId);
  }

  get(scope: OrgScope, userId: string): MemberRow | undefined {
    return this.#get.get(scope.organizationId, userId);
  }

  setRole(scope: OrgScope, userId: string, role: RoleName): void {
    this.#setRole.run(role, scope.organizationId, userId);
  }

  countOwners(scope: OrgScope): number {
    return this.#countOwners.get(scope.organizationId)?.n ?? 0;
  }
}
