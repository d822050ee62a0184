import { Notice } from '../../../components/notice';
import { ApprovalRequestedNotice } from '../../api-keys/approval-requested-notice';
import { useLifecycle, useLifecycleStore } from './use-lifecycle';

/** What the last lifecycle step asked for came to: a request raised (or carried out at once), or a refusal. */
export function AskNotice() {
  const store = useLifecycleStore();
  const ask = useLifecycle((s) => s.ask);
  const dismiss = () => store.getState().clearAsk();
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
    // The dialog that raised the request gives this the focus as it closes (AskDialog's returnFocus).
    <div tabIndex={-1} className="ask-notice">
      {notice}
    </div>
  );
}
