import { type FormEvent, useEffect, useId, useState } from 'react';
import { type AuditFilters, noFilters } from '../../../stores/audit-store';
import { isoToUtcInput, utcInputToIso } from '../format';

interface LogFiltersProps {
  readonly filters: AuditFilters;
  onApply(filters: AuditFilters): void;
}

type Draft = Record<keyof AuditFilters, string>;

const toDraft = (f: AuditFilters): Draft => ({ ...f, from: isoToUtcInput(f.from), to: isoToUtcInput(f.to) });

const textFields: readonly { name: keyof AuditFilters; label: string; placeholder: string }[] = [
  { name: 'actorId', label: 'Actor id', placeholder: 'usr_… or key_…' },
  { name: 'action', label: 'Action', placeholder: 'approval.decide' },
  { name: 'resourceType', label: 'Resource type', placeholder: 'approval_request' },
  { name: 'resourceId', label: 'Resource id', placeholder: 'apr_…' },
];

/**
 * The platform matches these exactly, so they are applied on submit (Enter or Apply), not per keystroke:
 * half an id would only ever match nothing.
 */
export function LogFilters({ filters, onApply }: LogFiltersProps) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(filters));
  const [problem, setProblem] = useState('');
  const baseId = useId();
  const id = (name: string) => `${baseId}-${name}`;
  // The store's filters move on their own too (a tenant switch clears them): the form follows.
  useEffect(() => setDraft(toDraft(filters)), [filters]);

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
        {textFields.map((f) => (
          <div key={f.name} className="audit-filters__field">
            <label htmlFor={id(f.name)}>{f.label}</label>
            <input
              type="text"
              maxLength={200}
              placeholder={f.placeholder}
              spellCheck={false}
              {...field(f.name)}
            />
          </div>
        ))}
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
