import { createPolicyStore, type PolicyState, type PolicyStore } from '../../stores/policy-store';
import { useFeatureState, useFeatureStore } from '../../use-feature-store';

export const usePolicyStore = (): PolicyStore => useFeatureStore(createPolicyStore);
export const usePolicy = <T>(selector: (state: PolicyState) => T): T =>
  useFeatureState(createPolicyStore, selector);
