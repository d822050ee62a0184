import { useStore } from 'zustand';
import { useApp } from '../../app-context';
import {
  type AuditExportStore,
  createAuditExportStore,
  type ExportState,
} from '../../stores/audit-export-store';
import {
  type AuditIntegrityStore,
  createAuditIntegrityStore,
  type IntegrityState,
} from '../../stores/audit-integrity-store';
import { type AuditLogState, type AuditLogStore, createAuditLogStore } from '../../stores/audit-store';
import type { SessionStore } from '../../stores/session-store';

interface AuditStores {
  readonly log: AuditLogStore;
  readonly integrity: AuditIntegrityStore;
  readonly export: AuditExportStore;
}

// One set per session store (so per window): they outlive the screen, so going to Approvals and back
// keeps the loaded log, a running verification and its report.
const stores = new WeakMap<SessionStore, AuditStores>();

export function useAuditStores(): AuditStores {
  const { client, session } = useApp();
  let found = stores.get(session);
  if (!found) {
    // The client's transport already shares one event stream per window among all listeners.
    found = {
      log: createAuditLogStore(client, session),
      integrity: createAuditIntegrityStore(client, session),
      export: createAuditExportStore(client, session),
    };
    stores.set(session, found);
  }
  return found;
}

export function useAuditLog<T>(selector: (state: AuditLogState) => T): T {
  return useStore(useAuditStores().log, selector);
}

export function useIntegrity<T>(selector: (state: IntegrityState) => T): T {
  return useStore(useAuditStores().integrity, selector);
}

export function useExportCheck<T>(selector: (state: ExportState) => T): T {
  return useStore(useAuditStores().export, selector);
}
