import { useEffect } from 'react';
import { createDirectoryStore, type Named } from '../stores/directory-store';
import { useFeatureState, useFeatureStore } from '../use-feature-store';

/**
 * Who `id` is in the tenant's directory, for names shown as plain text (a grid cell, a tooltip) where
 * `PersonName`'s button would be one control too many. Loads the directory on first use; the component
 * renders again when it arrives, showing the id until then.
 */
export function useNamed(id: string): Named {
  const store = useFeatureStore(createDirectoryStore);
  const loaded = useFeatureState(createDirectoryStore, (s) => s.loaded);
  // Re-render when the directory arrives or is refreshed.
  useFeatureState(createDirectoryStore, (s) => s.people);
  useEffect(() => {
    if (!loaded) void store.getState().load();
  }, [loaded, store]);
  return store.getState().name(id);
}
