import type { Database } from './database';
import { type TenantScope, tenantColumns, tenantFilter } from './scope';
import type { WebhookAttemptsTable, WebhookDeliveriesTable } from './tables';

export interface WebhookRow {
  url: string;
  secret_sealed: Buffer;
}

export type DeliveryRow = WebhookDeliveriesTable;

export type AttemptRow = Omit<WebhookAttemptsTable, 'delivery_id'>;

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

  /** The dispatcher's one read across tenants: each row names its own tenant, and is handled as its. */
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

  /** One attempt and what follows from it, together. */
  record(
    scope: TenantScope,
    delivery: DeliveryRow,
    attempt: AttemptRow,
    next: Pick<DeliveryRow, 'status' | 'next_attempt_at'>,
  ): Promise<void> {
    return this.db.inTenant(scope, () =>
      this.db.tenant(scope, async (q) => {
        await q
          .insertInto('webhook_attempts')
          .values({ delivery_id: delivery.id, ...attempt })
          .execute();
        await q
          .updateTable('webhook_deliveries')
          .set({ status: next.status, attempts: attempt.attempt, next_attempt_at: next.next_attempt_at })
          .where(tenantFilter(scope))
          .where('id', '=', delivery.id)
          .execute();
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

  /** A delivery's attempts, reached through the delivery so that the tenant filter applies. */
  attempts(scope: TenantScope, deliveryId: string): Promise<AttemptRow[]> {
    return this.db.tenant(scope, (q) =>
      q
        .selectFrom('webhook_attempts as a')
        .innerJoin('webhook_deliveries as d', 'd.id', 'a.delivery_id')
        .select(['a.attempt', 'a.at', 'a.status_code', 'a.error'])
        .where(tenantFilter(scope, 'd'))
        .where('a.delivery_id', '=', deliveryId)
        .orderBy('a.attempt')
        .execute(),
    );
  }
}
