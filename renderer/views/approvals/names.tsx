import { Fragment, type ReactNode, useEffect, useRef } from 'react';
import type { ApprovalRequest } from '../../../shared/api/approvals';
import { PersonName } from '../../components/person-name';
import { useNamed } from '../../components/use-named';
import { createDirectoryStore, nameText } from '../../stores/directory-store';
import { useFeatureState, useFeatureStore } from '../../use-feature-store';

/** Someone by name, marked when it is the person signed in. */
export function Who({ id, me }: { readonly id: string; readonly me?: string }) {
  return (
    <>
      <PersonName id={id} />
      {me && id === me ? ' (you)' : ''}
    </>
  );
}

/**
 * Who raised a request: the person, or for a request raised through an API key, the key by name and
 * whose it is (the directory names the key with its owner).
 */
export function RequesterName({
  requester,
  me,
}: {
  readonly requester: ApprovalRequest['requester'];
  readonly me?: string;
}) {
  const throughKey = requester.id !== requester.personId;
  return (
    <>
      <PersonName id={requester.id} />
      {me && requester.personId === me ? (throughKey ? ' (your key)' : ' (you)') : ''}
    </>
  );
}

// Ids as the platform writes them into outcomes and reasons: people, API keys.
const ID_IN_TEXT = /(cck_(?:test|live)_[a-z2-7]{26}|usr_[0-9a-z]{16,32})/g;

/** Text the platform wrote with ids in it ("usr_… is now member"), with each id shown by name. */
export function TextWithNames({ text }: { readonly text: string }) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const match of text.matchAll(ID_IN_TEXT)) {
    // Keyed by where each part starts in the text: stable for the same text.
    if (match.index > at) parts.push(<Fragment key={at}>{text.slice(at, match.index)}</Fragment>);
    parts.push(<PersonName key={match.index} id={match[0]} />);
    at = match.index + match[0].length;
  }
  if (at < text.length) parts.push(<Fragment key={at}>{text.slice(at)}</Fragment>);
  return <>{parts}</>;
}

/**
 * The requester in a narrow place (the queue's column), as plain text: a key reads "“ERP connector” of
 * Rahul Mehta", the person last being what matters most; the whole wording is the cell's tooltip.
 */
export function RequesterText({ id }: { readonly id: string }) {
  const named = useNamed(id);
  const short =
    named.kind === 'api-key'
      ? `“${named.key.name}” of ${named.owner ? named.owner.displayName : 'a former member'}`
      : nameText(named);
  return <span title={nameText(named)}>{short}</span>;
}

/** The people and keys named anywhere in `text` (outcomes, reasons). */
export function idsInText(text: string): string[] {
  return text.match(ID_IN_TEXT) ?? [];
}

/**
 * Reads the tenant's directory again when something on screen names a person or key it does not know
 * (a key created a moment ago, a member just added), once per such id, so names keep up with the history
 * without a refresh on every change.
 */
export function useNamesFor(ids: readonly string[]): void {
  const store = useFeatureStore(createDirectoryStore);
  const loaded = useFeatureState(createDirectoryStore, (s) => s.loaded);
  const askedFor = useRef(new Set<string>());
  const key = [...new Set(ids)].sort().join(' ');
  useEffect(() => {
    if (!loaded || key === '') return;
    const directory = store.getState();
    const unknown = key
      .split(' ')
      .filter((id) => directory.name(id).kind === 'unknown' && !askedFor.current.has(id));
    if (unknown.length === 0) return;
    for (const id of unknown) askedFor.current.add(id);
    void directory.load({ refresh: true });
  }, [loaded, store, key]);
}
