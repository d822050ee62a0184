import { type ApiKeysState, type ApiKeysStore, createApiKeysStore } from '../../stores/api-keys-store';
import { useFeatureState, useFeatureStore } from '../../use-feature-store';

export const useApiKeysStore = (): ApiKeysStore => useFeatureStore(createApiKeysStore);
export const useApiKeys = <T>(selector: (state: ApiKeysState) => T): T =>
  useFeatureState(createApiKeysStore, selector);
