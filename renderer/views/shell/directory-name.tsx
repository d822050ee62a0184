import { useEffect } from 'react';
import { PersonName } from '../../components/person-name';
import { createDirectoryStore, nameText } from '../../stores/directory-store';
import { useFeatureState, useFeatureStore } from '../../use-feature-store';

/**
 * Someone by name (PersonName: the id one click away) where the screen already has words for them: until
 * the tenant's directory names the id (it loads, or the id belongs to another organization or platform),
 * the screen's own words show instead of a bare id.
 */
export function DirectoryName({ id, fallback }: { readonly id: string; readonly fallback: string }) {
  const store = useFeatureStore(createDirectoryStore);
  const loaded = useFeatureState(createDirectoryStore, (s) => s.loaded);
  const known = useFeatureState(createDirectoryStore, (s) => s.people.has(id) || s.apiKeys.has(id));
  useEffect(() => {
    if (!loaded) void store.getState().load();
  }, [loaded, store]);
  return known ? <PersonName id={id} /> : <span>{fallback}</span>;
}

/** The same as text, for places that cannot hold a control (a confirmation's sentence, a label). */
export function useDirectoryNameText(id: string, fallback: string): string {
  return useFeatureState(createDirectoryStore, (s) =>
    s.people.has(id) || s.apiKeys.has(id) ? nameText(s.name(id)) : fallback,
  );
}
