import type { Database } from './database';
import { type TenantScope, tenantColumns, tenantFilter } from './scope';
import type { WebhookAttemptsTable, WebhookDeliveriesTable } from './tables';

export interface WebhookRow {
  url: string;
  secret_sealed: Buffer;
}

export type DeliveryRow = WebhookDeliveriesTable;

export type AttemptRow = Omit<WebhookAttemptsTable, 'delivery_id' | 'organization_id' | 'environment'>;

export class WebhookStore {
  constructor(private readonly db: Database) {}

  async put(scope: TenantScope, url: string, secretSealed: Buffer, now: number): Promise<void> {
    await this.db.tenant(scope, (q) =>
      q
        .insertInto('webhooks')
        .values({ ...tenantColumns(scope), url, secret_sealed: secretSealed, created_at: now })
        .onConflict((oc) =>
          oc.columns(['organization_id', 'environment']).doUpdateSet((eb) => ({
            url: eb.ref('excluded.url'),
            secret_sealed: eb.ref('excluded.secret_sealed'),
            created_at: eb.ref('excluded.created_at'),
          })),
        )
        .execute(),
    );
  }

  async remove(scope: TenantScope): Promise<void> {
    await this.db.tenant(scope, (q) => q.deleteFrom('webhooks').where(tenantFilter(scope)).execute());
  }

  get(scope: TenantScope): Promise<WebhookRow | undefined> {
    return this.db.tenant(scope, (q) =>
      q.selectFrom('webhooks').select(['url', 'secret_sealed']).where(tenantFilter(scope)).executeTakeFirst(),
    );
  }

  async enqueue(scope: TenantScope, id: string, requestId: string, body: string, now: number): Promise<void> {
    await this.db.tenant(scope, (q) =>
      q
        .insertInto('webhook_deliveries')
        .values({
          id,
          ...tenantColumns(scope),
          request_id: requestId,
          body,
          status: 'pending',
          attempts: 0,
          next_attempt_at: now,
          created_at: now,
        })
        .execute(),
    );
  }

  /** Deliveries due by `now`, across tenants, without claiming them (to watch the queue). */
  due(now: number): Promise<DeliveryRow[]> {
    return this.db.platform((q) =>
      q
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .limit(20)
        .execute(),
    );
  }

  /**
   * The dispatcher's one read across tenants (each row names its own tenant, and is handled as its): claims
   * up to 20 due deliveries for this process by moving their next attempt `leaseMs` on, so no other process
   * sends them meanwhile. On PostgreSQL the rows are read FOR UPDATE SKIP LOCKED: two processes claiming at
   * once take different rows rather than waiting on each other. A process that dies holding a claim leaves
   * the delivery due again once the lease has run out.
   */
  claimDue(now: number, leaseMs: number): Promise<DeliveryRow[]> {
    return this.db.transaction(() =>
      this.db.platform(async (q) => {
        const due = q
          .selectFrom('webhook_deliveries')
          .selectAll()
          .where('status', '=', 'pending')
          .where('next_attempt_at', '<=', now)
          .orderBy('next_attempt_at')
          .limit(20);
        const rows = await (this.db.engine.rowLocks ? due.forUpdate().skipLocked() : due).execute();
        if (rows.length === 0) return rows;
        await q
          .updateTable('webhook_deliveries')
          .set({ next_attempt_at: now + leaseMs })
          .where(
            'id',
            'in',
            rows.map((row) => row.id),
          )
          .execute();
        return rows;
      }),
    );
  }

  /**
   * One attempt and what follows from it, together; only if the delivery is still as claimed (no other
   * process recorded this attempt after the claim ran out). Returns whether it was recorded.
   */
  record(
    scope: TenantScope,
    delivery: DeliveryRow,
    attempt: AttemptRow,
    next: Pick<DeliveryRow, 'status' | 'next_attempt_at'>,
  ): Promise<boolean> {
    return this.db.inTenant(scope, () =>
      this.db.tenant(scope, async (q) => {
        const updated = await q
          .updateTable('webhook_deliveries')
          .set({ status: next.status, attempts: attempt.attempt, next_attempt_at: next.next_attempt_at })
          .where(tenantFilter(scope))
          .where('id', '=', delivery.id)
          .where('status', '=', 'pending')
          .where('attempts', '=', delivery.attempts)
          .executeTakeFirst();
        if (updated.numUpdatedRows !== 1n) return false;
        await q
          .insertInto('webhook_attempts')
          .values({ ...tenantColumns(scope), delivery_id: delivery.id, ...attempt })
          .execute();
        return true;
      }),
    );
  }

  deliveriesFor(scope: TenantScope, requestId: string): Promise<DeliveryRow[]> {
    return this.db.tenant(scope, (q) =>
      q
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where(tenantFilter(scope))
        .where('request_id', '=', requestId)
        .orderBy('created_at')
        .execute(),
    );
  }

  attempts(scope: TenantScope, deliveryId: string): Promise<AttemptRow[]> {
    return this.db.tenant(scope, (q) =>
      q
        .selectFrom('webhook_attempts')
        .select(['attempt', 'at', 'status_code', 'error'])
        .where(tenantFilter(scope))
        .where('delivery_id', '=', deliveryId)
        .orderBy('attempt')
        .execute(),
    );
  }
}
