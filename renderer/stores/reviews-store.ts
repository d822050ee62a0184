import type { Campaign, DecideItem, EvidencePack, ReviewItem, StartCampaign } from '../../shared/api/reviews';
import type { AppError, Result } from '../../shared/result';
import type { ContractClient } from '../contract/client';
import type { OfflineAware } from './offline-flag';
import type { SessionStore } from './session-store';
import { createTenantScopedStore, reloadedOnSwitch } from './tenant-scoped';

export type { Campaign, EvidencePack, ReviewItem };

/** A closed (or open) campaign's items and pack, for its outcome. */
export interface Outcome {
  readonly campaignId: string;
  readonly items: readonly ReviewItem[];
  readonly pack: EvidencePack | null;
}

export interface ReviewsState extends OfflineAware {
  readonly campaigns: readonly Campaign[];
  /** The caller's items across open campaigns, undecided first. */
  readonly myItems: readonly ReviewItem[];
  /** The item the keyboard is on, by id. */
  readonly selectedId: string | null;
  readonly outcome: Outcome | null;
  readonly phase: 'idle' | 'loading' | 'ready' | 'error';
  readonly error: AppError | null;
  readonly deciding: boolean;
  load(): Promise<void>;
  select(id: string | null): void;
  move(delta: number): void;
  start(campaign: StartCampaign): Promise<Result<Campaign>>;
  decide(item: ReviewItem, decision: DecideItem): Promise<Result<ReviewItem>>;
  close(campaignId: string): Promise<Result<Campaign>>;
  showOutcome(campaignId: string | null): Promise<void>;
  dispose(): void;
}

const initial = {
  campaigns: [],
  myItems: [],
  selectedId: null,
  outcome: null,
  phase: 'idle',
  error: null,
  offline: false,
  deciding: false,
} satisfies Partial<ReviewsState>;

const open = (items: readonly ReviewItem[], campaigns: readonly Campaign[]) => {
  const openIds = new Set(campaigns.filter((c) => c.status === 'open').map((c) => c.id));
  return items
    .filter((i) => openIds.has(i.campaignId))
    .sort(
      (a, b) =>
        Number(a.decision !== null) - Number(b.decision !== null) || a.deadline.localeCompare(b.deadline),
    );
};

/** Access reviews: campaigns and their progress, the caller's items (keyboard-driven), outcomes and packs. */
export function createReviewsStore(client: ContractClient, session: SessionStore) {
  return createTenantScopedStore(session, reloadedOnSwitch<ReviewsState>(initial), (set, get, tenant) => ({
    ...initial,

    async load() {
      const where = tenant.scope();
      if (!where) return;
      const asked = tenant.startQuery();
      set((s) => ({ phase: s.phase === 'ready' ? 'ready' : 'loading', error: null }));
      const [campaigns, mine] = await Promise.all([
        asked.settle(client.call('reviews.list', where)),
        client.call('reviews.items', { ...where, reviewer: 'me' }),
      ]);
      if (!campaigns || !asked.current) return;
      if (!campaigns.ok) {
        set((s) => ({ phase: s.campaigns.length ? 'ready' : 'error', error: campaigns.error }));
        return;
      }
      const items = mine.ok ? open(mine.value.items, campaigns.value.campaigns) : [];
      set((s) => ({
        campaigns: campaigns.value.campaigns,
        myItems: items,
        selectedId: items.some((i) => i.id === s.selectedId) ? s.selectedId : (items[0]?.id ?? null),
        phase: 'ready',
        error: mine.ok ? null : mine.error,
      }));
    },

    select(id) {
      set({ selectedId: id });
    },

    move(delta) {
      const { myItems, selectedId } = get();
      if (myItems.length === 0) return;
      const at = myItems.findIndex((i) => i.id === selectedId);
      const next = Math.min(myItems.length - 1, Math.max(0, Math.max(at, 0) + delta));
      set({ selectedId: myItems[next]?.id ?? null });
    },

    async start(campaign) {
      const where = tenant.scope();
      if (!where) return { ok: false, error: { code: 'bad-request', message: 'No tenant.' } };
      const started = await client.call('reviews.start', { ...where, campaign });
      if (started.ok) await get().load();
      return started;
    },

    async decide(item, decision) {
      const where = tenant.scope();
      if (!where) return { ok: false, error: { code: 'bad-request', message: 'No tenant.' } };
      set({ deciding: true });
      const decided = await client.call('reviews.decide', {
        ...where,
        campaignId: item.campaignId,
        itemId: item.id,
        decision,
      });
      set({ deciding: false });
      if (decided.ok) {
        // The next undecided item is where the keyboard goes on.
        set((s) => ({ myItems: s.myItems.map((i) => (i.id === item.id ? decided.value : i)) }));
        const next = get().myItems.find((i) => i.decision === null);
        set({ selectedId: next?.id ?? item.id });
        await get().load();
      }
      return decided;
    },

    async close(campaignId) {
      const where = tenant.scope();
      if (!where) return { ok: false, error: { code: 'bad-request', message: 'No tenant.' } };
      const closed = await client.call('reviews.close', { ...where, campaignId });
      if (closed.ok) {
        await get().load();
        await get().showOutcome(campaignId);
      }
      return closed;
    },

    async showOutcome(campaignId) {
      const where = tenant.scope();
      if (!where || !campaignId) {
        set({ outcome: null });
        return;
      }
      const asked = tenant.guardTenant();
      const [items, pack] = await Promise.all([
        client.call('reviews.items', { ...where, reviewer: 'all', campaignId }),
        client.call('reviews.pack', { ...where, campaignId }),
      ]);
      if (!asked.current) return;
      set({
        outcome: {
          campaignId,
          items: items.ok ? items.value.items : [],
          pack: pack.ok ? pack.value.pack : null,
        },
      });
    },

    dispose: tenant.dispose,
  }));
}

export type ReviewsStore = ReturnType<typeof createReviewsStore>;
