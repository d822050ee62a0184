import { useEffect } from 'react';
import { events } from '../shared/contract/contract';
import { useApp, useSession } from './app-context';
import { ConsoleShell } from './views/shell/console-shell';
import { SignInView } from './views/sign-in/sign-in-view';

export function App() {
  const { client, session } = useApp();
  const active = useSession((s) => s.active);
  useEffect(() => {
    void session.getState().load();
    return client.onEvent((name, payload) => {
      if (name !== 'session.expired') return;
      const expired = events['session.expired'].safeParse(payload);
      if (expired.success) session.getState().onSessionExpired(expired.data.profile);
    });
  }, [client, session]);
  return active ? <ConsoleShell /> : <SignInView />;
}
