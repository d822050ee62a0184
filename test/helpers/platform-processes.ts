import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { TestPlatform } from './platform';

/** A `npm run platform -- serve` process of its own, on loopback, on a port the system picked. */
export interface PlatformProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** What it wrote to stderr, for a failing test's message. */
  readonly stderr: () => string;
  /** SIGTERM (a clean stop) or SIGKILL (a crash); resolves once the process is gone. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

/** Starts the platform's CLI `serve` with these options (`--data`, `--database`) and waits until it listens. */
export async function startPlatformProcess(options: readonly string[]): Promise<PlatformProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'platform/cli/main.ts', 'serve', '--port', '0', ...options],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const listening = /listening on (http:\/\/[^\s]+) /.exec(out);
      if (listening?.[1]) resolve(listening[1]);
    });
    child.once('exit', (code) =>
      reject(new Error(`platform process exited (${code}) before listening: ${err}`)),
    );
  });
  const exited = once(child, 'exit');
  return {
    url,
    child,
    stderr: () => err,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}

/**
 * Hands a seeded test platform over to `count` platform processes: its in-process server and context close
 * (they only seeded and signed people in), and the processes serve the same data directory and database.
 */
export async function handOver(
  platform: TestPlatform,
  count: number,
  extraOptions: readonly string[] = [],
): Promise<PlatformProcess[]> {
  await platform.app.close();
  await platform.ctx.close();
  return Promise.all(
    Array.from({ length: count }, () => startPlatformProcess([...platform.cliOptions, ...extraOptions])),
  );
}
