import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import {
  auditActionGroups,
  auditActionLabel,
  auditResourceTypeLabel,
  auditResourceTypes,
} from '../../../../shared/audit/actions';
import { type AuditFilters, noFilters } from '../../../stores/audit-store';
import { createDirectoryStore } from '../../../stores/directory-store';
import { useFeatureState, useFeatureStore } from '../../../use-feature-store';
import { isoToUtcInput, utcInputToIso } from '../format';
import { actorGroups } from './actor-options';

interface LogFiltersProps {
  readonly filters: AuditFilters;
  onApply(filters: AuditFilters): void;
}

type Draft = Record<keyof AuditFilters, string>;

const toDraft = (f: AuditFilters): Draft => ({ ...f, from: isoToUtcInput(f.from), to: isoToUtcInput(f.to) });

/**
 * Who, what and which kind of thing are picked from lists (names from the tenant's directory, the actions
 * and resource types the platform writes), never typed: the platform matches them exactly. Everything is
 * applied together on submit (Enter or Apply), as before.
 */
export function LogFilters({ filters, onApply }: LogFiltersProps) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(filters));
  const [problem, setProblem] = useState('');
  const baseId = useId();
  const id = (name: string) => `${baseId}-${name}`;
  // The store's filters move on their own too (a tenant switch clears them): the form follows.
  useEffect(() => setDraft(toDraft(filters)), [filters]);

  const directory = useFeatureStore(createDirectoryStore);
  const loaded = useFeatureState(createDirectoryStore, (s) => s.loaded);
  const people = useFeatureState(createDirectoryStore, (s) => s.people);
  const apiKeys = useFeatureState(createDirectoryStore, (s) => s.apiKeys);
  useEffect(() => {
    if (!loaded) void directory.getState().load();
  }, [loaded, directory]);
  const actors = actorGroups(people, apiKeys, directory.getState().name);
  const listedActor = actors.some((g) => g.options.some((o) => o.id === draft.actorId));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const from = utcInputToIso(draft.from);
    const to = utcInputToIso(draft.to);
    if (from && to && from >= to) return setProblem('“From” must be before “To”.');
    setProblem('');
    onApply({ ...draft, from, to });
  };
  const clear = () => {
    setProblem('');
    onApply(noFilters);
  };
  const field = (name: keyof AuditFilters) => ({
    id: id(name),
    value: draft[name],
    onChange: (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [name]: e.target.value })),
  });

  return (
    <search className="audit-filters" aria-label="Filter the audit log">
      <form onSubmit={submit} noValidate>
        <div className="audit-filters__field audit-filters__field--wide">
          <label htmlFor={id('actorId')}>Person or key</label>
          <select {...field('actorId')}>
            <option value="">Anyone</option>
            {actors.map((group) => (
              <optgroup key={group.label} label={group.label}>
                {group.options.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.label}
                  </option>
                ))}
              </optgroup>
            ))}
            {draft.actorId && !listedActor && (
              <Unlisted value={draft.actorId}>{loaded ? 'not in this directory' : 'names loading'}</Unlisted>
            )}
          </select>
        </div>
        <div className="audit-filters__field audit-filters__field--wide">
          <label htmlFor={id('action')}>Action</label>
          <select {...field('action')}>
            <option value="">Any action</option>
            {auditActionGroups.map((group) => (
              <optgroup key={group.group} label={group.group}>
                {group.actions.map((a) => (
                  <option key={a.action} value={a.action}>
                    {a.label} ({a.action})
                  </option>
                ))}
              </optgroup>
            ))}
            {draft.action && !auditActionLabel(draft.action) && (
              <Unlisted value={draft.action}>not known to this console</Unlisted>
            )}
          </select>
        </div>
        <div className="audit-filters__field">
          <label htmlFor={id('resourceType')}>Resource type</label>
          <select {...field('resourceType')}>
            <option value="">Any type</option>
            {auditResourceTypes.map((r) => (
              <option key={r.type} value={r.type}>
                {r.label}
              </option>
            ))}
            {draft.resourceType && !auditResourceTypeLabel(draft.resourceType) && (
              <Unlisted value={draft.resourceType}>not known to this console</Unlisted>
            )}
          </select>
        </div>
        <div className="audit-filters__field">
          <label htmlFor={id('resourceId')}>Resource id</label>
          <input
            type="text"
            maxLength={200}
            placeholder="apr_…"
            spellCheck={false}
            {...field('resourceId')}
          />
        </div>
        <div className="audit-filters__field">
          <label htmlFor={id('from')}>From (UTC)</label>
          <input type="datetime-local" {...field('from')} aria-invalid={problem ? true : undefined} />
        </div>
        <div className="audit-filters__field">
          <label htmlFor={id('to')}>To (UTC, before)</label>
          <input type="datetime-local" {...field('to')} aria-invalid={problem ? true : undefined} />
        </div>
        <div className="audit-filters__actions">
          <button type="submit" className="primary">
            Apply
          </button>
          <button type="button" onClick={clear}>
            Clear
          </button>
        </div>
      </form>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
    </search>
  );
}

/** A value in force that no list holds (an older or newer platform's): kept, so the form shows the truth. */
function Unlisted({ value, children }: { value: string; children: ReactNode }) {
  return (
    <option value={value}>
      {value} ({children})
    </option>
  );
}
