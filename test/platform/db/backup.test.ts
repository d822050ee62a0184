import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../../platform/context';
import { appendEntries, platformKeys, tenantOf, verifyBytes } from '../../helpers/audit';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

const run = promisify(execFile);

/** `npm run platform -- backup` on the embedded SQLite database, taken while the platform writes. */
let platform: TestPlatform;
const restored = mkdtempSync(join(tmpdir(), 'cc-restored-'));

beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => {
  await platform.stop();
  rmSync(restored, { recursive: true, force: true });
});

describe('backup', () => {
  it('copies the database consistently while the platform goes on appending, and the copy opens and verifies', async () => {
    const tenant = await tenantOf(platform, 'acme', 'live');
    await appendEntries(platform, tenant, 500);
    const out = join(restored, 'platform.sqlite');
    // The platform appends throughout the backup.
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await appendEntries(platform, tenant, 20);
        // better-sqlite3 answers at once: without a turn of the event loop the backup's exit is never seen.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const backup = await run(process.execPath, [
      '--import',
      'tsx',
      'platform/cli/main.ts',
      'backup',
      '--out',
      out,
      ...platform.cliOptions,
    ]);
    writing = false;
    await writer;
    expect(backup.stdout).toMatch(/Backed up .* pages\)/);
    expect(readdirSync(restored)).toEqual(['platform.sqlite']);

    // Restored with the key files, the copy is a whole platform: its log is a prefix that verifies.
    for (const name of readdirSync(platform.dataDir)) {
      if (!name.startsWith('platform.sqlite'))
        cpSync(join(platform.dataDir, name), join(restored, name), { recursive: true });
    }
    const ctx = await createContext(restored);
    try {
      const size = await ctx.auditLog.size(tenant);
      expect(size).toBeGreaterThanOrEqual(500);
      expect(size).toBeLessThanOrEqual(await platform.ctx.auditLog.size(tenant));
      const context = { actor: { type: 'system' as const, id: 'backup-test' }, request: null };
      const exported = await ctx.audit.export(tenant, context, {}, new Date());
      if (!exported.ok) throw new Error(exported.error.message);
      let text = '';
      for await (const chunk of exported.value.chunks) text += chunk;
      expect((await verifyBytes(Buffer.from(text), platformKeys(platform))).verdict).toBe('verified');
      expect(await ctx.stores.organizations.findBySlug('globex')).toBeDefined();
    } finally {
      await ctx.close();
    }
  });

  it('refuses PostgreSQL, whose backups are pg_dump and WAL archiving', async () => {
    const refused = await run(process.execPath, [
      '--import',
      'tsx',
      'platform/cli/main.ts',
      'backup',
      '--out',
      join(restored, 'x'),
      '--database',
      'postgres://nobody@127.0.0.1/none',
    ]).catch((error: { code: number; stderr: string }) => error);
    expect('code' in refused && refused.code).toBe(2);
    expect(existsSync(join(restored, 'x'))).toBe(false);
  });
});
