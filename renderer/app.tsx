import { useEffect } from 'react';
import { events } from '../shared/contract/contract';
import { useApp, useSession } from './app-context';
import { KeychainMissingView } from './views/keychain/keychain-missing-view';
import { ConsoleShell } from './views/shell/console-shell';
import { SignInView } from './views/sign-in/sign-in-view';

export function App() {
  const { client, session } = useApp();
  const active = useSession((s) => s.active);
  const keychain = useSession((s) => s.keychain.status);
  useEffect(() => {
    void session.getState().load();
    return client.onEvent((name, payload) => {
      if (name !== 'session.expired') return;
      const expired = events['session.expired'].safeParse(payload);
      if (expired.success) session.getState().onSessionExpired(expired.data.profile);
    });
  }, [client, session]);
  if (keychain === 'missing') return <KeychainMissingView />;
  return active ? <ConsoleShell /> : <SignInView />;
}
