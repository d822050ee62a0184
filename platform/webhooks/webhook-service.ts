import canonicalize from 'canonicalize';
import { fail, ok, type Result } from '../../shared/result';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../shared/webhooks/signature';
import type { AuditContext } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import { newId, newSecret } from '../crypto/random';
import type { ApprovalRow } from '../db/approvals';
import { orgScope, type TenantScope, tenantScope } from '../db/scope';
import { signWebhook } from './signature';

export const MAX_ATTEMPTS = 8;
const MAX_BACKOFF_MS = 3600_000;
const TIMEOUT_MS = 5000;

function sealAad(tenant: TenantScope): string {
  return `webhook-secret:${tenant.organizationId}:${tenant.environment}`;
}

/** Only https, except to this machine itself (development and tests). */
export function acceptableWebhookUrl(text: string): boolean {
  try {
    const url = new URL(text);
    if (url.username || url.password) return false;
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
  } catch {
    return false;
  }
}

/**
 * Tells integrations to carry out approved custom requests: signed deliveries, retried with exponential
 * backoff, each attempt recorded. Deliveries are queued in the approval's transaction and sent after it.
 */
export class WebhookService {
  #timer: NodeJS.Timeout | undefined;
  #running = false;

  constructor(
    private readonly ctx: PlatformContext,
    private readonly retryBaseMs = 1000,
  ) {}

  configure(
    tenant: TenantScope,
    url: string,
    context: AuditContext,
  ): Result<{ url: string; secret: string }> {
    if (!acceptableWebhookUrl(url))
      return fail('bad-request', 'A webhook URL must be https (http only to this machine).');
    const { stores, sealedBox, clock, auditLog } = this.ctx;
    const secret = `whsec_${newSecret()}`;
    stores.db.transaction(() => {
      stores.webhooks.put(tenant, url, sealedBox.seal(Buffer.from(secret), sealAad(tenant)), clock.now());
      auditLog.append(tenant, context, {
        action: 'webhook.configure',
        resource: { type: 'webhook', id: `${tenant.organizationSlug}/${tenant.environment}` },
        change: { before: null, after: { url } },
      });
    })();
    return ok({ url, secret });
  }

  /** Called inside the transaction that executed the request. */
  enqueue(tenant: TenantScope, request: ApprovalRow): void {
    const id = newId('whd');
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
        approvers: this.ctx.stores.approvals
          .decisions(request.id)
          .filter((d) => d.decision === 'approve')
          .map((d) => d.approver_id),
      },
    }) as string;
    this.ctx.stores.webhooks.enqueue(tenant, id, request.id, body, this.ctx.clock.now());
    setImmediate(() => void this.deliverDue());
  }

  start(pollMs = 1000): void {
    this.#timer = setInterval(() => void this.deliverDue(), pollMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }

  /** Sends every delivery that is due; one run at a time. */
  async deliverDue(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      for (const delivery of this.ctx.stores.webhooks.due(this.ctx.clock.now())) {
        const org = this.ctx.stores.organizations.findById(delivery.organization_id);
        if (!org) continue;
        const tenant = tenantScope(orgScope(org.id, org.slug), delivery.environment);
        const hook = this.ctx.stores.webhooks.get(tenant);
        let statusCode: number | null = null;
        let error: string | null = null;
        if (!hook) {
          error = 'no webhook configured';
        } else {
          const secret = this.ctx.sealedBox.open(hook.secret_sealed, sealAad(tenant)).toString('utf8');
          const timestamp = Math.floor(this.ctx.clock.now() / 1000);
          try {
            const response = await fetch(hook.url, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                [TIMESTAMP_HEADER]: String(timestamp),
                [SIGNATURE_HEADER]: signWebhook(secret, timestamp, delivery.body),
              },
              body: delivery.body,
              redirect: 'manual',
              signal: AbortSignal.timeout(TIMEOUT_MS),
            });
            statusCode = response.status;
            await response.body?.cancel();
          } catch (cause) {
            error = cause instanceof Error ? cause.name : 'request failed';
          }
        }
        const attempt = delivery.attempts + 1;
        const delivered = statusCode !== null && statusCode >= 200 && statusCode < 300;
        const now = this.ctx.clock.now();
        const backoff = Math.min(MAX_BACKOFF_MS, this.retryBaseMs * 2 ** (attempt - 1));
        this.ctx.stores.webhooks.record(
          delivery,
          { attempt, at: now, status_code: statusCode, error },
          {
            status: delivered ? 'delivered' : attempt >= MAX_ATTEMPTS ? 'gave-up' : 'pending',
            next_attempt_at: now + backoff,
          },
        );
      }
    } finally {
      this.#running = false;
    }
  }
}
