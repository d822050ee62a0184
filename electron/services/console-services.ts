import { Dispatcher } from './contract/dispatcher';
import { EventBus } from './contract/event-bus';
import { createHandlers } from './contract/handlers/handlers';
import { DeviceKeys } from './device-key/device-key';
import { ProfileSessions } from './profiles/profile-sessions';
import { BrowserSignIn } from './sign-in/browser-sign-in';
import { Vault } from './vault/vault';

export interface ConsoleServicesOptions {
  /** Where the console keeps its own files (the evidence cache); secrets go to the keychain instead. */
  readonly dataDir: string;
  /**
   * Opens a URL in the system browser (Electron's shell.openExternal after its https check). The
   * headless host has none: the renderer opens the URL it is given.
   */
  readonly openExternal?: (url: string) => Promise<void>;
  /** One line per unexpected failure; it carries the error's own words, never call inputs or outputs. */
  readonly log?: (line: string) => void;
  /** The keychain under another service name (tests keep theirs apart); the app's by default. */
  readonly vault?: Vault;
  readonly now?: () => number;
  /** The platform the sign-in screen suggests (the embedded demo platform under `npm start`). */
  readonly defaultPlatformUrl?: string;
}

export interface ConsoleServices {
  readonly dispatcher: Dispatcher;
  readonly events: EventBus;
  close(): Promise<void>;
}

/** The main process's services, whatever shell carries them: the Electron app or the headless host. */
export function createConsoleServices(options: ConsoleServicesOptions): ConsoleServices {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const events = new EventBus();
  const vault = options.vault ?? new Vault();
  const profiles = new ProfileSessions(vault, (profile) => events.emit('session.expired', { profile }));
  const deviceKeys = new DeviceKeys(vault);
  const browserSignIn = new BrowserSignIn(profiles, deviceKeys, options.openExternal);
  const handlers = createHandlers({
    vault,
    profiles,
    browserSignIn,
    deviceKeys,
    now: options.now ?? Date.now,
    defaultPlatformUrl: options.defaultPlatformUrl,
    opensBrowser: options.openExternal !== undefined,
  });
  const dispatcher = new Dispatcher(handlers, (name, error) =>
    log(`Console call ${name} failed: ${error instanceof Error ? error.message : 'unknown error'}`),
  );
  return { dispatcher, events, close: async () => {} };
}
