import type { CallOutput } from '../../shared/contract/contract';
import type { ContractClient } from '../contract/client';
import { type Draft, emptyDraft } from './new-request-draft';
import type { TenantScope } from './tenant-scoped';

/**
 * What undoes an executed request, as a New request draft that `reverses` it: the inverse where the
 * record says enough to compute it (a role back to the one before, a created key revoked, a custom
 * before/after swapped), and where it does not, the kind and a note saying what the person must fill in.
 */
export interface ReversalPlan {
  readonly draft: Draft;
  /** Said above the form when the inverse could not be computed wholly. */
  readonly note: string | null;
}

type ApprovalDetail = CallOutput<'approvals.get'>;
type Request = ApprovalDetail['request'];

const API_KEY_ID = /cck_(?:test|live)_[a-z2-7]{26}/g;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** When the request was carried out: its timeline's execution, else its closing time. */
function executedAt({ request, timeline }: ApprovalDetail): number {
  const executed = timeline.events.findLast((e) => e.action === 'approval.execute');
  return Date.parse(executed?.ts ?? request.closedAt ?? request.createdAt);
}

/**
 * The `before` of the newest audit entry of `action` on a resource at or before `at` whose `after`
 * matches, or undefined (no such entry, or this profile may not read the audit log).
 */
async function beforeInAuditLog(
  client: ContractClient,
  where: TenantScope,
  query: { action: string; resourceType: string; resourceId?: string },
  at: number,
  matches: (after: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown> | undefined> {
  // The platform's `to` is exclusive; the entry is written in the same instant as the execution.
  const to = new Date(at + 1).toISOString();
  const page = await client.call('audit.entries', { ...where, query: { ...query, to, limit: 20 } });
  if (!page.ok) return undefined;
  for (const entry of page.value.entries) {
    const change = entry.change;
    if (change && isRecord(change.after) && isRecord(change.before) && matches(change.after))
      return change.before;
  }
  return undefined;
}

function base(request: Request): Draft {
  const title = `Reverse: ${request.title}`;
  return {
    ...emptyDraft,
    title: title.length > 200 ? `${title.slice(0, 199)}…` : title,
    reverses: request.id,
  };
}

async function roleChangeInverse(
  client: ContractClient,
  where: TenantScope,
  detail: ApprovalDetail,
): Promise<ReversalPlan> {
  const { request } = detail;
  const userId = typeof request.payload.userId === 'string' ? request.payload.userId : '';
  const role = request.payload.role;
  // A role is the organization's: its change is recorded in the organization's live log.
  const before = await beforeInAuditLog(
    client,
    { ...where, tenant: { organization: where.tenant.organization, environment: 'live' } },
    { action: 'member.role_change', resourceType: 'user', resourceId: userId },
    executedAt(detail),
    (after) => after.role === role,
  );
  const previous = typeof before?.role === 'string' ? before.role : '';
  const draft: Draft = { ...base(request), kind: 'member.role_change', userId };
  if (previous) return { draft: { ...draft, role: previous as Draft['role'] }, note: null };
  return {
    draft,
    note: 'The role before this change could not be read from the audit log (that needs audit:read): choose the role to go back to.',
  };
}

async function retentionInverse(
  client: ContractClient,
  where: TenantScope,
  detail: ApprovalDetail,
): Promise<ReversalPlan> {
  const { request } = detail;
  const before = await beforeInAuditLog(
    client,
    where,
    { action: 'policy.audit_retention', resourceType: 'organization' },
    executedAt(detail),
    (after) => after.days === request.payload.days,
  );
  const draft: Draft = { ...base(request), kind: 'audit.retention' };
  if (typeof before?.days === 'number' && before.days >= 30)
    return { draft: { ...draft, retentionDays: String(before.days) }, note: null };
  return {
    draft,
    note:
      before && before.days === null
        ? 'Before this change audit entries were kept without limit, which a request cannot set back: choose a number of days.'
        : 'The retention before this change could not be read from the audit log: enter the days to go back to.',
  };
}

function customInverse(request: Request): ReversalPlan {
  const draft: Draft = { ...base(request), kind: 'custom', customName: request.kind.slice('custom.'.length) };
  const { before, after, ...rest } = request.payload;
  if (isRecord(before) && isRecord(after) && Object.keys(rest).length === 0)
    return {
      draft: { ...draft, payloadText: JSON.stringify({ before: after, after: before }, null, 2) },
      note: null,
    };
  return {
    draft: { ...draft, payloadText: JSON.stringify(request.payload, null, 2) },
    note: 'This payload does not state a before and after: edit it to what undoes the original.',
  };
}

/** The reversal of an executed request, as much of it as the record allows. */
export async function planReversal(
  client: ContractClient,
  where: TenantScope,
  detail: ApprovalDetail,
  keyNameOf: (keyId: string) => string | undefined = () => undefined,
): Promise<ReversalPlan> {
  const { request } = detail;
  const start = base(request);
  switch (request.kind) {
    case 'member.role_change':
      return roleChangeInverse(client, where, detail);
    case 'audit.retention':
      return retentionInverse(client, where, detail);
    case 'api_key.create': {
      const created = (request.outcome ?? '').match(API_KEY_ID)?.[0];
      if (created) return { draft: { ...start, kind: 'api_key.revoke', keyId: created }, note: null };
      return { draft: { ...start, kind: 'api_key.revoke' }, note: 'Choose the key this request created.' };
    }
    case 'api_key.revoke': {
      const keyId = typeof request.payload.keyId === 'string' ? request.payload.keyId : '';
      const name = keyNameOf(keyId);
      return {
        draft: { ...start, kind: 'api_key.create', keyName: name ? `${name} (replacement)` : '' },
        note: 'A revoked key cannot come back: this requests a new key in its place. Choose its scopes.',
      };
    }
    case 'api_key.rotate':
      return {
        draft: start,
        note: 'A rotation cannot be undone: the old secret is gone. Choose the change that puts things right.',
      };
    case 'evidence.delete':
      return {
        draft: start,
        note: 'Deleted evidence cannot be restored: choose the change that puts things right, and attach the file again.',
      };
    case 'policy.update':
      return {
        draft: start,
        note: 'Policy changes are proposed from the Policy screen; choose another kind here, or cancel and go there.',
      };
    default:
      return request.kind.startsWith('custom.')
        ? customInverse(request)
        : { draft: start, note: 'Choose the change that undoes this request.' };
  }
}
