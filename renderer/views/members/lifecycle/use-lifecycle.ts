import {
  createLifecycleStore,
  type LifecycleState,
  type LifecycleStore,
} from '../../../stores/lifecycle-store';
import { useFeatureState, useFeatureStore } from '../../../use-feature-store';

export const useLifecycleStore = (): LifecycleStore => useFeatureStore(createLifecycleStore);
export const useLifecycle = <T>(selector: (state: LifecycleState) => T): T =>
  useFeatureState(createLifecycleStore, selector);
