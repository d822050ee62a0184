import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * A password in a URL on the command line is readable by every user of the machine (ps): `serve` says so
 * and names the variable to use instead, and what it prints never repeats the password.
 */
const running: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Starts `serve` and answers what it wrote by the time it listened. */
function serve(args: readonly string[], env: Record<string, string> = {}) {
  const data = mkdtempSync(join(tmpdir(), 'cc-cli-'));
  dirs.push(data);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'platform/cli/main.ts', 'serve', '--port', '0', '--data', data, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  running.push(child);
  let out = '';
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  return new Promise<{ out: string; err: string }>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (/Invitations are mailed to/.test(out)) resolve({ out, err });
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${err}`)));
  });
}

describe('platform serve: secrets in URLs', () => {
  it('warns when --smtp-url carries a password, naming CC_SMTP_URL, and never prints the password', async () => {
    const { out, err } = await serve(['--smtp-url', 'smtp://mailer:hunter2-secret@127.0.0.1:2525']);
    expect(err).toMatch(/--smtp-url carries a password.*process list; set CC_SMTP_URL instead/);
    expect(out).toMatch(/Invitations are mailed to .*127\.0\.0\.1:2525/);
    expect(`${out}${err}`).not.toContain('hunter2-secret');
  }, 60_000);

  it('takes the SMTP URL from CC_SMTP_URL without a warning', async () => {
    const { out, err } = await serve([], { CC_SMTP_URL: 'smtp://mailer:hunter2-secret@127.0.0.1:2526' });
    expect(err).not.toMatch(/carries a password/);
    expect(out).toMatch(/Invitations are mailed to .*127\.0\.0\.1:2526/);
    expect(`${out}${err}`).not.toContain('hunter2-secret');
  }, 60_000);
});
