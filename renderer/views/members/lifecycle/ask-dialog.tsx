import { type FormEvent, type ReactNode, useRef, useState } from 'react';
import { Dialog } from '../../../components/dialog';
import type { LifecycleAsk } from '../../../stores/lifecycle-store';
import { useLifecycle, useLifecycleStore } from './use-lifecycle';

interface Props {
  readonly title: string;
  /** What is asked, in words, above the reason. */
  readonly children?: ReactNode;
  /** Builds the request from the reason typed (and whatever the dialog's own fields hold); null: not ready. */
  readonly ask: (reason: string) => LifecycleAsk | null;
  readonly submitLabel: string;
  readonly live: boolean;
  readonly onClose: (raised: boolean) => void;
}

/**
 * Every lifecycle step the Members screen asks for: a reason, then an approval request in the step's lane.
 * The dialog says plainly that nothing happens until the request is approved (or its lane is green).
 */
export function AskDialog({ title, children, ask, submitLabel, live, onClose }: Props) {
  const store = useLifecycleStore();
  const raising = useLifecycle((s) => s.ask.phase === 'raising');
  const [reason, setReason] = useState('');
  const [failed, setFailed] = useState<string | null>(null);
  const raised = useRef(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailed(null);
    if (reason.trim() === '') {
      setFailed('Say why: approvers read it, and it is kept on record.');
      return;
    }
    const request = ask(reason.trim());
    if (!request) return;
    const outcome = await store.getState().raise(request);
    if (outcome.phase === 'failed') setFailed(outcome.error.message);
    else if (outcome.phase === 'raised') {
      raised.current = true;
      onClose(true);
    }
  };

  return (
    <Dialog
      title={title}
      onCancel={() => onClose(false)}
      // Once raised, the focus goes to the notice of what came of it, wherever the page was scrolled.
      returnFocus={() => (raised.current ? document.querySelector<HTMLElement>('.ask-notice') : null)}
    >
      <form onSubmit={(e) => void submit(e)} className="lifecycle-form">
        {live && <p className="dialog__live">LIVE — this changes who may act on real data.</p>}
        {children}
        <label htmlFor="lifecycle-reason">Reason</label>
        <textarea
          id="lifecycle-reason"
          rows={3}
          maxLength={2000}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          data-autofocus={children ? undefined : true}
        />
        <p className="hint">This raises an approval request; it happens once the request is approved.</p>
        {failed && (
          <p className="field-error" role="alert">
            {failed}
          </p>
        )}
        <div className="dialog__actions">
          <button type="button" onClick={() => onClose(false)}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={raising}>
            {raising ? 'Raising…' : submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
