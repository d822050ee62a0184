import { useEffect, useId, useRef } from 'react';
import { evidenceMediaTypes } from '../../../shared/api/evidence';
import { evidenceStatuses } from '../../../shared/evidence/period';
import { createDirectoryStore, nameText } from '../../stores/directory-store';
import { mediaTypeName } from '../../stores/evidence-attachments';
import { useFeatureState, useFeatureStore } from '../../use-feature-store';
import { statusLabels } from './status';

/** What the person typed and picked; only valid values are sent (see `toCatalogFilter`). */
export interface FilterFields {
  readonly q: string;
  readonly requestId: string;
  readonly mediaType: string;
  readonly uploader: string;
  readonly from: string;
  readonly to: string;
  readonly status: string;
}

export const noFilters: FilterFields = {
  q: '',
  requestId: '',
  mediaType: '',
  uploader: '',
  from: '',
  to: '',
  status: '',
};

const REQUEST_ID = /^apr_[a-z2-7]{26}$/;

/** What is wrong with the fields as typed, by field; an empty object when they can be sent. */
export function filterProblems(fields: FilterFields): Partial<Record<keyof FilterFields, string>> {
  const problems: Partial<Record<keyof FilterFields, string>> = {};
  if (fields.requestId.trim() !== '' && !REQUEST_ID.test(fields.requestId.trim()))
    problems.requestId = 'A request id starts with apr_ and has 26 more letters and digits.';
  if (fields.from && fields.to && fields.from > fields.to)
    problems.to = 'The period must end on or after the day it starts.';
  return problems;
}

/** The fields as the platform's catalog takes them; a field with a problem is left out. */
export function toCatalogFilter(fields: FilterFields) {
  const problems = filterProblems(fields);
  const q = fields.q.trim();
  return {
    ...(q ? { q: q.slice(0, 200) } : {}),
    ...(fields.requestId.trim() && !problems.requestId ? { requestId: fields.requestId.trim() } : {}),
    ...(fields.mediaType ? { mediaType: fields.mediaType as (typeof evidenceMediaTypes)[number] } : {}),
    ...(fields.uploader ? { uploader: fields.uploader } : {}),
    ...(fields.from ? { from: fields.from } : {}),
    ...(fields.to && !problems.to ? { to: fields.to } : {}),
    ...(fields.status ? { status: fields.status as (typeof evidenceStatuses)[number] } : {}),
  };
}

/**
 * The Evidence screen's search and filters: each a labelled native control, in reading order, so Tab
 * walks them and every one says what it narrows. A change applies at once (the search after a pause).
 */
export function EvidenceFilters(props: {
  readonly fields: FilterFields;
  onChange(fields: FilterFields): void;
}) {
  const { fields, onChange } = props;
  const id = useId();
  const directory = useFeatureStore(createDirectoryStore);
  const loaded = useFeatureState(createDirectoryStore, (s) => s.loaded);
  const people = useFeatureState(createDirectoryStore, (s) => s.people);
  const keys = useFeatureState(createDirectoryStore, (s) => s.apiKeys);
  useEffect(() => {
    if (!loaded) void directory.getState().load();
  }, [loaded, directory]);
  // Ctrl/Cmd+K goes to the search, as on the Approvals screen (not while a dialog is open over the screen).
  const search = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.key.toLowerCase() !== 'k') return;
      if (document.querySelector('dialog[open]')) return;
      event.preventDefault();
      search.current?.focus();
      search.current?.select();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  const problems = filterProblems(fields);
  const set = (change: Partial<FilterFields>) => onChange({ ...fields, ...change });
  const active = Object.values(fields).some((v) => v !== '');
  const problemId = (name: keyof FilterFields) => (problems[name] ? `${id}-${name}-problem` : undefined);

  return (
    <search className="evidence-filters" aria-label="Find evidence">
      <div className="evidence-filters__field evidence-filters__field--wide">
        <label htmlFor={`${id}-q`}>Search by name</label>
        <input
          ref={search}
          id={`${id}-q`}
          aria-keyshortcuts="Control+K"
          type="search"
          value={fields.q}
          maxLength={200}
          onChange={(e) => set({ q: e.target.value })}
        />
      </div>
      <div className="evidence-filters__field">
        <label htmlFor={`${id}-status`}>Status</label>
        <select id={`${id}-status`} value={fields.status} onChange={(e) => set({ status: e.target.value })}>
          <option value="">Any status</option>
          {evidenceStatuses.map((s) => (
            <option key={s} value={s}>
              {statusLabels[s]}
            </option>
          ))}
        </select>
      </div>
      <div className="evidence-filters__field">
        <label htmlFor={`${id}-type`}>Type</label>
        <select
          id={`${id}-type`}
          value={fields.mediaType}
          onChange={(e) => set({ mediaType: e.target.value })}
        >
          <option value="">Any type</option>
          {evidenceMediaTypes.map((t) => (
            <option key={t} value={t}>
              {mediaTypeName(t)}
            </option>
          ))}
        </select>
      </div>
      <div className="evidence-filters__field">
        <label htmlFor={`${id}-uploader`}>Uploaded by</label>
        <select
          id={`${id}-uploader`}
          value={fields.uploader}
          onChange={(e) => set({ uploader: e.target.value })}
        >
          <option value="">Anyone</option>
          {[...people.values()].map((p) => (
            <option key={p.id} value={p.id}>
              {nameText({ kind: 'person', person: p })}
            </option>
          ))}
          {[...keys.values()].map((k) => (
            <option key={k.id} value={k.id}>
              {nameText({ kind: 'api-key', key: k, owner: people.get(k.ownerId) })}
            </option>
          ))}
        </select>
      </div>
      <div className="evidence-filters__field">
        <label htmlFor={`${id}-from`}>Period from</label>
        <input
          id={`${id}-from`}
          type="date"
          value={fields.from}
          onChange={(e) => set({ from: e.target.value })}
        />
      </div>
      <div className="evidence-filters__field">
        <label htmlFor={`${id}-to`}>Period to</label>
        <input
          id={`${id}-to`}
          type="date"
          value={fields.to}
          aria-invalid={problems.to ? true : undefined}
          aria-describedby={problemId('to')}
          onChange={(e) => set({ to: e.target.value })}
        />
      </div>
      <div className="evidence-filters__field">
        <label htmlFor={`${id}-request`}>Request id</label>
        <input
          id={`${id}-request`}
          value={fields.requestId}
          placeholder="apr_…"
          spellCheck={false}
          aria-invalid={problems.requestId ? true : undefined}
          aria-describedby={problemId('requestId')}
          onChange={(e) => set({ requestId: e.target.value })}
        />
      </div>
      <div className="evidence-filters__field evidence-filters__field--action">
        <button type="button" onClick={() => onChange(noFilters)} disabled={!active}>
          Clear filters
        </button>
      </div>
      {(problems.to || problems.requestId) && (
        <div className="evidence-filters__problems">
          {problems.to && (
            <p id={problemId('to')} className="field-error">
              {problems.to}
            </p>
          )}
          {problems.requestId && (
            <p id={problemId('requestId')} className="field-error">
              {problems.requestId}
            </p>
          )}
        </div>
      )}
    </search>
  );
}
