import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import keytar from 'keytar';
import { build } from 'vite';
import { createConsoleServices } from '../../electron/services/console-services';
import { type HeadlessHost, startHeadlessHost } from '../../electron/services/host/headless-host';
import { Vault } from '../../electron/services/vault/vault';
import type { ContractReply } from '../../shared/contract/contract';

/** Builds the renderer once per test file, into a directory of its own. */
export async function buildRenderer(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'cc-renderer-build-'));
  await build({
    configFile: join(import.meta.dirname, '../../vite.config.ts'),
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}

export interface TestConsole {
  readonly host: HeadlessHost;
  readonly vault: Vault;
  readonly dataDir: string;
  /** Every line the console's main process logged. */
  readonly logLines: string[];
  close(): Promise<void>;
}

/** A console for a test platform: the built renderer, pointed at the platform, on the platform's clock. */
export async function startConsoleFor(platform: {
  readonly url: string;
  readonly clock: { now(): number };
}): Promise<TestConsole> {
  return startConsole({
    rendererDir: await buildRenderer(),
    platformUrl: platform.url,
    now: () => platform.clock.now(),
  });
}

/** The real console services behind the headless host, with a keychain service name of their own. */
export async function startConsole(options: {
  rendererDir: string;
  platformUrl?: string;
  now?: () => number;
}): Promise<TestConsole> {
  const vault = new Vault(keytar, `cc-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'cc-console-data-'));
  const logLines: string[] = [];
  const host = await startHeadlessHost({
    rendererDir: options.rendererDir,
    services: createConsoleServices({
      dataDir,
      vault,
      log: (line) => logLines.push(line),
      defaultPlatformUrl: options.platformUrl,
      now: options.now,
    }),
  });
  return {
    host,
    vault,
    dataDir,
    logLines,
    close: async () => {
      for (const profile of await vault.profiles()) await vault.deleteProfile(profile);
      await host.close();
    },
  };
}

/**
 * A contract call made from inside the page, exactly as the renderer's transport makes it. The transport
 * takes the launch secret out of the address bar; the page's navigation entry still names the URL it
 * was opened with.
 */
export function callFromPage(page: Page, name: string, input: unknown): Promise<ContractReply> {
  return page.evaluate(
    async ([callName, callInput]) => {
      const opened = new URL(performance.getEntriesByType('navigation')[0]?.name ?? location.href);
      const secret = new URLSearchParams(opened.hash.slice(1)).get('k') ?? '';
      const response = await fetch(`/contract/${callName}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-cc-launch': secret },
        body: JSON.stringify(callInput),
      });
      return response.json();
    },
    [name, input] as const,
  );
}
