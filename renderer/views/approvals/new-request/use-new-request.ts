import {
  createNewRequestStore,
  type NewRequestState,
  type NewRequestStore,
} from '../../../stores/new-request-store';
import { useFeatureState, useFeatureStore } from '../../../use-feature-store';

// The draft outlives the dialog and the screen: closing the form, or visiting another screen, loses nothing.
export const useNewRequestStore = (): NewRequestStore => useFeatureStore(createNewRequestStore);
export const useNewRequest = <T>(selector: (state: NewRequestState) => T): T =>
  useFeatureState(createNewRequestStore, selector);
