import { type FormEvent, type KeyboardEvent, useEffect, useId, useState } from 'react';
import { useApprovals, useApprovalsStore } from '../use-approvals';

/**
 * A comment without a decision, for anyone who may read the request. What was typed stays until it is
 * on the timeline; Ctrl+Enter (Cmd+Enter) sends it.
 */
export function CommentBox({ requestId }: { readonly requestId: string }) {
  const store = useApprovalsStore();
  const write = useApprovals((s) =>
    s.write.phase !== 'idle' && s.write.requestId === requestId && s.write.action === 'comment'
      ? s.write
      : null,
  );
  const [body, setBody] = useState('');
  const [empty, setEmpty] = useState(false);
  const [added, setAdded] = useState(false);
  const ids = { box: useId(), hint: useId(), problem: useId() };
  const working = write?.phase === 'working';
  // Another request opened in the detail: a draft comment was for the one before.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the request is the trigger
  useEffect(() => {
    setBody('');
    setEmpty(false);
    setAdded(false);
  }, [requestId]);

  const send = async (event?: FormEvent) => {
    event?.preventDefault();
    if (working) return;
    setAdded(false);
    if (body.trim() === '') return setEmpty(true);
    if (await store.getState().comment(requestId, body)) {
      setBody('');
      setAdded(true);
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
  };
  const failed = write?.phase === 'failed' ? write.error.message : null;
  const describedBy = [ids.hint, empty || failed ? ids.problem : ''].filter(Boolean).join(' ');

  return (
    <form className="comment-box" onSubmit={(e) => void send(e)} noValidate aria-label="New comment">
      <label htmlFor={ids.box}>Add a comment</label>
      <textarea
        id={ids.box}
        value={body}
        rows={3}
        maxLength={4000}
        aria-invalid={empty || failed ? true : undefined}
        aria-describedby={describedBy}
        aria-keyshortcuts="Control+Enter Meta+Enter"
        onKeyDown={onKeyDown}
        onChange={(e) => {
          setBody(e.target.value);
          setEmpty(false);
          setAdded(false);
        }}
      />
      <p id={ids.hint} className="hint">
        Without a decision. Comments are final: they cannot be edited or deleted. Ctrl+Enter sends.
      </p>
      {(empty || failed) && (
        <p id={ids.problem} className="field-error" role="alert">
          {empty ? 'Write the comment first.' : `The comment was not added: ${failed}`}
        </p>
      )}
      <div className="comment-box__actions">
        <button type="submit" disabled={working}>
          {working ? 'Adding…' : 'Add comment'}
        </button>
        <span role="status" className="comment-box__added">
          {added ? 'Comment added to the timeline.' : ''}
        </span>
      </div>
    </form>
  );
}
