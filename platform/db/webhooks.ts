import type { Db } from './database';
import { TENANT_WHERE, type TenantScope, tenantParams } from './scope';

export interface WebhookRow {
  url: string;
  secret_sealed: Buffer;
}

export interface DeliveryRow {
  id: string;
  organization_id: string;
  environment: 'test' | 'live';
  request_id: string;
  body: string;
  status: 'pending' | 'delivered' | 'gave-up';
  attempts: number;
  next_attempt_at: number;
  created_at: number;
}

export interface AttemptRow {
  attempt: number;
  at: number;
  status_code: number | null;
  error: string | null;
}

export class WebhookStore {
  readonly #put;
  readonly #remove;
  readonly #get;
  readonly #enqueue;
  readonly #due;
  readonly #update;
  readonly #attempt;
  readonly #deliveries;
  readonly #attempts;

  constructor(db: Db) {
    this.#put = db.prepare<Record<string, unknown>>(
      `INSERT INTO webhooks (organization_id, environment, url, secret_sealed, created_at)
       VALUES (@organization_id, @environment, @url, @secret_sealed, @created_at)
       ON CONFLICT (organization_id, environment) DO UPDATE SET url = excluded.url, secret_sealed = excluded.secret_sealed,
         created_at = excluded.created_at`,
    );
    this.#remove = db.prepare<Record<string, unknown>>(`DELETE FROM webhooks WHERE ${TENANT_WHERE}`);
    this.#get = db.prepare<Record<string, unknown>, WebhookRow>(
      `SELECT url, secret_sealed FROM webhooks WHERE ${TENANT_WHERE}`,
    );
    this.#enqueue = db.prepare<Record<string, unknown>>(
      `INSERT INTO webhook_deliveries (id, organization_id, environment, request_id, body, status, attempts, next_attempt_at, created_at)
       VALUES (@id, @organization_id, @environment, @request_id, @body, 'pending', 0, @now, @now)`,
    );
    // The dispatcher's one read across tenants: each row names its own tenant, and is handled as its.
    this.#due = db.prepare<[number], DeliveryRow>(
      "SELECT * FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT 20",
    );
    this.#update = db.prepare<Record<string, unknown>>(
      'UPDATE webhook_deliveries SET status = @status, attempts = @attempts, next_attempt_at = @next WHERE id = @id',
    );
    this.#attempt = db.prepare<Record<string, unknown>>(
      `INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, error)
       VALUES (@delivery_id, @attempt, @at, @status_code, @error)`,
    );
    this.#deliveries = db.prepare<Record<string, unknown>, DeliveryRow>(
      `SELECT * FROM webhook_deliveries WHERE ${TENANT_WHERE} AND request_id = @request_id ORDER BY created_at`,
    );
    this.#attempts = db.prepare<[string], AttemptRow>(
      'SELECT attempt, at, status_code, error FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt',
    );
  }

  put(scope: TenantScope, url: string, secretSealed: Buffer, now: number): void {
    this.#put.run({ ...tenantParams(scope), url, secret_sealed: secretSealed, created_at: now });
  }

  remove(scope: TenantScope): void {
    this.#remove.run(tenantParams(scope));
  }

  get(scope: TenantScope): WebhookRow | undefined {
    return this.#get.get(tenantParams(scope));
  }

  enqueue(scope: TenantScope, id: string, requestId: string, body: string, now: number): void {
    this.#enqueue.run({ ...tenantParams(scope), id, request_id: requestId, body, now });
  }

  due(now: number): DeliveryRow[] {
    return this.#due.all(now);
  }

  record(
    delivery: DeliveryRow,
    attempt: AttemptRow,
    next: Pick<DeliveryRow, 'status' | 'next_attempt_at'>,
  ): void {
    this.#attempt.run({ delivery_id: delivery.id, ...attempt });
    this.#update.run({
      id: delivery.id,
      status: next.status,
      attempts: attempt.attempt,
      next: next.next_attempt_at,
    });
  }

  deliveriesFor(scope: TenantScope, requestId: string): DeliveryRow[] {
    return this.#deliveries.all({ ...tenantParams(scope), request_id: requestId });
  }

  attempts(deliveryId: string): AttemptRow[] {
    return this.#attempts.all(deliveryId);
  }
}
