import { useEffect, useId, useState } from 'react';
import { createDirectoryStore, nameText } from '../stores/directory-store';
import { useFeatureState, useFeatureStore } from '../use-feature-store';
import './person-name.css';

/**
 * Someone the platform names by id, shown by name: a person (marked when they have left), an API key and
 * whose it is, or the platform itself. The id is one click (or Enter) away, for matching against logs and
 * exports; while the directory loads, the id shows.
 */
export function PersonName({ id }: { readonly id: string }) {
  const store = useFeatureStore(createDirectoryStore);
  const loaded = useFeatureState(createDirectoryStore, (s) => s.loaded);
  useFeatureState(createDirectoryStore, (s) => s.people);
  const [open, setOpen] = useState(false);
  const detailId = useId();
  useEffect(() => {
    if (!loaded) void store.getState().load();
  }, [loaded, store]);
  const named = store.getState().name(id);
  const text = nameText(named);
  if (named.kind === 'unknown' || named.kind === 'platform') {
    return <span className="person-name">{text}</span>;
  }
  return (
    <span className="person-name">
      <button
        type="button"
        className="person-name__toggle"
        aria-expanded={open}
        aria-controls={detailId}
        title={`Show the id of ${text}`}
        onClick={() => setOpen((o) => !o)}
      >
        {text}
      </button>
      <span id={detailId} className="person-name__id" hidden={!open}>
        {named.kind === 'person' ? `${named.person.email} · ` : ''}
        <code>{id}</code>
      </span>
    </span>
  );
}
