import { parseOrigin } from '../../shared/audit/format';
import { type CallOutput, events } from '../../shared/contract/contract';
import type { AppError } from '../../shared/result';
import type { ContractClient } from '../contract/client';
import type { SessionStore } from './session-store';
import { createTenantScopedStore, tenantScopeOf } from './tenant-scoped';

export type LiveCheck = CallOutput<'audit.verifyLive'>;

/** Two signed notes of one log that no consistency proof joins: the platform showed two histories. */
export interface ForkAlarm {
  readonly origin: string;
  readonly evidence: readonly string[];
}

export interface IntegrityState {
  readonly phase: 'idle' | 'checking' | 'done' | 'error';
  readonly result: LiveCheck | null;
  readonly error: AppError | null;
  /** When `result` came (ISO), so a person can tell a fresh result from an old one. */
  readonly checkedAt: string | null;
  /** Raised by a fork answer or by the `audit.fork` event; stays until the tenant changes. */
  readonly fork: ForkAlarm | null;
  check(): Promise<void>;
  dispose(): void;
}

const initial = {
  phase: 'idle',
  result: null,
  error: null,
  checkedAt: null,
  fork: null,
} satisfies Partial<IntegrityState>;

/**
 * "Verify integrity" of the tenant's live log: the newest signed checkpoint against the pinned key and
 * every checkpoint this console stored before. A fork is also pushed as an event (another check, or
 * another window, may find it): the alarm is raised whichever comes first.
 */
export function createAuditIntegrityStore(
  client: ContractClient,
  session: SessionStore,
  { now = () => Date.now() }: { now?: () => number } = {},
) {
  // An alarm belongs to its tenant's log: a switch clears it, with any result, and waits to be asked.
  const store = createTenantScopedStore<IntegrityState>(session, { initial }, (set, _get, tenant) => ({
    ...initial,

    async check() {
      const where = tenant.scope();
      if (!where) return;
      const asked = tenant.startQuery();
      set({ phase: 'checking', error: null });
      const checked = await asked.settle(client.call('audit.verifyLive', where));
      if (!checked) return;
      // A failed check keeps the last result, and its time, on show beside the error.
      if (!checked.ok) return set({ phase: 'error', error: checked.error });
      const result = checked.value;
      set((s) => ({
        phase: 'done',
        result,
        checkedAt: new Date(now()).toISOString(),
        fork: result.status === 'fork' ? { origin: result.origin, evidence: result.evidence } : s.fork,
      }));
    },

    dispose() {
      tenant.dispose();
      stopEvents();
    },
  }));

  const stopEvents = client.onEvent((name, payload) => {
    if (name !== 'audit.fork') return;
    const fork = events['audit.fork'].safeParse(payload);
    const where = tenantScopeOf(session);
    if (!fork.success || !where) return;
    const { profile, origin, evidence } = fork.data;
    const log = parseOrigin(origin);
    const ours =
      profile.platformOrigin === where.profile.platformOrigin &&
      profile.principalId === where.profile.principalId &&
      log?.organization === where.tenant.organization &&
      log.environment === where.tenant.environment;
    if (ours) store.setState({ fork: { origin, evidence } });
  });

  return store;
}

export type AuditIntegrityStore = ReturnType<typeof createAuditIntegrityStore>;
