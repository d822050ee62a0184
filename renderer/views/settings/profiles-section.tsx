import { useState } from 'react';
import type { ProfileRef } from '../../../shared/contract/contract';
import { useSession } from '../../app-context';
import { Dialog } from '../../components/dialog';
import { Notice } from '../../components/notice';
import { DirectoryName, useDirectoryNameText } from '../shell/directory-name';
import { useSettings, useSettingsStore } from './use-settings';

const same = (a: ProfileRef, b: ProfileRef | undefined) =>
  a.platformOrigin === b?.platformOrigin && a.principalId === b?.principalId;

/** What a profile is, in words: a person (user id) or an API key (its public id). */
function kindOf(profile: ProfileRef): string {
  return profile.principalId.startsWith('cck_') ? 'API key' : 'Person';
}

/** The profiles this console holds credentials for, the one in use marked; each can be signed out. */
export function ProfilesSection() {
  const store = useSettingsStore();
  const profiles = useSettings((s) => s.profiles);
  const phase = useSettings((s) => s.profilesPhase);
  const signOutError = useSettings((s) => s.signOutError);
  const active = useSession((s) => s.active);
  const [confirming, setConfirming] = useState<ProfileRef | null>(null);
  const [busy, setBusy] = useState(false);
  // Ids are the platform's: the tenant's directory names profiles of the platform in use only.
  const samePlatform = (profile: ProfileRef) => profile.platformOrigin === active?.profile.platformOrigin;
  const fallbackOf = (profile: ProfileRef) =>
    same(profile, active?.profile) ? (active?.label ?? profile.principalId) : profile.principalId;
  const nameOf = (profile: ProfileRef) =>
    samePlatform(profile) ? (
      <DirectoryName id={profile.principalId} fallback={fallbackOf(profile)} />
    ) : (
      fallbackOf(profile)
    );
  const confirmingName = useDirectoryNameText(
    confirming && samePlatform(confirming) ? confirming.principalId : '',
    confirming ? fallbackOf(confirming) : '',
  );

  const signOut = async (profile: ProfileRef) => {
    setBusy(true);
    await store.getState().signOut(profile);
    setBusy(false);
    setConfirming(null);
  };

  return (
    <section className="settings-section" aria-labelledby="profiles-heading">
      <h2 id="profiles-heading">Profiles on this computer</h2>
      {profiles.length === 0 && (phase === 'idle' || phase === 'loading') && (
        <Notice tone="info">Reading profiles…</Notice>
      )}
      {profiles.length === 0 && phase === 'error' && (
        <Notice tone="error" action={{ label: 'Retry', run: () => void store.getState().load() }}>
          The profiles could not be read.
        </Notice>
      )}
      {profiles.length === 0 && phase === 'ready' && (
        <Notice tone="info">No profiles are saved on this computer.</Notice>
      )}
      {signOutError && <Notice tone="error">Signing out failed: {signOutError.message}</Notice>}
      {profiles.length > 0 && (
        <ul className="profile-list">
          {profiles.map((profile) => {
            const inUse = same(profile, active?.profile);
            return (
              <li
                key={`${profile.platformOrigin} ${profile.principalId}`}
                className={`profile-list__item${inUse ? ' profile-list__item--active' : ''}`}
                aria-current={inUse ? 'true' : undefined}
              >
                <div className="profile-list__who">
                  <span className="profile-list__name">
                    {nameOf(profile)}
                    {inUse && <span className="profile-list__badge">In use</span>}
                  </span>
                  <span className="profile-list__meta">
                    {kindOf(profile)} · <code>{profile.principalId}</code> · {profile.platformOrigin}
                  </span>
                </div>
                <button type="button" onClick={() => setConfirming(profile)}>
                  Sign out
                  <span className="visually-hidden"> {fallbackOf(profile)}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {confirming && (
        <Dialog title="Sign out" onCancel={() => setConfirming(null)}>
          <p>
            Sign out <strong>{confirmingName}</strong>? Every secret this profile has in the OS keychain is
            deleted
            {same(confirming, active?.profile) ? ', and the console returns to the sign-in screen' : ''}.
          </p>
          <div className="dialog__actions">
            <button type="button" data-autofocus onClick={() => setConfirming(null)}>
              Cancel
            </button>
            <button type="button" className="danger" disabled={busy} onClick={() => void signOut(confirming)}>
              {busy ? 'Signing out…' : 'Sign out'}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
