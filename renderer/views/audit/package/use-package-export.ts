import { useState } from 'react';
import { createAuditPackageStore, type PackageExportState } from '../../../stores/audit-package-store';
import { useFeatureState, useFeatureStore } from '../../../use-feature-store';

export const usePackageExportStore = () => useFeatureStore(createAuditPackageStore);
export const usePackageExport = <T>(selector: (state: PackageExportState) => T): T =>
  useFeatureState(createAuditPackageStore, selector);

/** Opens the saved HTML report: the system viewer, or (headless host) a tab of its own. */
export function useOpenReport() {
  const store = usePackageExportStore();
  const [problem, setProblem] = useState<string | null>(null);
  const open = async () => {
    setProblem(null);
    const opened = await store.getState().openReport();
    if (!opened.ok) return setProblem(opened.error.message);
    if (opened.value.url) window.open(opened.value.url, '_blank', 'noopener');
  };
  return { open, problem };
}
