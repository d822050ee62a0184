import type { Database } from './database';
import { type OrgScope, orgFilter } from './scope';
import type { InvitationsTable } from './tables';

export type InvitationRow = InvitationsTable;

/** Invitations belong to an organization; the enrollment page finds one by its id before any scope. */
export class InvitationStore {
  constructor(private readonly db: Database) {}

  async insert(scope: OrgScope, row: Omit<InvitationRow, 'organization_id'>): Promise<void> {
    await this.db.tenant(scope, (q) =>
      q
        .insertInto('invitations')
        .values({ organization_id: scope.organizationId, ...row })
        .execute(),
    );
  }

  /** The enrollment page's lookup: the link names the invitation, so this runs before any scope exists. */
  findForLink(id: string): Promise<InvitationRow | undefined> {
    return this.db.platform((q) =>
      q.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirst(),
    );
  }

  get(scope: OrgScope, id: string): Promise<InvitationRow | undefined> {
    return this.db.tenant(scope, (q) =>
      q.selectFrom('invitations').selectAll().where(orgFilter(scope)).where('id', '=', id).executeTakeFirst(),
    );
  }

  list(scope: OrgScope, openOnlyAt?: number): Promise<InvitationRow[]> {
    return this.db.tenant(scope, (q) => {
      let query = q.selectFrom('invitations').selectAll().where(orgFilter(scope));
      if (openOnlyAt !== undefined) {
        query = query
          .where('accepted_at', 'is', null)
          .where('revoked_at', 'is', null)
          .where('expires_at', '>', openOnlyAt);
      }
      return query.orderBy('created_at', 'desc').orderBy('id').limit(500).execute();
    });
  }

  /** An open invitation for this address, if any (one at a time per person and organization). */
  openFor(scope: OrgScope, email: string, now: number): Promise<InvitationRow | undefined> {
    return this.db.tenant(scope, (q) =>
      q
        .selectFrom('invitations')
        .selectAll()
        .where(orgFilter(scope))
        .where('email', '=', email)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst(),
    );
  }

  /** Records the latest page visit of an open invitation (its nonce's SHA-256 and sealed seed), replacing any earlier. */
  async recordVisit(scope: OrgScope, id: string, nonceSha256: Buffer, sealedSeed: Buffer): Promise<void> {
    await this.db.tenant(scope, (q) =>
      q
        .updateTable('invitations')
        .set({ visit_nonce_sha256: nonceSha256, totp_seed_sealed: sealedSeed })
        .where(orgFilter(scope))
        .where('id', '=', id)
        .where('accepted_at', 'is', null)
        .execute(),
    );
  }

  /** Uses the link once: false when it was used, revoked or expired meanwhile. */
  async accept(scope: OrgScope, id: string, userId: string, now: number): Promise<boolean> {
    const result = await this.db.tenant(scope, (q) =>
      q
        .updateTable('invitations')
        .set({ accepted_at: now, accepted_user_id: userId })
        .where(orgFilter(scope))
        .where('id', '=', id)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst(),
    );
    return result.numUpdatedRows === 1n;
  }

  async revoke(scope: OrgScope, id: string, by: string | null, now: number): Promise<boolean> {
    const result = await this.db.tenant(scope, (q) =>
      q
        .updateTable('invitations')
        .set({ revoked_at: now, revoked_by: by })
        .where(orgFilter(scope))
        .where('id', '=', id)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .executeTakeFirst(),
    );
    return result.numUpdatedRows === 1n;
  }
}
