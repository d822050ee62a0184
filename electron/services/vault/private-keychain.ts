import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A keychain of this process's own, for `npm start`'s demo only; never used by the packaged app. */
export interface PrivateKeychain {
  /** The environment a process needs to use it (its session bus). */
  readonly env: Record<string, string>;
  stop(): void;
}

function installed(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * On Linux without a usable Secret Service (a server, an SSH session), starts a throwaway one: a private
 * D-Bus session with GNOME Keyring unlocked by a random password, in a temporary directory removed on
 * stop. Returns undefined where dbus-daemon or gnome-keyring-daemon is not installed.
 */
export async function startPrivateKeychain(): Promise<PrivateKeychain | undefined> {
  if (process.platform !== 'linux' || !installed('dbus-daemon') || !installed('gnome-keyring-daemon')) {
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'cc-demo-keychain-'));
  const runtime = join(dir, 'run');
  mkdirSync(runtime, { mode: 0o700 });
  const children: ChildProcess[] = [];
  const stop = () => {
    for (const child of children) child.kill();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    children.push(bus);
    const address = await new Promise<string>((resolve, reject) => {
      bus.stdout?.once('data', (chunk) => resolve(String(chunk).split('\n')[0]?.trim() ?? ''));
      bus.once('exit', () => reject(new Error('dbus-daemon stopped')));
    });
    const env = {
      DBUS_SESSION_BUS_ADDRESS: address,
      XDG_DATA_HOME: join(dir, 'share'),
      XDG_RUNTIME_DIR: runtime,
    };
    const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
      stdio: ['pipe', 'ignore', 'ignore'],
      env: { ...process.env, ...env, HOME: dir },
    });
    children.push(keyring);
    // The password only unlocks this throwaway keyring, which is deleted on stop.
    keyring.stdin?.end(`${randomBytes(16).toString('hex')}\n`);
    return { env, stop };
  } catch {
    stop();
    return undefined;
  }
}

const probeScript = `
const keytar = require('keytar');
const account = '#keychain-probe-' + process.pid;
keytar.setPassword('com.compliance-console.desktop', account, 'probe')
  .then(() => keytar.deletePassword('com.compliance-console.desktop', account))
  .then(() => process.exit(0), () => process.exit(1));
`;

/**
 * Whether a process with this environment can keep a secret in the keychain. Asked in a child process: a
 * process that has once reached a session bus keeps that connection, so this one must not try first.
 */
export async function keychainWorks(env: NodeJS.ProcessEnv, cwd: string): Promise<boolean> {
  const child = spawn(process.execPath, ['-e', probeScript], { cwd, env, stdio: 'ignore' });
  const timer = setTimeout(() => child.kill(), 10_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  return code === 0;
}

/** Polls until the keychain takes a secret (the keyring daemon registers on the bus shortly after start). */
export async function waitForKeychain(env: NodeJS.ProcessEnv, cwd: string, attempts = 20): Promise<boolean> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (await keychainWorks(env, cwd)) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}
