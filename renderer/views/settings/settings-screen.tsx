import './settings.css';
import { useEffect } from 'react';
import { useSession } from '../../app-context';
import { Notice } from '../../components/notice';
import { CacheSection } from './cache-section';
import { MasterKeySection } from './master-key-section';
import { ProfilesSection } from './profiles-section';
import { useSettings, useSettingsStore } from './use-settings';

/** This console's own settings: the evidence cache, its encryption key, and the saved profiles. */
export function SettingsScreen() {
  const store = useSettingsStore();
  const tenant = useSession((s) => s.tenant);
  const offline = useSettings((s) => s.offline);

  // Read afresh each time the screen opens: other screens fill the cache and add profiles.
  useEffect(() => {
    void store.getState().load();
  }, [store]);

  const live = tenant?.environment === 'live';
  return (
    <div className={`settings-screen${live ? ' settings-screen--live' : ''}`}>
      <header className="settings-screen__header">
        <h1>Settings</h1>
        <p className="settings-screen__where">
          This computer{live ? ' · ' : ''}
          {live && <strong className="live-flag">LIVE tenant in use</strong>}
        </p>
      </header>
      {offline && (
        <Notice tone="offline" action={{ label: 'Retry', run: () => void store.getState().load() }}>
          <strong>Offline.</strong> The console's own process cannot be reached; what was already loaded stays
          on screen.
        </Notice>
      )}
      <CacheSection />
      <MasterKeySection />
      <ProfilesSection />
    </div>
  );
}
