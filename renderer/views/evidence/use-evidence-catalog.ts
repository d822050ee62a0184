import { useCallback, useEffect, useRef, useState } from 'react';
import type { EvidenceCoverage } from '../../../shared/api/evidence';
import type { CallInput, CallOutput } from '../../../shared/contract/contract';
import type { AppError } from '../../../shared/result';
import { useApp, useSession } from '../../app-context';

export type CatalogEntry = CallOutput<'evidence.catalog'>['evidence'][number];
export type CatalogFilter = CallInput<'evidence.catalog'>['filter'];

const PAGE = 50;
/** Typing in the search waits this long for the next key before asking the platform. */
const SEARCH_PAUSE_MS = 250;

export interface CatalogState {
  readonly items: readonly CatalogEntry[];
  readonly nextCursor: string | null;
  readonly loading: boolean;
  readonly loadingMore: boolean;
  readonly error: AppError | null;
}

const empty: CatalogState = { items: [], nextCursor: null, loading: true, loadingMore: false, error: null };

/**
 * The tenant's evidence from the platform for the filters given, a page at a time. A new filter replaces
 * what is shown once its first page arrives; answers to filters no longer asked for are dropped.
 */
export function useEvidenceCatalog(filter: CatalogFilter) {
  const { client } = useApp();
  const active = useSession((s) => s.active);
  const tenant = useSession((s) => s.tenant);
  const [state, setState] = useState<CatalogState>(empty);
  const generation = useRef(0);
  const key = JSON.stringify(filter);

  const fetchPage = useCallback(
    (cursor: string | null) => {
      if (!active || !tenant) return Promise.resolve(null);
      const parsed = JSON.parse(key) as CatalogFilter;
      return client.call('evidence.catalog', {
        profile: active.profile,
        tenant,
        filter: { ...parsed, ...(cursor ? { cursor } : {}) },
        limit: PAGE,
      });
    },
    [client, active, tenant, key],
  );

  useEffect(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      void fetchPage(null).then((reply) => {
        if (!reply || mine !== generation.current) return;
        setState(
          reply.ok
            ? {
                items: reply.value.evidence,
                nextCursor: reply.value.nextCursor,
                loading: false,
                loadingMore: false,
                error: null,
              }
            : { ...empty, loading: false, error: reply.error },
        );
      });
    }, SEARCH_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [fetchPage]);

  const loadMore = useCallback(() => {
    const mine = generation.current;
    const cursor = state.nextCursor;
    if (!cursor || state.loadingMore) return;
    setState((s) => ({ ...s, loadingMore: true }));
    void fetchPage(cursor).then((reply) => {
      if (!reply || mine !== generation.current) return;
      setState((s) =>
        reply.ok
          ? {
              ...s,
              items: [...s.items, ...reply.value.evidence],
              nextCursor: reply.value.nextCursor,
              loadingMore: false,
            }
          : { ...s, loadingMore: false, error: reply.error },
      );
    });
  }, [fetchPage, state.nextCursor, state.loadingMore]);

  /** A file was opened and is now on this computer. */
  const markCached = useCallback((id: string) => {
    setState((s) => ({ ...s, items: s.items.map((e) => (e.id === id ? { ...e, cached: true } : e)) }));
  }, []);

  return { ...state, loadMore, markCached };
}

/** The coverage overview of the tenant, loaded once per tenant. */
export function useEvidenceCoverage(): EvidenceCoverage | AppError | null {
  const { client } = useApp();
  const active = useSession((s) => s.active);
  const tenant = useSession((s) => s.tenant);
  const [coverage, setCoverage] = useState<EvidenceCoverage | AppError | null>(null);
  useEffect(() => {
    if (!active || !tenant) return;
    let current = true;
    setCoverage(null);
    void client.call('evidence.coverage', { profile: active.profile, tenant }).then((reply) => {
      if (current) setCoverage(reply.ok ? reply.value : reply.error);
    });
    return () => {
      current = false;
    };
  }, [client, active, tenant]);
  return coverage;
}
