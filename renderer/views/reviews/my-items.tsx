import { useEffect, useRef } from 'react';
import type { ReviewItem } from '../../stores/reviews-store';
import { dateTime } from '../approvals/format';
import { roleLabels } from '../members/role-names';
import type { ItemDecision } from './use-review-hotkeys';

const subjectWords = { member: 'Member', api_key: 'API key', device_key: 'Device key' } as const;

function grantText(item: ReviewItem): string {
  if (item.snapshot.role) return roleLabels[item.snapshot.role];
  if (item.snapshot.scopes) return item.snapshot.scopes.join(', ');
  return 'Signs approvals';
}

/**
 * The caller's items, one row each, the selected one marked: J/K move, Y keeps, X revokes, C changes.
 * Each row also has its buttons, so the mouse and assistive technology reach every decision too.
 */
export function MyItems({
  items,
  selectedId,
  onSelect,
  onDecide,
}: {
  items: readonly ReviewItem[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  onDecide: (item: ReviewItem, decision: ItemDecision) => void;
}) {
  const selectedRef = useRef<HTMLLIElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the selection is the trigger
  useEffect(() => {
    selectedRef.current?.scrollIntoView({ block: 'nearest' });
  }, [selectedId]);
  return (
    <ul className="review-items" aria-label="My review items">
      {items.map((item) => {
        const selected = item.id === selectedId;
        return (
          <li
            key={item.id}
            ref={selected ? selectedRef : undefined}
            className={`review-item${selected ? ' review-item--selected' : ''}${item.decision ? ' review-item--decided' : ''}`}
            aria-current={selected ? 'true' : undefined}
          >
            <button type="button" className="review-item__pick" onClick={() => onSelect(item.id)}>
              <span className="review-item__type">{subjectWords[item.subject.type]}</span>
              <strong>{item.subject.name}</strong>
              {item.subject.environment && (
                <span className="review-item__env">{item.subject.environment}</span>
              )}
            </button>
            <span className="review-item__grant">{grantText(item)}</span>
            <span className="review-item__use">
              Last use: {item.snapshot.lastUsedAt ? dateTime(item.snapshot.lastUsedAt) : 'never'}
              {item.snapshot.unused90Days && <span className="unused-flag">Unused 90 days</span>}
              {item.changedSinceSnapshot && <span className="changed-flag">Changed since the snapshot</span>}
            </span>
            {item.decision ? (
              <span className="review-item__decided">
                {item.decision === 'keep'
                  ? 'Kept'
                  : item.decision === 'revoke'
                    ? 'Revoke requested'
                    : 'Change requested'}
                {item.request && ` (${item.request.status})`}
              </span>
            ) : (
              <span className="review-item__actions">
                <button type="button" onClick={() => onDecide(item, 'keep')}>
                  Keep<span className="visually-hidden"> {item.subject.name}</span>
                </button>
                <button type="button" onClick={() => onDecide(item, 'revoke')}>
                  Revoke<span className="visually-hidden"> {item.subject.name}</span>
                </button>
                {item.subject.type === 'member' && (
                  <button type="button" onClick={() => onDecide(item, 'change')}>
                    Change<span className="visually-hidden"> {item.subject.name}</span>
                  </button>
                )}
              </span>
            )}
            <span className="review-item__due">Due {dateTime(item.deadline)}</span>
          </li>
        );
      })}
    </ul>
  );
}
