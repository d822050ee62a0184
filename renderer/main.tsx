import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { AppContext } from './app-context';
import { contractClient } from './contract/client';
import { type ConnectivityStore, createConnectivityStore } from './stores/connectivity-store';
import { createSessionStore, type SessionStore } from './stores/session-store';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
// The stores and the client know each other only through these two late-bound references.
let session: SessionStore | undefined;
let connectivity: ConnectivityStore | undefined;
const client = contractClient(undefined, (_name, reply) => {
  if (!reply.ok && reply.error.code === 'unavailable') connectivity?.getState().noteUnavailable();
});
session = createSessionStore(client);
connectivity = createConnectivityStore(client, () => session?.getState().active?.profile ?? null);
const services = { client, session, connectivity };
createRoot(root).render(
  <StrictMode>
    <AppContext.Provider value={services}>
      <App />
    </AppContext.Provider>
  </StrictMode>,
);
