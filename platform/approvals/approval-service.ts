import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { ApprovalRequest, CreateApprovalRequest, DecideRequest } from '../../shared/api/approvals';
import { decisionStatementBytes } from '../../shared/approvals/decision-statement';
import { builtInPayloads, isBuiltIn } from '../../shared/approvals/kinds';
import type { Permission } from '../../shared/domain/permissions';
import { fail, ok, type Result } from '../../shared/result';
import type { Principal } from '../access/principal';
import { type AuditContext, systemContext } from '../audit/audit-context';
import { totpSeedAad } from '../auth/sessions';
import { matchTotpStep } from '../auth/totp';
import type { PlatformContext } from '../context';
import { newId } from '../crypto/random';
import type { ApprovalRow, ListFilter } from '../db/approvals';
import { orgOf, type TenantScope } from '../db/scope';
import { toEvidenceMeta } from '../evidence/evidence-service';
import type { WebhookService } from '../webhooks/webhook-service';
import { type ApprovalSignature, toApi, verifyDeviceSignature } from './approval-view';
import { type Execution, executeBuiltIn } from './executors';
import { laneOfChange, policyOf, requiredApprovals } from './policy';

const DAY_MS = 24 * 3600 * 1000;
const CLOCK_SKEW_MS = 5 * 60 * 1000;
const MAX_CUSTOM_PAYLOAD_BYTES = 32 * 1024;
const notFound = 'Approval request not found.';

/** The permission a requester needs for each built-in kind, on top of approvals:request. */
const kindPermission: Readonly<Record<string, Permission>> = {
  'member.role_change': 'members:manage',
  'api_key.create': 'keys:manage',
  'api_key.rotate': 'keys:manage',
  'api_key.revoke': 'keys:manage',
  'audit.retention': 'policy:manage',
  'evidence.delete': 'evidence:upload',
};

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Approval-gated writes. A request proposes one write; its lane decides how many distinct people must
 * approve it; a decision is signed by the approver's device key over exactly what they saw; the write is
 * carried out in the same transaction as the approval that completes it. Every step is an audit entry.
 */
export class ApprovalService {
  constructor(
    private readonly ctx: PlatformContext,
    private readonly webhooks: WebhookService,
  ) {}

  create(
    tenant: TenantScope,
    principal: Principal,
    allows: (permission: Permission) => boolean,
    input: CreateApprovalRequest,
    context: AuditContext,
  ): Result<ApprovalRequest> {
    let payload: unknown = input.payload;
    if (isBuiltIn(input.kind)) {
      if (principal.kind !== 'user') return fail('forbidden', 'Integrations may only request custom kinds.');
      const needed = kindPermission[input.kind] as Permission;
      if (!allows(needed)) return fail('forbidden', `Requesting ${input.kind} needs ${needed}.`);
      const parsed = builtInPayloads[input.kind].safeParse(input.payload);
      if (!parsed.success) {
        return fail(
          'bad-request',
          `Invalid payload for ${input.kind}: ${parsed.error.issues[0]?.message ?? 'invalid'}.`,
        );
      }
      payload = parsed.data;
    }
    const canonical = canonicalize(payload) ?? '{}';
    if (canonical.length > MAX_CUSTOM_PAYLOAD_BYTES)
      return fail('payload-too-large', 'The payload is too large.');
    const { stores, clock } = this.ctx;
    return stores.db.transaction((): Result<ApprovalRequest> => {
      if (input.reverses) {
        const original = stores.approvals.get(tenant, input.reverses);
        if (!original) return fail('not-found', 'The request to reverse was not found.');
        if (original.status !== 'executed')
          return fail('conflict', 'Only an executed request can be reversed.');
      }
      const policy = policyOf(stores, orgOf(tenant));
      const lane = laneOfChange(policy, input.kind, tenant.environment);
      const now = clock.now();
      const row: ApprovalRow = {
        id: newId('apr'),
        kind: input.kind,
        title: input.title,
        summary: input.summary,
        payload: canonical,
        payload_sha256: sha256Hex(canonical),
        lane,
        required_approvals: requiredApprovals(policy, lane),
        status: 'pending',
        requester_type: principal.kind,
        requester_id: principal.kind === 'user' ? principal.userId : principal.keyId,
        reverses: input.reverses ?? null,
        created_at: now,
        expires_at: now + policy.expiryDays * DAY_MS,
        closed_at: null,
        outcome: null,
      };
      stores.approvals.insert(tenant, row);
      this.#record(tenant, row.id, context, 'approval.request', {
        kind: row.kind,
        title: row.title,
        lane,
        requiredApprovals: row.required_approvals,
        payloadHash: row.payload_sha256,
        reverses: row.reverses,
      });
      if (row.required_approvals === 0) this.#execute(tenant, row, context);
      return ok(this.#view(tenant, row.id));
    })();
  }

  get(tenant: TenantScope, id: string): Result<ApprovalRequest> {
    this.#expireDue(tenant, id);
    const row = this.ctx.stores.approvals.get(tenant, id);
    return row ? ok(this.#view(tenant, id)) : fail('not-found', notFound);
  }

  list(tenant: TenantScope, filter: ListFilter) {
    this.#expireDue(tenant);
    const rows = this.ctx.stores.approvals.list(tenant, { ...filter, limit: filter.limit + 1 });
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      requests: page.map((row) => {
        const { decisions: _d, ...summary } = toApi(tenant, row, []);
        return { ...summary, approvals: row.approvals };
      }),
      nextCursor: rows.length > filter.limit && last ? `${last.created_at}.${last.id}` : null,
    };
  }

  /**
   * One person's decision. Retried with the same idempotency key it returns the first result; the whole
   * check-and-count runs in one immediate transaction, so concurrent approvers never push past the count.
   */
  decide(
    tenant: TenantScope,
    requestId: string,
    approverId: string,
    input: DecideRequest,
    context: AuditContext,
  ): Result<ApprovalRequest> {
    const { stores, clock } = this.ctx;
    return stores.db
      .transaction((): Result<ApprovalRequest> => {
        const now = clock.now();
        const row = stores.approvals.get(tenant, requestId);
        if (!row) return fail('not-found', notFound);
        const replay = stores.approvals.decisionByIdempotencyKey(requestId, input.idempotencyKey);
        if (replay) {
          if (replay.approver_id !== approverId || replay.decision !== input.decision) {
            return fail('conflict', 'This idempotency key was used for another decision.');
          }
          return ok(this.#view(tenant, requestId));
        }
        if (this.#expireIfDue(tenant, row, now)) return fail('conflict', 'This request has expired.');
        if (row.status !== 'pending') return fail('conflict', `This request is already ${row.status}.`);
        if (row.requester_id === approverId) return fail('forbidden', 'You cannot decide your own request.');
        if (stores.approvals.decisions(requestId).some((d) => d.approver_id === approverId)) {
          return fail('conflict', 'You have already decided this request.');
        }
        if (input.decision === 'reject' && input.comment.trim() === '') {
          return fail('bad-request', 'A rejection needs a reason in the comment.');
        }
        const device = stores.deviceKeys.get(approverId, input.deviceKeyId);
        if (!device || device.revoked_at !== null) {
          return fail('forbidden', 'Decisions must be signed with a registered, unrevoked device key.');
        }
        const decidedAt = Date.parse(input.decidedAt);
        if (Math.abs(decidedAt - now) > CLOCK_SKEW_MS) {
          return fail('bad-request', 'The decision time is too far from the platform clock.');
        }
        // Rebuilt from the platform's own records: a signature over another payload or evidence cannot match.
        const statement = {
          requestId,
          decision: input.decision,
          payloadHash: row.payload_sha256,
          evidenceHashes: stores.evidence.forRequest(tenant, requestId).map((e) => e.sha256),
          commentHash: sha256Hex(input.comment),
          decidedAt: input.decidedAt,
        };
        const signed = decisionStatementBytes(statement);
        if (!verifyDeviceSignature(device.public_key, signed, input.signature)) {
          return fail('forbidden', 'The signature does not match this decision.');
        }
        if (
          row.lane === 'red' &&
          input.decision === 'approve' &&
          !this.#stepUp(approverId, input.totp, now)
        ) {
          return fail('forbidden', 'A red-lane approval needs a fresh one-time code.');
        }
        stores.approvals.insertDecision({
          request_id: requestId,
          approver_id: approverId,
          decision: input.decision,
          comment: input.comment,
          device_key_id: device.id,
          signed: Buffer.from(signed).toString('utf8'),
          signature: input.signature,
          idempotency_key: input.idempotencyKey,
          decided_at: decidedAt,
        });
        this.#record(
          tenant,
          requestId,
          context,
          'approval.decide',
          { statement, publicKey: device.public_key.toString('base64'), comment: input.comment },
          { keyId: device.id, algorithm: 'Ed25519', value: input.signature, payloadHash: row.payload_sha256 },
        );
        if (input.decision === 'reject') {
          stores.approvals.close(tenant, requestId, 'rejected', now, input.comment);
          this.#record(tenant, requestId, context, 'approval.reject', {
            status: 'rejected',
            reason: input.comment,
          });
        } else {
          const approvals = stores.approvals
            .decisions(requestId)
            .filter((d) => d.decision === 'approve').length;
          if (approvals >= row.required_approvals) this.#execute(tenant, row, context);
        }
        return ok(this.#view(tenant, requestId));
      })
      .immediate();
  }

  withdraw(
    tenant: TenantScope,
    requestId: string,
    requesterId: string,
    context: AuditContext,
  ): Result<ApprovalRequest> {
    const { stores, clock } = this.ctx;
    return stores.db
      .transaction((): Result<ApprovalRequest> => {
        const row = stores.approvals.get(tenant, requestId);
        if (!row) return fail('not-found', notFound);
        if (row.requester_id !== requesterId)
          return fail('forbidden', 'Only the requester can withdraw a request.');
        if (this.#expireIfDue(tenant, row, clock.now())) return fail('conflict', 'This request has expired.');
        if (
          !stores.approvals.close(tenant, requestId, 'withdrawn', clock.now(), 'withdrawn by the requester')
        ) {
          return fail('conflict', `This request is already ${row.status}.`);
        }
        this.#record(tenant, requestId, context, 'approval.withdraw', { status: 'withdrawn' });
        return ok(this.#view(tenant, requestId));
      })
      .immediate();
  }

  comment(
    tenant: TenantScope,
    requestId: string,
    authorId: string,
    body: string,
    context: AuditContext,
  ): Result<ApprovalRequest> {
    const { stores, clock } = this.ctx;
    return stores.db.transaction((): Result<ApprovalRequest> => {
      if (!stores.approvals.get(tenant, requestId)) return fail('not-found', notFound);
      const id = newId('cmt');
      stores.approvals.insertComment(id, requestId, authorId, body, clock.now());
      this.#record(tenant, requestId, context, 'approval.comment', { commentId: id, body });
      return ok(this.#view(tenant, requestId));
    })();
  }

  /** What the execution produced for the requester (a new key's secret), handed out once. */
  result(tenant: TenantScope, requestId: string, requesterId: string): Result<{ secret: string | null }> {
    const { stores, clock, sealedBox } = this.ctx;
    const row = stores.approvals.get(tenant, requestId);
    if (!row) return fail('not-found', notFound);
    if (row.requester_id !== requesterId)
      return fail('forbidden', 'Only the requester can collect the result.');
    const sealed = stores.approvals.takeResult(requestId, clock.now());
    if (!sealed) return ok({ secret: null });
    return ok({ secret: sealedBox.open(sealed, `approval-result:${requestId}`).toString('utf8') });
  }

  /** The request's history, in order, from its audit entries. */
  timeline(tenant: TenantScope, requestId: string) {
    if (!this.ctx.stores.approvals.get(tenant, requestId)) return fail('not-found', notFound);
    const page = this.ctx.audit.page(
      tenant,
      { resourceType: 'approval_request', resourceId: requestId },
      undefined,
      500,
    );
    return ok({
      events: page.entries
        .reverse()
        .map((e) => ({ seq: e.seq, ts: e.ts, action: e.action, actor: e.actor, change: e.change })),
    });
  }

  #stepUp(userId: string, code: string | undefined, now: number): boolean {
    const user = this.ctx.stores.users.findById(userId);
    if (!code || !user) return false;
    const seed = this.ctx.sealedBox.open(user.totp_seed_sealed, totpSeedAad(user.id));
    const step = matchTotpStep(seed, code, now);
    return step !== undefined && this.ctx.stores.users.claimTotpStep(user.id, step);
  }

  /** Closes a pending request past its expiry; true when it did. */
  #expireIfDue(tenant: TenantScope, row: ApprovalRow, now: number): boolean {
    if (row.status !== 'pending' || row.expires_at > now) return false;
    if (!this.ctx.stores.approvals.close(tenant, row.id, 'expired', now, 'expired without enough approvals'))
      return false;
    this.#record(tenant, row.id, systemContext, 'approval.expire', { status: 'expired' });
    return true;
  }

  #record(
    tenant: TenantScope,
    requestId: string,
    context: AuditContext,
    action: string,
    after: unknown,
    signature?: ApprovalSignature,
  ) {
    this.ctx.auditLog.append(tenant, context, {
      action,
      resource: { type: 'approval_request', id: requestId },
      change: { before: null, after },
      ...(signature ? { signature } : {}),
    });
  }

  #execute(tenant: TenantScope, row: ApprovalRow, context: AuditContext): void {
    const { stores, clock, sealedBox } = this.ctx;
    let execution: Result<Execution>;
    if (isBuiltIn(row.kind)) {
      execution = executeBuiltIn(
        this.ctx,
        tenant,
        row.kind,
        JSON.parse(row.payload),
        { userId: row.requester_id },
        context,
      );
    } else {
      // Custom kinds are carried out by the integration, told by its webhook (delivered after commit).
      this.webhooks.enqueue(tenant, row);
      execution = ok({ outcome: 'handed to the integration' });
    }
    const status = execution.ok ? 'executed' : 'failed';
    const outcome = execution.ok ? execution.value.outcome : execution.error.message;
    stores.approvals.close(tenant, row.id, status, clock.now(), outcome);
    if (execution.ok && execution.value.secret) {
      stores.approvals.putResult(
        row.id,
        sealedBox.seal(Buffer.from(execution.value.secret), `approval-result:${row.id}`),
      );
    }
    this.#record(tenant, row.id, context, status === 'executed' ? 'approval.execute' : 'approval.fail', {
      status,
      outcome,
    });
  }

  /** Lazily closes expired requests: one (on read) or all of the tenant's due ones (before a listing). */
  #expireDue(tenant: TenantScope, id?: string): void {
    const { stores, clock } = this.ctx;
    const now = clock.now();
    const rows = id ? [stores.approvals.get(tenant, id)] : stores.approvals.dueForExpiry(tenant, now);
    const due = rows.filter(
      (row): row is ApprovalRow => row !== undefined && row.status === 'pending' && row.expires_at <= now,
    );
    if (due.length === 0) return;
    stores.db.transaction(() => {
      for (const row of due) this.#expireIfDue(tenant, row, now);
    })();
  }

  #view(tenant: TenantScope, id: string): ApprovalRequest {
    const row = this.ctx.stores.approvals.get(tenant, id) as ApprovalRow;
    const evidence = this.ctx.stores.evidence.forRequest(tenant, id).map(toEvidenceMeta);
    return { ...toApi(tenant, row, this.ctx.stores.approvals.decisions(id)), evidence };
  }
}
