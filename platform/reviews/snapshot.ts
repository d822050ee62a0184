import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { ReviewCoverage } from '../../shared/api/reviews';
import { environments } from '../../shared/domain/environments';
import { roleAllows } from '../../shared/domain/permissions';
import { fail, ok, type Result } from '../../shared/result';
import type { PlatformContext } from '../context';
import { newId } from '../crypto/random';
import type { ReviewItemRow } from '../db/reviews';
import { type OrgScope, tenantScope } from '../db/scope';
import { grantRows } from '../lifecycle/grants';
import { unusedFor90Days } from '../organizations/membership-service';

/** A grant as a campaign's snapshot holds it (review_items.snapshot). */
export interface GrantSnapshot {
  readonly name: string;
  readonly role: string | null;
  readonly scopes: readonly string[] | null;
  readonly suspended: boolean;
  readonly ownerId: string | null;
  readonly lastUsedAt: number | null;
  readonly unused90Days: boolean;
}

type Subject = Pick<ReviewItemRow, 'subject_type' | 'subject_id' | 'subject_person_id' | 'environment'> & {
  snapshot: GrantSnapshot;
};

/** The organization's grants now, of the kinds the campaign covers: members, both environments' keys, device keys. */
async function subjects(ctx: PlatformContext, org: OrgScope, covers: readonly ReviewCoverage[]) {
  const found: Subject[] = [];
  for (const environment of environments) {
    const rows = await grantRows(ctx, tenantScope(org, environment));
    const { now } = rows;
    // Members and device keys are the organization's, the same from either environment: read once.
    if (environment === 'live' && covers.includes('members')) {
      for (const m of rows.members) {
        found.push({
          subject_type: 'member',
          subject_id: m.user_id,
          subject_person_id: m.user_id,
          environment: null,
          snapshot: {
            name: m.display_name,
            role: m.role,
            scopes: null,
            suspended: m.suspended_at !== null,
            ownerId: null,
            lastUsedAt: m.last_sign_in_at,
            unused90Days: unusedFor90Days(m.last_sign_in_at, m.created_at, now),
          },
        });
      }
    }
    if (environment === 'live' && covers.includes('device_keys')) {
      for (const d of rows.deviceKeys) {
        found.push({
          subject_type: 'device_key',
          subject_id: d.id,
          subject_person_id: d.user_id,
          environment: null,
          snapshot: {
            name: d.name,
            role: null,
            scopes: null,
            suspended: false,
            ownerId: d.user_id,
            lastUsedAt: d.last_used_at,
            unused90Days: unusedFor90Days(d.last_used_at, d.created_at, now),
          },
        });
      }
    }
    if (covers.includes('api_keys')) {
      for (const k of rows.apiKeys) {
        const ownerId = k.owner_id ?? k.created_by;
        found.push({
          subject_type: 'api_key',
          subject_id: k.id,
          subject_person_id: ownerId,
          environment,
          snapshot: {
            name: k.name,
            role: null,
            scopes: JSON.parse(k.scopes) as string[],
            suspended: false,
            ownerId,
            lastUsedAt: k.last_used_at,
            unused90Days: unusedFor90Days(k.last_used_at, k.created_at, now),
          },
        });
      }
    }
  }
  return found;
}

/**
 * The campaign's items: every grant it covers as it is now, each assigned to the reviewer with the fewest
 * items so far who is not the grant's subject. Reviewers must be active members who may decide.
 */
export async function snapshotItems(
  ctx: PlatformContext,
  org: OrgScope,
  campaignId: string,
  covers: readonly ReviewCoverage[],
  reviewers: readonly string[],
): Promise<Result<{ items: ReviewItemRow[]; sha256: string }>> {
  const now = ctx.clock.now();
  for (const reviewer of reviewers) {
    const role = await ctx.stores.memberships.roleOf(org.organizationId, reviewer, now);
    if (!role || !roleAllows(role, 'approvals:decide'))
      return fail('bad-request', `Reviewer ${reviewer} is not an active member who may decide requests.`);
  }
  const load = new Map(reviewers.map((r) => [r, 0]));
  const items: ReviewItemRow[] = [];
  for (const subject of await subjects(ctx, org, covers)) {
    const eligible = reviewers.filter((r) => r !== subject.subject_person_id);
    const reviewer = eligible.sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0))[0];
    if (!reviewer) {
      return fail(
        'bad-request',
        `${subject.snapshot.name} (${subject.subject_type}) is a reviewer's own grant: add another reviewer, since no one reviews their own access.`,
      );
    }
    load.set(reviewer, (load.get(reviewer) ?? 0) + 1);
    items.push({
      campaign_id: campaignId,
      id: newId('rvi'),
      seq: items.length + 1,
      subject_type: subject.subject_type,
      subject_id: subject.subject_id,
      subject_person_id: subject.subject_person_id,
      environment: subject.environment,
      snapshot: JSON.stringify(subject.snapshot),
      reviewer_id: reviewer,
      decision: null,
      reason: null,
      new_role: null,
      decided_at: null,
      request_id: null,
      request_environment: null,
    });
  }
  if (items.length === 0) return fail('bad-request', 'There is nothing of these kinds to review.');
  // The snapshot's digest goes into the campaign's audit entry: the pack can be checked against it.
  const canonical = canonicalize(
    items.map((i) => ({
      id: i.id,
      type: i.subject_type,
      subject: i.subject_id,
      snapshot: JSON.parse(i.snapshot),
    })),
  );
  const sha256 = createHash('sha256')
    .update(canonical ?? '')
    .digest('hex');
  return ok({ items, sha256 });
}
