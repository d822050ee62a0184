import type { Campaign, EvidencePack, ReviewItem, StartCampaign } from '../../shared/api/reviews';
import { MAX_CAMPAIGN_DAYS } from '../../shared/api/reviews';
import { dayOf } from '../../shared/evidence/period';
import { fail, ok, type Result } from '../../shared/result';
import { type AuditContext, systemContext } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import { newId } from '../crypto/random';
import type { CampaignRow, ItemFilter } from '../db/reviews';
import { type OrgScope, orgScope, tenantScope } from '../db/scope';
import { ACCESS_REVIEW_UPLOADER, EvidenceService, toEvidenceMeta } from '../evidence/evidence-service';
import { recordInBothLogs } from '../lifecycle/membership-facts';
import { changeDetector } from './current';
import { packFiles } from './evidence-pack';
import { snapshotItems } from './snapshot';
import { toCampaign, toItem } from './views';

const notFound = 'Review campaign not found.';
const HOUR_MS = 3600_000;

/** Campaigns: started with a snapshot, read with progress, closed with an evidence pack. */
export class ReviewService {
  constructor(private readonly ctx: PlatformContext) {}

  async start(
    org: OrgScope,
    starterId: string,
    input: StartCampaign,
    context: AuditContext,
  ): Promise<Result<Campaign>> {
    const { stores, clock } = this.ctx;
    const now = clock.now();
    const deadline = Date.parse(input.deadline);
    if (deadline < now + HOUR_MS || deadline > now + MAX_CAMPAIGN_DAYS * 24 * HOUR_MS)
      return fail('bad-request', `The deadline must be between an hour and ${MAX_CAMPAIGN_DAYS} days away.`);
    const id = newId('rvc');
    return stores.db.inTenant(org, async (): Promise<Result<Campaign>> => {
      const snapshot = await snapshotItems(this.ctx, org, id, input.covers, input.reviewers);
      if (!snapshot.ok) return snapshot;
      const row: CampaignRow = {
        id,
        title: input.title,
        covers: JSON.stringify(input.covers),
        reviewers: JSON.stringify(input.reviewers),
        deadline,
        created_by: starterId,
        created_at: now,
        closed_at: null,
        close_reason: null,
        closed_by: null,
        pack: null,
      };
      await stores.reviews.insertCampaign(org, row);
      await stores.reviews.insertItems(org, snapshot.value.items);
      await recordInBothLogs(this.ctx.auditLog, org, context, {
        action: 'review.start',
        resource: { type: 'review_campaign', id },
        change: {
          before: null,
          after: {
            title: input.title,
            covers: input.covers,
            reviewers: input.reviewers,
            deadline: input.deadline,
            items: snapshot.value.items.length,
            snapshotSha256: snapshot.value.sha256,
          },
        },
      });
      return ok(await this.#view(org, row, starterId));
    });
  }

  async list(org: OrgScope, callerId: string | undefined): Promise<Campaign[]> {
    const rows = await this.ctx.stores.reviews.listCampaigns(org);
    const changed = await changeDetector(this.ctx, org);
    const out: Campaign[] = [];
    for (const row of rows) {
      const items = await this.ctx.stores.reviews.items(org, { campaignId: row.id, limit: 100_000 });
      out.push(toCampaign(row, items, changed, callerId));
    }
    return out;
  }

  async get(org: OrgScope, id: string, callerId: string | undefined): Promise<Result<Campaign>> {
    const row = await this.ctx.stores.reviews.getCampaign(org, id);
    return row ? ok(await this.#view(org, row, callerId)) : fail('not-found', notFound);
  }

  async items(
    org: OrgScope,
    filter: Omit<ItemFilter, 'limit'> & { limit: number },
  ): Promise<{ items: ReviewItem[]; nextCursor: string | null }> {
    const rows = await this.ctx.stores.reviews.items(org, { ...filter, limit: filter.limit + 1 });
    const page = rows.slice(0, filter.limit);
    const changed = await changeDetector(this.ctx, org);
    const deadlines = new Map<string, number>();
    const items: ReviewItem[] = [];
    for (const row of page) {
      let deadline = deadlines.get(row.campaign_id);
      if (deadline === undefined) {
        deadline = (await this.ctx.stores.reviews.getCampaign(org, row.campaign_id))?.deadline ?? 0;
        deadlines.set(row.campaign_id, deadline);
      }
      items.push(await toItem(this.ctx, org, row, deadline, changed));
    }
    const last = page[page.length - 1];
    return {
      items,
      nextCursor: rows.length > filter.limit && last ? `${last.campaign_id}.${last.seq}` : null,
    };
  }

  async pack(org: OrgScope, id: string): Promise<Result<EvidencePack | null>> {
    const row = await this.ctx.stores.reviews.getCampaign(org, id);
    if (!row) return fail('not-found', notFound);
    if (!row.pack) return ok(null);
    const ids = JSON.parse(row.pack) as string[];
    const tenant = tenantScope(org, 'live');
    const files = [];
    for (const evidenceId of ids) {
      const file = await this.ctx.stores.evidence.get(tenant, evidenceId);
      if (file) files.push(toEvidenceMeta(file));
    }
    return ok({ environment: 'live', files });
  }

  /** Closing early: the starter, or an owner or admin; what is undecided stays so, listed in the pack. */
  async closeEarly(
    org: OrgScope,
    id: string,
    caller: { userId: string; role: string | undefined },
    context: AuditContext,
  ): Promise<Result<Campaign>> {
    const row = await this.ctx.stores.reviews.getCampaign(org, id);
    if (!row) return fail('not-found', notFound);
    const manager = caller.role === 'owner' || caller.role === 'admin';
    if (row.created_by !== caller.userId && !manager)
      return fail(
        'forbidden',
        'Only the person who started the campaign, or an owner or admin, can close it early.',
      );
    if (row.closed_at !== null) return fail('conflict', 'This campaign is already closed.');
    const closed = await this.close(org, id, 'closed-early', caller.userId, context);
    if (!closed.ok) return closed;
    return this.get(org, id, caller.userId);
  }

  /**
   * Closes a campaign and writes its evidence pack: the files are sealed and stored first, then their rows,
   * the campaign's closing and its `review.close` entry (with the files' hashes) commit together.
   */
  async close(
    org: OrgScope,
    id: string,
    reason: NonNullable<CampaignRow['close_reason']>,
    by: string,
    context: AuditContext,
  ): Promise<Result<void>> {
    const { stores, clock } = this.ctx;
    const row = await stores.reviews.getCampaign(org, id);
    if (!row) return fail('not-found', notFound);
    if (row.closed_at !== null) return fail('conflict', 'This campaign is already closed.');
    const now = clock.now();
    const closing: CampaignRow = { ...row, closed_at: now, close_reason: reason, closed_by: by };
    const view = await this.#view(org, closing, undefined);
    const all = await this.items(org, { campaignId: id, limit: 100_000 });
    const names = new Map<string, string>();
    for (const reviewer of view.reviewers) {
      const user = await stores.users.findById(reviewer);
      if (user) names.set(reviewer, user.display_name);
    }
    const files = packFiles(org.organizationSlug, view, all.items, names);
    const tenant = tenantScope(org, 'live');
    const evidence = new EvidenceService(this.ctx);
    const base = `access-review-${id}`;
    // Evidence for the days the review ran, from its start to its close.
    const period = { from: dayOf(row.created_at), to: dayOf(now) };
    const json = await evidence.prepareOwnFile(tenant, `${base}.json`, files.json, period);
    if (!json.ok) return json;
    const csv = await evidence.prepareOwnFile(tenant, `${base}.csv`, files.csv, period);
    if (!csv.ok) return csv;
    return stores.db.inTenant(org, async (): Promise<Result<void>> => {
      const packContext: AuditContext = { ...context, actor: { type: 'system', id: ACCESS_REVIEW_UPLOADER } };
      const metas = [await json.value.insert(packContext), await csv.value.insert(packContext)];
      const ids = metas.map((m) => m.id);
      if (!(await stores.reviews.close(org, id, now, reason, by, JSON.stringify(ids))))
        throw new Error('The campaign was closed meanwhile');
      await recordInBothLogs(this.ctx.auditLog, org, context, {
        action: 'review.close',
        resource: { type: 'review_campaign', id },
        change: {
          before: { status: 'open' },
          after: {
            status: 'closed',
            reason,
            decided: view.progress.decided,
            undecided: all.items.filter((i) => i.decision === null).map((i) => i.id),
            pack: metas.map((m) => ({ evidence: m.id, name: m.name, sha256: m.sha256, environment: 'live' })),
          },
        },
      });
      return ok(undefined);
    });
  }

  /** The sweeper's work: campaigns past their deadline, or with every item decided and not yet closed. */
  async closeDue(): Promise<number> {
    const { stores, clock } = this.ctx;
    let closed = 0;
    for (const row of await stores.reviews.dueToClose(clock.now())) {
      const org = await stores.organizations.findById(row.organization_id);
      if (!org) continue;
      const reason = row.deadline <= clock.now() ? 'deadline' : 'completed';
      const done = await this.close(orgScope(org.id, org.slug), row.id, reason, 'platform', systemContext);
      if (done.ok) closed++;
    }
    return closed;
  }

  async #view(org: OrgScope, row: CampaignRow, callerId: string | undefined): Promise<Campaign> {
    const items = await this.ctx.stores.reviews.items(org, { campaignId: row.id, limit: 100_000 });
    return toCampaign(row, items, await changeDetector(this.ctx, org), callerId);
  }
}
