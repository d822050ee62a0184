import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import canonicalize from 'canonicalize';
import { ok, type Result } from '../../shared/result';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../shared/webhooks/signature';
import type { AuditContext } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import { newId, newSecret } from '../crypto/random';
import type { ApprovalRow } from '../db/approvals';
import { orgScope, type TenantScope, tenantScope } from '../db/scope';
import { signWebhook } from './signature';
import { checkTargetUrl, publicOnlyLookup, type WebhookTargetRules } from './webhook-target';

export const MAX_ATTEMPTS = 8;
const MAX_BACKOFF_MS = 3600_000;
const TIMEOUT_MS = 5000;
/**
 * How long a claimed delivery is this process's to send (longer than a send can take): past it, another
 * process may claim it again, as it must if this one died.
 */
const CLAIM_LEASE_MS = 60_000;

function sealAad(tenant: TenantScope): string {
  return `webhook-secret:${tenant.organizationId}:${tenant.environment}`;
}

/**
 * Sets (or, with null, removes) where an environment's executed custom writes are sent, with a new signing
 * secret. Called only by an executed `policy.update` request, inside its transaction; the secret goes to the
 * requester once, through the request's result.
 */
export async function configureWebhook(
  ctx: PlatformContext,
  tenant: TenantScope,
  url: string | null,
  context: AuditContext,
): Promise<Result<{ secret: string | null }>> {
  const { stores, sealedBox, clock, auditLog } = ctx;
  const before = (await stores.webhooks.get(tenant))?.url ?? null;
  if (url === null) {
    await stores.webhooks.remove(tenant);
  } else {
    const checked = checkTargetUrl(url, ctx.webhookTargets);
    if (!checked.ok) return checked;
  }
  const secret = url === null ? null : `whsec_${newSecret()}`;
  if (url !== null && secret !== null) {
    await stores.webhooks.put(tenant, url, sealedBox.seal(Buffer.from(secret), sealAad(tenant)), clock.now());
  }
  await auditLog.append(tenant, context, {
    action: 'webhook.configure',
    resource: { type: 'webhook', id: `${tenant.organizationSlug}/${tenant.environment}` },
    change: { before: { url: before }, after: { url } },
  });
  return ok({ secret });
}

/**
 * Tells integrations to carry out approved custom requests: signed deliveries, retried with exponential
 * backoff, each attempt recorded. Deliveries are queued in the approval's transaction and sent after it.
 */
export class WebhookService {
  #timer: NodeJS.Timeout | undefined;
  /** The run in progress, which `stop` waits for: the database must outlive every statement it sends. */
  #run: Promise<void> | undefined;
  #stopped = false;

  constructor(
    private readonly ctx: PlatformContext,
    private readonly retryBaseMs = 1000,
  ) {}

  /** Called inside the transaction that executed the request; the delivery goes out once it commits. */
  async enqueue(tenant: TenantScope, request: ApprovalRow): Promise<void> {
    const id = newId('whd');
    const decisions = await this.ctx.stores.approvals.decisions(tenant, request.id);
    const body = canonicalize({
      event: 'approval.executed',
      deliveryId: id,
      organization: tenant.organizationSlug,
      environment: tenant.environment,
      request: {
        id: request.id,
        kind: request.kind,
        title: request.title,
        payload: JSON.parse(request.payload),
        payloadHash: request.payload_sha256,
        approvers: decisions.filter((d) => d.decision === 'approve').map((d) => d.approver_id),
      },
    }) as string;
    await this.ctx.stores.webhooks.enqueue(tenant, id, request.id, body, this.ctx.clock.now());
    // Never from inside the transaction: a rolled-back execution must not have been announced.
    this.ctx.stores.db.afterCommit(() => setImmediate(() => this.#poll()));
  }

  start(pollMs = 1000): void {
    this.#timer = setInterval(() => this.#poll(), pollMs);
    this.#timer.unref();
  }

  /**
   * A run in the background. One that fails (the database unreachable, say) is tried again at the next
   * poll: what it claimed comes due again when the claim's lease runs out, and nothing half-recorded was
   * committed. It must not reject unhandled: that would end the process, and the outage with it every
   * other request this instance could still answer once the database is back.
   */
  #poll(): void {
    this.deliverDue().catch(() => undefined);
  }

  /** No run starts after this; the one in progress (if any) is finished when it resolves. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#run;
  }

  /** Sends every delivery that is due; one run at a time. */
  deliverDue(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    this.#run ??= this.#deliver().finally(() => {
      this.#run = undefined;
    });
    return this.#run;
  }

  async #deliver(): Promise<void> {
    for (const delivery of await this.ctx.stores.webhooks.claimDue(this.ctx.clock.now(), CLAIM_LEASE_MS)) {
      const org = await this.ctx.stores.organizations.findById(delivery.organization_id);
      if (!org) continue;
      const tenant = tenantScope(orgScope(org.id, org.slug), delivery.environment);
      const hook = await this.ctx.stores.webhooks.get(tenant);
      let statusCode: number | null = null;
      let error: string | null = null;
      if (!hook) {
        error = 'no webhook configured';
      } else {
        const secret = this.ctx.sealedBox.open(hook.secret_sealed, sealAad(tenant)).toString('utf8');
        const timestamp = Math.floor(this.ctx.clock.now() / 1000);
        const sent = await post(hook.url, delivery.body, this.ctx.webhookTargets, {
          'content-type': 'application/json',
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(secret, timestamp, delivery.body),
        });
        statusCode = sent.statusCode;
        error = sent.error;
      }
      const attempt = delivery.attempts + 1;
      const delivered = statusCode !== null && statusCode >= 200 && statusCode < 300;
      const now = this.ctx.clock.now();
      const backoff = Math.min(MAX_BACKOFF_MS, this.retryBaseMs * 2 ** (attempt - 1));
      await this.ctx.stores.webhooks.record(
        tenant,
        delivery,
        { attempt, at: now, status_code: statusCode, error },
        {
          status: delivered ? 'delivered' : attempt >= MAX_ATTEMPTS ? 'gave-up' : 'pending',
          next_attempt_at: now + backoff,
        },
      );
    }
  }
}

/**
 * One delivery attempt. The target is checked again here, on the address the socket connects to; a
 * redirect is never followed (any 3xx is a failed attempt); the reply's body is not read.
 */
function post(
  target: string,
  body: string,
  rules: WebhookTargetRules,
  headers: Record<string, string>,
): Promise<{ statusCode: number | null; error: string | null }> {
  const url = checkTargetUrl(target, rules);
  if (!url.ok) return Promise.resolve({ statusCode: null, error: 'target refused' });
  const send = url.value.protocol === 'https:' ? httpsRequest : httpRequest;
  const lookup = publicOnlyLookup(rules);
  return new Promise((resolve) => {
    const outgoing = send(
      url.value,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        timeout: TIMEOUT_MS,
        ...(lookup ? { lookup } : {}),
      },
      (reply) => {
        reply.resume();
        resolve({ statusCode: reply.statusCode ?? null, error: null });
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
    outgoing.on('error', (cause: NodeJS.ErrnoException) =>
      resolve({
        statusCode: null,
        error: cause.code === 'ETARGETREFUSED' ? 'target refused' : 'request failed',
      }),
    );
    outgoing.end(body);
  });
}
