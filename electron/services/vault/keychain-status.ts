import type { Vault } from './vault';

export interface KeychainStatus {
  readonly available: boolean;
  /** What is missing, in plain words; null when the keychain works. */
  readonly problem: string | null;
  /** What the person can do about it on this operating system. */
  readonly fix: string | null;
}

const advice: Readonly<Record<string, { problem: string; fix: string }>> = {
  linux: {
    problem:
      'This computer has no unlocked keychain the console can use. Compliance Console keeps your sign-in and signing keys only in the OS keychain (a Secret Service), never in a file.',
    fix: 'Start a Secret Service such as GNOME Keyring or KWallet and unlock it. Signing in to a desktop session usually does both; on a server or over SSH, run gnome-keyring-daemon --unlock inside a D-Bus session (dbus-run-session).',
  },
  darwin: {
    problem:
      'The macOS Keychain could not be used. Compliance Console keeps your sign-in and signing keys only there, never in a file.',
    fix: 'Open Keychain Access and unlock your login keychain, then check again.',
  },
  win32: {
    problem:
      'Windows Credential Manager could not be used. Compliance Console keeps your sign-in and signing keys only there, never in a file.',
    fix: 'Sign in to Windows with your own account (Credential Manager belongs to it), then check again.',
  },
};

/** Checked before anyone types a password: a sign-in that could not be kept would only leave a session behind. */
export async function keychainStatus(vault: Vault, os: string = process.platform): Promise<KeychainStatus> {
  if (await vault.usable()) return { available: true, problem: null, fix: null };
  const words = advice[os] ?? advice.linux;
  return { available: false, problem: words?.problem ?? null, fix: words?.fix ?? null };
}

/** The one message a keychain failure in the middle of a call turns into. */
export const keychainUnavailableMessage =
  'The OS keychain cannot be used, so nothing was kept on this computer. Unlock or start the keychain, then try again.';
