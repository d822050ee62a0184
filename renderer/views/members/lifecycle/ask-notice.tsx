import { useEffect, useRef } from 'react';
import { Notice } from '../../../components/notice';
import { ApprovalRequestedNotice } from '../../api-keys/approval-requested-notice';
import { useLifecycle, useLifecycleStore } from './use-lifecycle';

/** What the last lifecycle step asked for came to: a request raised (or carried out at once), or a refusal. */
export function AskNotice() {
  const store = useLifecycleStore();
  const ask = useLifecycle((s) => s.ask);
  const dismiss = () => store.getState().clearAsk();
  const ref = useRef<HTMLDivElement>(null);
  // The dialog that raised it gives the focus back to its opener as it closes; then the notice takes it, so
  // what came of the request is seen (and read out) wherever the page was scrolled.
  useEffect(() => {
    if (ask.phase !== 'raised' && ask.phase !== 'failed') return;
    // Waits (a frame at a time, a second at most) until the dialog has been gone for two frames: React
    // removes its element first and gives the focus back to its opener a little later.
    let frame = 0;
    let tries = 0;
    let gone = 0;
    const take = () => {
      gone = document.querySelector('dialog[open]') ? 0 : gone + 1;
      if (gone < 2 && tries++ < 60) {
        frame = requestAnimationFrame(take);
        return;
      }
      ref.current?.focus();
      ref.current?.scrollIntoView({ block: 'nearest' });
    };
    frame = requestAnimationFrame(take);
    return () => cancelAnimationFrame(frame);
  }, [ask]);
  let notice = null;
  if (ask.phase === 'failed')
    notice = (
      <Notice tone="error" action={{ label: 'Dismiss', run: dismiss }}>
        {ask.ask.title}: {ask.error.message}
      </Notice>
    );
  else if (ask.phase === 'raised' && ask.request.status === 'executed')
    notice = (
      <Notice tone="info" action={{ label: 'Dismiss', run: dismiss }}>
        Done: {ask.ask.title}. The policy let it through at once.
      </Notice>
    );
  else if (ask.phase === 'raised')
    notice = <ApprovalRequestedNotice request={ask.request} asked={ask.ask.title} onDismiss={dismiss} />;
  if (!notice) return null;
  return (
    <div ref={ref} tabIndex={-1} className="ask-notice">
      {notice}
    </div>
  );
}
