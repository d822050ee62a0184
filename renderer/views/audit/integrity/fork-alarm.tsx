import './integrity.css';
import { useId } from 'react';
import type { ForkAlarm as Fork } from '../../../stores/audit-integrity-store';
import { downloadText } from '../download';

const sides = ['Checkpoint this console stored before', 'Checkpoint the platform shows now'];

/**
 * The platform has shown two histories of one log: nothing about this log can be trusted until someone
 * finds out why. Both signed notes are the evidence, shown exactly as signed.
 */
export function ForkAlarm({ fork }: { fork: Fork }) {
  const titleId = useId();
  const save = () =>
    downloadText(
      'audit-fork-evidence.txt',
      `Fork of ${fork.origin}\n\n${fork.evidence.join('\n----\n')}`,
      'text/plain;charset=utf-8',
    );
  return (
    <section className="fork-alarm" role="alert" aria-labelledby={titleId}>
      <h2 id={titleId} className="fork-alarm__title">
        <span aria-hidden="true">⚠ </span>Fork detected: this log has two histories
      </h2>
      <p>
        The platform signed checkpoints of <code>{fork.origin}</code> that no consistency proof joins. Entries
        may have been rewritten or hidden. Do not rely on this log; keep the evidence below and report it to
        your security team.
      </p>
      <div className="fork-alarm__notes">
        {fork.evidence.map((note, index) => (
          <figure key={note} className="fork-alarm__note">
            <figcaption>{fork.evidence.length === 2 ? sides[index] : `Signed note ${index + 1}`}</figcaption>
            <pre>{note}</pre>
          </figure>
        ))}
      </div>
      <button type="button" onClick={save}>
        Save the evidence
      </button>
    </section>
  );
}
