import { type ApprovalsState, type ApprovalsStore, createApprovalsStore } from '../../stores/approvals-store';
import { useFeatureState, useFeatureStore } from '../../use-feature-store';

// The queue outlives the screen: coming back from another screen keeps the rows, the selection and the filters.
export const useApprovalsStore = (): ApprovalsStore => useFeatureStore(createApprovalsStore);
export const useApprovals = <T>(selector: (state: ApprovalsState) => T): T =>
  useFeatureState(createApprovalsStore, selector);
