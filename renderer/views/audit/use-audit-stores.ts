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
import { useFeatureState, useFeatureStore } from '../../use-feature-store';

interface AuditStores {
  readonly log: AuditLogStore;
  readonly integrity: AuditIntegrityStore;
  readonly export: AuditExportStore;
}

/**
 * The three made together, whichever tab asks first: a fork pushed while the person reads the log still
 * raises the integrity alarm. They outlive the screen, so a running verification and its report stay.
 */
export function useAuditStores(): AuditStores {
  return {
    log: useFeatureStore(createAuditLogStore),
    integrity: useFeatureStore(createAuditIntegrityStore),
    export: useFeatureStore(createAuditExportStore),
  };
}

export const useAuditLog = <T>(selector: (state: AuditLogState) => T): T =>
  useFeatureState(createAuditLogStore, selector);
export const useIntegrity = <T>(selector: (state: IntegrityState) => T): T =>
  useFeatureState(createAuditIntegrityStore, selector);
export const useExportCheck = <T>(selector: (state: ExportState) => T): T =>
  useFeatureState(createAuditExportStore, selector);
