import type { Campaign, ReviewCoverage, ReviewItem } from '../../shared/api/reviews';
import type { RoleName } from '../../shared/domain/permissions';
import type { PlatformContext } from '../context';
import type { CampaignRow, ReviewItemRow } from '../db/reviews';
import { type OrgScope, tenantScope } from '../db/scope';
import type { GrantSnapshot } from './snapshot';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toCampaign(
  row: CampaignRow,
  items: readonly ReviewItemRow[],
  changed: (item: ReviewItemRow) => boolean,
  callerId: string | undefined,
): Campaign {
  const reviewers = JSON.parse(row.reviewers) as string[];
  const count = (d: ReviewItemRow['decision']) => items.filter((i) => i.decision === d).length;
  return {
    id: row.id,
    title: row.title,
    covers: JSON.parse(row.covers) as ReviewCoverage[],
    reviewers,
    deadline: new Date(row.deadline).toISOString(),
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
    status: row.closed_at === null ? 'open' : 'closed',
    closedAt: iso(row.closed_at),
    closeReason: row.close_reason,
    closedBy: row.closed_by,
    progress: {
      total: items.length,
      decided: items.filter((i) => i.decision !== null).length,
      kept: count('keep'),
      revoked: count('revoke'),
      changed: count('change'),
      changedSinceSnapshot: items.filter(changed).length,
      byReviewer: reviewers.map((reviewerId) => {
        const theirs = items.filter((i) => i.reviewer_id === reviewerId);
        return {
          reviewerId,
          total: theirs.length,
          decided: theirs.filter((i) => i.decision !== null).length,
        };
      }),
    },
    myUndecided: callerId ? items.filter((i) => i.reviewer_id === callerId && i.decision === null).length : 0,
  };
}

/** An item as the routes show it, with its request's status read now. */
export async function toItem(
  ctx: PlatformContext,
  org: OrgScope,
  row: ReviewItemRow,
  deadline: number,
  changed: (item: ReviewItemRow) => boolean,
): Promise<ReviewItem> {
  const was = JSON.parse(row.snapshot) as GrantSnapshot;
  let request: ReviewItem['request'] = null;
  if (row.request_id && row.request_environment) {
    const found = await ctx.stores.approvals.get(tenantScope(org, row.request_environment), row.request_id);
    if (found) request = { id: found.id, environment: row.request_environment, status: found.status };
  }
  return {
    id: row.id,
    campaignId: row.campaign_id,
    seq: row.seq,
    deadline: new Date(deadline).toISOString(),
    subject: {
      type: row.subject_type,
      id: row.subject_id,
      personId: row.subject_person_id,
      environment: row.environment,
      name: was.name,
    },
    snapshot: {
      role: was.role as RoleName | null,
      scopes: was.scopes ? [...was.scopes] : null,
      lastUsedAt: iso(was.lastUsedAt),
      unused90Days: was.unused90Days,
    },
    changedSinceSnapshot: changed(row),
    reviewerId: row.reviewer_id,
    decision: row.decision,
    reason: row.reason,
    newRole: row.new_role,
    decidedAt: iso(row.decided_at),
    request,
  };
}
