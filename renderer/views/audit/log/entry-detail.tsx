import { type KeyboardEvent, useEffect, useId, useRef } from 'react';
import { auditActionLabel, auditResourceTypeLabel } from '../../../../shared/audit/actions';
import { PersonName } from '../../../components/person-name';
import type { AuditEntry } from '../../../stores/audit-store';
import { Fact } from '../facts';
import { actorLabel, type NameOf, namedResourceTypes, utcTime } from '../format';
import { useNameOf } from '../use-name-of';
import { ChangeView } from './change-view';
import { Outcome } from './outcome';

interface EntryDetailProps {
  readonly entry: AuditEntry;
  onClose(): void;
}

/** One entry in full: who did what to which resource, from where, and what it changed. */
export function EntryDetail({ entry, onClose }: EntryDetailProps) {
  const titleId = useId();
  const nameOf = useNameOf();
  const title = useRef<HTMLHeadingElement>(null);
  // A newly opened entry is announced by moving to its title; Escape (below) goes back to the list.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the seq is the trigger
  useEffect(() => title.current?.focus(), [entry.seq]);
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    onClose();
  };
  return (
    <section className="audit-detail" aria-labelledby={titleId} onKeyDown={onKeyDown}>
      <div className="audit-detail__top">
        <h2 id={titleId} ref={title} tabIndex={-1} className="audit-detail__title">
          Entry {entry.seq}
        </h2>
        <button type="button" onClick={onClose} aria-keyshortcuts="Escape">
          Close
        </button>
      </div>
      <dl className="audit-facts audit-facts--pairs">
        <Fact name="Action">
          {auditActionLabel(entry.action) ? (
            <>
              {auditActionLabel(entry.action)} <code>{entry.action}</code>
            </>
          ) : (
            entry.action
          )}
        </Fact>
        <Fact name="Outcome">
          <Outcome outcome={entry.outcome} />
        </Fact>
        <Fact name="Actor">
          {nameOf(entry.actor.id).kind === 'unknown' ? (
            actorLabel(entry.actor)
          ) : (
            <PersonName id={entry.actor.id} />
          )}
        </Fact>
        <Fact name="Time">
          <time dateTime={entry.ts}>{utcTime(entry.ts)}</time>
        </Fact>
      </dl>
      <dl className="audit-facts">
        <Fact name="Resource">
          <ResourceName resource={entry.resource} nameOf={nameOf} />
        </Fact>
      </dl>
      <section aria-label="Change">
        <h3>Change</h3>
        <ChangeView change={entry.change} />
      </section>
      <section aria-label="Request">
        <h3>Request</h3>
        <dl className="audit-facts audit-facts--pairs">
          <Fact name="Tenant">
            {entry.organization} · {entry.environment}
          </Fact>
          {entry.request && (
            <>
              <Fact name="Request id">{entry.request.id}</Fact>
              <Fact name="IP address">{entry.request.ip}</Fact>
              <Fact name="User agent">{entry.request.userAgent}</Fact>
            </>
          )}
          {entry.signature && (
            <Fact name="Device signature">
              {entry.signature.algorithm}, key {entry.signature.keyId}
            </Fact>
          )}
        </dl>
      </section>
      <details className="audit-detail__raw">
        <summary>Entry as JSON</summary>
        <pre>{JSON.stringify(entry, null, 2)}</pre>
      </details>
    </section>
  );
}

/** What the entry is about: a person or key by name (the id a click away), anything else by its id. */
function ResourceName({ resource, nameOf }: { resource: AuditEntry['resource']; nameOf: NameOf }) {
  const type = auditResourceTypeLabel(resource.type) ?? resource.type;
  const named = namedResourceTypes.has(resource.type) ? nameOf(resource.id).kind : 'unknown';
  if (named === 'unknown')
    return (
      <>
        {type} <code>{resource.id}</code>
      </>
    );
  // A key's name already says it is one.
  return named === 'api-key' ? (
    <PersonName id={resource.id} />
  ) : (
    <>
      {type} <PersonName id={resource.id} />
    </>
  );
}
