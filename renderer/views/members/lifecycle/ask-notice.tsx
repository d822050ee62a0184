import { Notice } from '../../../components/notice';
import { ApprovalRequestedNotice } from '../../api-keys/approval-requested-notice';
import { useLifecycle, useLifecycleStore } from './use-lifecycle';

/** What the last lifecycle step asked for came to: a request raised (or carried out at once), or a refusal. */
export function AskNotice() {
  const store = useLifecycleStore();
  const ask = useLifecycle((s) => s.ask);
  const dismiss = () => store.getState().clearAsk();
  if (ask.phase === 'failed')
    return (
      <Notice tone="error" action={{ label: 'Dismiss', run: dismiss }}>
        {ask.ask.title}: {ask.error.message}
      </Notice>
    );
  if (ask.phase !== 'raised') return null;
  if (ask.request.status === 'executed')
    return (
      <Notice tone="info" action={{ label: 'Dismiss', run: dismiss }}>
        Done: {ask.ask.title}. The policy let it through at once.
      </Notice>
    );
  return <ApprovalRequestedNotice request={ask.request} asked={ask.ask.title} onDismiss={dismiss} />;
}
