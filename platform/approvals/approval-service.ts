import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { ApprovalRequest, CreateApprovalRequest, DecideRequest } from '../../shared/api/approvals';
import { decisionStatementBytes } from '../../shared/approvals/decision-statement';
import { builtInPayloads, isBuiltIn, kindPermission } from '../../shared/approvals/kinds';
import { laneOfChange, requiredApprovals } from '../../shared/approvals/lanes';
import type { Permission } from '../../shared/domain/permissions';
import { fail, ok, type Result } from '../../shared/result';
import { refusedStringPath } from '../../shared/text/free-text';
import { type Principal, personOf } from '../access/principal';
import { type AuditContext, systemContext } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import { newId } from '../crypto/random';
import type { ApprovalRecord, ApprovalRow, ListFilter } from '../db/approvals';
import { orgOf, type TenantScope } from '../db/scope';
import { toEvidenceMeta } from '../evidence/evidence-service';
import type { WebhookService } from '../webhooks/webhook-service';
import { executeRequest, recordApprovalEvent } from './approval-execution';
import { toApi, verifyDeviceSignature } from './approval-view';
import { attachableEvidence, attachEvidence } from './attached-evidence';
import { policyOf } from './policy';
import { precheck } from './prechecks';
import { StepUp } from './step-up';

const DAY_MS = 24 * 3600 * 1000;
const CLOCK_SKEW_MS = 5 * 60 * 1000;
const MAX_CUSTOM_PAYLOAD_BYTES = 32 * 1024;
const notFound = 'Approval request not found.';

/** Why a decision was refused, as the audit entry of the attempt records it. */
type Refusal = 'own-request' | 'already-decided' | 'device-key' | 'bad-signature' | 'not-a-person';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Approval-gated writes. A request proposes one write; its lane decides how many distinct people must
 * approve it; a decision is signed by the approver's device key over exactly what they saw; the write is
 * carried out in the same transaction as the approval that completes it. Every step is an audit entry.
 */
export class ApprovalService {
  readonly #stepUp: StepUp;

  constructor(
    private readonly ctx: PlatformContext,
    private readonly webhooks: WebhookService,
  ) {
    this.#stepUp = new StepUp(ctx);
  }

  async create(
    tenant: TenantScope,
    principal: Principal,
    allows: (permission: Permission) => boolean,
    input: CreateApprovalRequest,
    context: AuditContext,
    /** Set when an access review's decision raises the request: the request names its item. */
    reviewItem?: { readonly campaignId: string; readonly itemId: string },
  ): Promise<Result<ApprovalRequest>> {
    let payload: unknown = input.payload;
    if (isBuiltIn(input.kind)) {
      if (principal.kind !== 'user') return fail('forbidden', 'Integrations may only request custom kinds.');
      const needed = kindPermission[input.kind];
      if (!allows(needed)) return fail('forbidden', `Requesting ${input.kind} needs ${needed}.`);
      const parsed = builtInPayloads[input.kind].safeParse(input.payload);
      if (!parsed.success) {
        return fail(
          'bad-request',
          `Invalid payload for ${input.kind}: ${parsed.error.issues[0]?.message ?? 'invalid'}.`,
        );
      }
      payload = parsed.data;
      const checked = await precheck(this.ctx, tenant, principal.userId, input.kind, parsed.data);
      if (!checked.ok) return checked;
    }
    const refused = refusedStringPath(payload);
    if (refused !== undefined) {
      return fail(
        'bad-request',
        `Invalid request. body.payload${refused}: Must not contain control characters or bidirectional formatting characters.`,
      );
    }
    const canonical = canonicalize(payload) ?? '{}';
    if (canonical.length > MAX_CUSTOM_PAYLOAD_BYTES)
      return fail('payload-too-large', 'The payload is too large.');
    const { stores, clock } = this.ctx;
    return stores.db.inTenant(tenant, async (): Promise<Result<ApprovalRequest>> => {
      if (input.reverses) {
        const original = await stores.approvals.get(tenant, input.reverses);
        if (!original) return fail('not-found', 'The request to reverse was not found.');
        if (original.status !== 'executed')
          return fail('conflict', 'Only an executed request can be reversed.');
      }
      // Checked before anything is written: a refused result below would not undo a write.
      const evidence = await attachableEvidence(this.ctx, tenant, principal, input.evidenceIds ?? []);
      if (!evidence.ok) return evidence;
      const policy = await policyOf(stores, orgOf(tenant));
      // The payload counts too: a grant of owner or admin is red whatever the kind's lane.
      const lane = laneOfChange(policy, input.kind, tenant.environment, payload);
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
        requester_person_id: personOf(principal),
        reverses: input.reverses ?? null,
        created_at: now,
        expires_at: now + policy.expiryDays * DAY_MS,
        closed_at: null,
        outcome: null,
      };
      await stores.approvals.insert(tenant, row);
      // Bound before the request can be decided (or, in the green lane, executed just below).
      const attached = await attachEvidence(this.ctx, tenant, row.id, evidence.value, now);
      await recordApprovalEvent(this.ctx, tenant, row.id, context, 'approval.request', {
        kind: row.kind,
        title: row.title,
        lane,
        requiredApprovals: row.required_approvals,
        payloadHash: row.payload_sha256,
        reverses: row.reverses,
        ...(attached.length > 0 ? { evidence: attached } : {}),
        ...(reviewItem ? { reviewItem } : {}),
      });
      if (row.required_approvals === 0)
        await executeRequest(this.ctx, this.webhooks, tenant, row, context, reviewItem !== undefined);
      return ok(await this.#view(tenant, row.id));
    });
  }

  async get(tenant: TenantScope, id: string): Promise<Result<ApprovalRequest>> {
    await this.#expireDue(tenant, id);
    const row = await this.ctx.stores.approvals.get(tenant, id);
    return row ? ok(await this.#view(tenant, id)) : fail('not-found', notFound);
  }

  async list(tenant: TenantScope, filter: ListFilter) {
    await this.#expireDue(tenant);
    const rows = await this.ctx.stores.approvals.list(tenant, { ...filter, limit: filter.limit + 1 });
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
   * check-and-count runs in one transaction that holds the request (lockRequest), so concurrent approvers
   * never push past the count.
   */
  decide(
    tenant: TenantScope,
    requestId: string,
    approverId: string,
    input: DecideRequest,
    context: AuditContext,
  ): Promise<Result<ApprovalRequest>> {
    const { stores, clock } = this.ctx;
    return stores.db.inTenant(tenant, async (): Promise<Result<ApprovalRequest>> => {
      await stores.db.lockRequest(tenant, requestId);
      const now = clock.now();
      const row = await stores.approvals.get(tenant, requestId);
      if (!row) return fail('not-found', notFound);
      const replay = await stores.approvals.decisionByIdempotencyKey(tenant, requestId, input.idempotencyKey);
      if (replay) {
        if (replay.approver_id !== approverId || replay.decision !== input.decision) {
          return fail('conflict', 'This idempotency key was used for another decision.');
        }
        return ok(await this.#view(tenant, requestId));
      }
      if (await this.#expireIfDue(tenant, row, now)) return fail('conflict', 'This request has expired.');
      if (row.status !== 'pending') return fail('conflict', `This request is already ${row.status}.`);
      const refuse = (reason: Refusal, code: 'forbidden' | 'conflict', message: string) =>
        this.#refuse(tenant, requestId, context, reason, code, message);
      if (row.requester_person_id === approverId) {
        return refuse(
          'own-request',
          'forbidden',
          'You cannot decide a request you raised, yourself or through one of your API keys.',
        );
      }
      if ((await stores.approvals.decisions(tenant, requestId)).some((d) => d.approver_id === approverId)) {
        return refuse(
          'already-decided',
          'conflict',
          'You have already decided this request; another device of yours does not count again.',
        );
      }
      if (input.decision === 'reject' && input.comment.trim() === '') {
        return fail('bad-request', 'A rejection needs a reason in the comment.');
      }
      const device = await stores.deviceKeys.get(approverId, input.deviceKeyId);
      if (!device || device.revoked_at !== null) {
        return refuse(
          'device-key',
          'forbidden',
          'Decisions must be signed with a registered, unrevoked device key.',
        );
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
        evidenceHashes: (await stores.evidence.forRequest(tenant, requestId)).map((e) => e.sha256),
        commentHash: sha256Hex(input.comment),
        decidedAt: input.decidedAt,
      };
      const signed = decisionStatementBytes(statement);
      if (!verifyDeviceSignature(device.public_key, signed, input.signature)) {
        return refuse('bad-signature', 'forbidden', 'The signature does not match this decision.');
      }
      if (row.lane === 'red' && input.decision === 'approve') {
        const stepUp = await this.#stepUp.verify(
          tenant,
          requestId,
          approverId,
          device.id,
          input.totp,
          context,
        );
        if (!stepUp.ok) return stepUp;
      }
      await stores.approvals.insertDecision(tenant, {
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
      // Last use of the device key: a decision was signed with it.
      await stores.deviceKeys.touch(approverId, device.id, now);
      await recordApprovalEvent(
        this.ctx,
        tenant,
        requestId,
        context,
        'approval.decide',
        { statement, publicKey: device.public_key.toString('base64'), comment: input.comment },
        { keyId: device.id, algorithm: 'Ed25519', value: input.signature, payloadHash: row.payload_sha256 },
      );
      if (input.decision === 'reject') {
        await stores.approvals.close(tenant, requestId, 'rejected', now, input.comment);
        await recordApprovalEvent(this.ctx, tenant, requestId, context, 'approval.reject', {
          status: 'rejected',
          reason: input.comment,
        });
      } else {
        const approvals = (await stores.approvals.decisions(tenant, requestId)).filter(
          (d) => d.decision === 'approve',
        ).length;
        if (approvals >= row.required_approvals)
          await executeRequest(this.ctx, this.webhooks, tenant, row, context);
      }
      return ok(await this.#view(tenant, requestId));
    });
  }

  /** An API key asked to decide: keys never decide, whatever their scopes; the attempt is recorded. */
  refuseCredential(
    tenant: TenantScope,
    requestId: string,
    context: AuditContext,
  ): Promise<Result<ApprovalRequest>> {
    const { stores } = this.ctx;
    return stores.db.inTenant(tenant, async (): Promise<Result<ApprovalRequest>> => {
      if (!(await stores.approvals.get(tenant, requestId))) return fail('not-found', notFound);
      return this.#refuse(
        tenant,
        requestId,
        context,
        'not-a-person',
        'forbidden',
        'Decisions are made by people, signed on their device; an API key cannot decide.',
      );
    });
  }

  /** The requester withdraws: the credential that raised it, or the person accountable for it. */
  withdraw(
    tenant: TenantScope,
    requestId: string,
    principal: Principal,
    context: AuditContext,
  ): Promise<Result<ApprovalRequest>> {
    const { stores, clock } = this.ctx;
    return stores.db.inTenant(tenant, async (): Promise<Result<ApprovalRequest>> => {
      await stores.db.lockRequest(tenant, requestId);
      const row = await stores.approvals.get(tenant, requestId);
      if (!row) return fail('not-found', notFound);
      const raisedIt =
        row.requester_id === (principal.kind === 'user' ? principal.userId : principal.keyId) ||
        (principal.kind === 'user' && row.requester_person_id === principal.userId);
      if (!raisedIt) return fail('forbidden', 'Only the requester can withdraw a request.');
      if (await this.#expireIfDue(tenant, row, clock.now()))
        return fail('conflict', 'This request has expired.');
      if (
        !(await stores.approvals.close(
          tenant,
          requestId,
          'withdrawn',
          clock.now(),
          'withdrawn by the requester',
        ))
      ) {
        return fail('conflict', `This request is already ${row.status}.`);
      }
      await recordApprovalEvent(this.ctx, tenant, requestId, context, 'approval.withdraw', {
        status: 'withdrawn',
      });
      return ok(await this.#view(tenant, requestId));
    });
  }

  comment(
    tenant: TenantScope,
    requestId: string,
    authorId: string,
    body: string,
    context: AuditContext,
  ): Promise<Result<ApprovalRequest>> {
    const { stores, clock } = this.ctx;
    return stores.db.inTenant(tenant, async (): Promise<Result<ApprovalRequest>> => {
      if (!(await stores.approvals.get(tenant, requestId))) return fail('not-found', notFound);
      const id = newId('cmt');
      await stores.approvals.insertComment(tenant, id, requestId, authorId, body, clock.now());
      await recordApprovalEvent(this.ctx, tenant, requestId, context, 'approval.comment', {
        commentId: id,
        body,
      });
      return ok(await this.#view(tenant, requestId));
    });
  }

  /** What the execution produced for the requester (a new key's secret), handed out once. */
  async result(
    tenant: TenantScope,
    requestId: string,
    requesterId: string,
  ): Promise<Result<{ secret: string | null; kind: string }>> {
    const { stores, clock, sealedBox } = this.ctx;
    const row = await stores.approvals.get(tenant, requestId);
    if (!row) return fail('not-found', notFound);
    if (row.requester_id !== requesterId)
      return fail('forbidden', 'Only the requester can collect the result.');
    const sealed = await stores.approvals.takeResult(tenant, requestId, clock.now());
    if (!sealed) return ok({ secret: null, kind: row.kind });
    const secret = sealedBox.open(sealed, `approval-result:${requestId}`).toString('utf8');
    return ok({ secret, kind: row.kind });
  }

  /** The request's history, in order, from its audit entries. */
  async timeline(tenant: TenantScope, requestId: string) {
    if (!(await this.ctx.stores.approvals.get(tenant, requestId))) return fail('not-found', notFound);
    const page = await this.ctx.audit.page(
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

  async #refuse(
    tenant: TenantScope,
    requestId: string,
    context: AuditContext,
    reason: Refusal,
    code: 'forbidden' | 'conflict',
    message: string,
  ): Promise<Result<never>> {
    await this.ctx.auditLog.append(tenant, context, {
      action: 'approval.decide_refused',
      resource: { type: 'approval_request', id: requestId },
      change: { before: null, after: { reason } },
      outcome: 'failure',
    });
    return fail(code, message);
  }

  /** Closes a pending request past its expiry; true when it did. */
  async #expireIfDue(tenant: TenantScope, row: ApprovalRow, now: number): Promise<boolean> {
    if (row.status !== 'pending' || row.expires_at > now) return false;
    const closed = await this.ctx.stores.approvals.close(
      tenant,
      row.id,
      'expired',
      now,
      'expired without enough approvals',
    );
    if (!closed) return false;
    await recordApprovalEvent(this.ctx, tenant, row.id, systemContext, 'approval.expire', {
      status: 'expired',
    });
    return true;
  }

  /** Lazily closes expired requests: one (on read) or all of the tenant's due ones (before a listing). */
  async #expireDue(tenant: TenantScope, id?: string): Promise<void> {
    const { stores, clock } = this.ctx;
    const now = clock.now();
    const rows = id
      ? [await stores.approvals.get(tenant, id)]
      : await stores.approvals.dueForExpiry(tenant, now);
    const due = rows.filter(
      (row): row is ApprovalRow => row !== undefined && row.status === 'pending' && row.expires_at <= now,
    );
    if (due.length === 0) return;
    await stores.db.inTenant(tenant, async () => {
      for (const row of due) await this.#expireIfDue(tenant, row, now);
    });
  }

  async #view(tenant: TenantScope, id: string): Promise<ApprovalRequest> {
    const { approvals, evidence } = this.ctx.stores;
    const row = (await approvals.get(tenant, id)) as ApprovalRecord;
    const files = (await evidence.forRequest(tenant, id)).map(toEvidenceMeta);
    return { ...toApi(tenant, row, await approvals.decisions(tenant, id)), evidence: files };
  }
}
