import { useEffect, useMemo } from 'react';
import { createDirectoryStore } from '../../stores/directory-store';
import { useFeatureState, useFeatureStore } from '../../use-feature-store';
import type { NameOf } from './format';

/**
 * Names from the tenant's directory (loaded on first use), as a function that is replaced when the
 * directory arrives or changes, so memoized rows that show names draw again.
 */
export function useNameOf(): NameOf {
  const directory = useFeatureStore(createDirectoryStore);
  const loaded = useFeatureState(createDirectoryStore, (s) => s.loaded);
  const people = useFeatureState(createDirectoryStore, (s) => s.people);
  const apiKeys = useFeatureState(createDirectoryStore, (s) => s.apiKeys);
  useEffect(() => {
    if (!loaded) void directory.getState().load();
  }, [loaded, directory]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the maps are the trigger; name() reads them
  return useMemo(() => (id: string) => directory.getState().name(id), [directory, people, apiKeys]);
}
