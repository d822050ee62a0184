import { type RefObject, useId } from 'react';
import { builtInKinds, type Lane } from '../../../../shared/approvals/kinds';
import type { QueueFilters as Filters, StatusFilter } from '../../../stores/approvals-store';
import { kindLabel, laneLabels, statusLabels } from '../format';

const statuses: readonly StatusFilter[] = [
  'pending',
  'executed',
  'rejected',
  'failed',
  'withdrawn',
  'expired',
  'closed',
  'all',
];
const lanes: readonly Lane[] = ['red', 'yellow', 'green'];

interface QueueFiltersProps {
  readonly filters: Filters;
  readonly kindsSeen: readonly string[];
  readonly searchRef: RefObject<HTMLInputElement | null>;
  onChange(change: Partial<Filters>): void;
  /** Down from the search box: on to the results. */
  onToResults(): void;
}

/** Search and filters; each change asks the platform again (its own search, not the rows loaded here). */
export function QueueFilters({ filters, kindsSeen, searchRef, onChange, onToResults }: QueueFiltersProps) {
  const ids = { q: useId(), status: useId(), lane: useId(), kind: useId(), mine: useId() };
  const kinds = [...builtInKinds, ...kindsSeen];
  if (filters.kind && !kinds.includes(filters.kind)) kinds.push(filters.kind);
  return (
    <search className="queue__filters" aria-label="Filter approval requests">
      <div className="field field--search">
        <label htmlFor={ids.q}>Search</label>
        <input
          id={ids.q}
          ref={searchRef}
          type="search"
          value={filters.q}
          maxLength={200}
          placeholder="Title, summary or request id"
          aria-keyshortcuts="Control+K Meta+K"
          onChange={(e) => onChange({ q: e.target.value })}
          onKeyDown={(e) => {
            if (e.key !== 'ArrowDown') return;
            e.preventDefault();
            onToResults();
          }}
        />
      </div>
      <div className="field">
        <label htmlFor={ids.status}>Status</label>
        <select
          id={ids.status}
          value={filters.status}
          onChange={(e) => onChange({ status: e.target.value as StatusFilter })}
        >
          {statuses.map((s) => (
            <option key={s} value={s}>
              {statusLabels[s]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.lane}>Lane</label>
        <select
          id={ids.lane}
          value={filters.lane ?? ''}
          onChange={(e) => onChange({ lane: (e.target.value || null) as Lane | null })}
        >
          <option value="">Any lane</option>
          {lanes.map((l) => (
            <option key={l} value={l}>
              {laneLabels[l]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.kind}>Kind</label>
        <select
          id={ids.kind}
          value={filters.kind ?? ''}
          onChange={(e) => onChange({ kind: e.target.value || null })}
        >
          <option value="">Any kind</option>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {kindLabel(k)}
            </option>
          ))}
        </select>
      </div>
      <div className="field field--check">
        <input
          id={ids.mine}
          type="checkbox"
          checked={filters.mine}
          onChange={(e) => onChange({ mine: e.target.checked })}
        />
        <label htmlFor={ids.mine}>Mine to decide</label>
      </div>
    </search>
  );
}
