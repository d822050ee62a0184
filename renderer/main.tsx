import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { AppContext } from './app-context';
import { contractClient } from './contract/client';
import { createSessionStore } from './stores/session-store';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
const client = contractClient();
const services = { client, session: createSessionStore(client) };
createRoot(root).render(
  <StrictMode>
    <AppContext.Provider value={services}>
      <App />
    </AppContext.Provider>
  </StrictMode>,
);
