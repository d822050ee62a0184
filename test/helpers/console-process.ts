import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** A console main process (services + headless host) started from test/fixtures/console-host.ts. */
export interface ConsoleProcess {
  readonly url: string;
  readonly origin: string;
  readonly secret: string;
  readonly stderr: string[];
  /** A contract call as the renderer makes it: own Origin, launch secret. */
  call(
    name: string,
    input: unknown,
  ): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;
  stop(): void;
}

export async function startConsoleProcess(
  options: { env?: NodeJS.ProcessEnv; rendererDir?: string } = {},
): Promise<ConsoleProcess> {
  const fixture = join(import.meta.dirname, '../fixtures/console-host.ts');
  const args = ['--import', 'tsx', fixture, ...(options.rendererDir ? [options.rendererDir] : [])];
  const child: ChildProcess = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  const stderr: string[] = [];
  child.stderr?.on('data', (d) => stderr.push(String(d)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (d) => resolve(String(d).trim()));
    child.once('exit', (code) => reject(new Error(`console exited ${code}: ${stderr.join('')}`)));
  });
  const origin = new URL(url).origin;
  const secret = new URLSearchParams(new URL(url).hash.slice(1)).get('k') ?? '';
  return {
    url,
    origin,
    secret,
    stderr,
    async call(name, input) {
      const response = await fetch(`${origin}/contract/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json', 'x-cc-launch': secret },
        body: JSON.stringify(input),
      });
      return response.json();
    },
    stop: () => child.kill(),
  };
}

/** An environment in which no Secret Service can be reached: the session bus address leads nowhere. */
export const noKeychainEnv: NodeJS.ProcessEnv = {
  DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/cc-no-session-bus',
  GNOME_KEYRING_CONTROL: '',
};
