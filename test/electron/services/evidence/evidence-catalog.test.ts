import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleServices, createConsoleServices } from '../../../../electron/services/console-services';
import { Vault } from '../../../../electron/services/vault/vault';
import type { ProfileRef } from '../../../../shared/contract/spec';
import { addDays, dayOf } from '../../../../shared/evidence/period';
import { eventsDuring, signInToConsole } from '../../../helpers/console-sign-in';
import { valueIn } from '../../../helpers/contract';
import { startPlatform, type TestPlatform } from '../../../helpers/platform';

const vault = new Vault(keytar, `cc-test-evidence-catalog-${process.pid}`);
let platform: TestPlatform;
let services: ConsoleServices;
let profile: ProfileRef;
let adminToken: string;
let today: string;
const tenant = { organization: 'acme', environment: 'test' } as const;

async function upload(name: string, bytes: Buffer | string, query: Record<string, string> = {}) {
  const reply = await platform.call(
    'POST',
    `/v1/orgs/acme/envs/test/evidence?${new URLSearchParams({ name, ...query })}`,
    { token: adminToken, rawBody: bytes as string, headers: { 'content-type': 'application/octet-stream' } },
  );
  if (reply.status !== 201) throw new Error(`upload failed: ${reply.text}`);
  return reply.json as { id: string; sha256: string };
}

const dispatch = (name: string, input: Record<string, unknown>) =>
  services.dispatcher.dispatch(name as never, { profile, tenant, ...input } as never);

beforeAll(async () => {
  platform = await startPlatform();
  services = createConsoleServices({ dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')), vault });
  adminToken = (await platform.signIn(platform.user('acme', 'admin'))).accessToken;
  profile = await signInToConsole(services, platform, platform.user('acme', 'auditor'));
  today = dayOf(platform.clock.now());
});
afterAll(async () => {
  for (const p of await vault.profiles()) await vault.deleteProfile(p);
  await services.close();
  await platform.stop();
});

describe('the tenant’s evidence through the contract', () => {
  it('lists with filters from the platform, each file marked when this computer holds it', async () => {
    const tag = `cat${Date.now().toString(36)}`;
    const held = await upload(`${tag}-held.txt`, 'held on this computer', {
      periodFrom: '2026-01-01',
      periodTo: '2026-03-31',
      expiresOn: addDays(today, 10),
    });
    const remote = await upload(`${tag}-remote.json`, '{"remote":true}');
    valueIn(await dispatch('evidence.open', { evidenceId: held.id }));
    const all = valueIn(await dispatch('evidence.catalog', { filter: { q: tag } }));
    expect(
      all.evidence.map((e: { name: string; cached: boolean; status: string }) => [
        e.name,
        e.cached,
        e.status,
      ]),
    ).toEqual([
      [`${tag}-remote.json`, false, 'current'],
      [`${tag}-held.txt`, true, 'expiring'],
    ]);
    const json = valueIn(
      await dispatch('evidence.catalog', { filter: { q: tag, mediaType: 'application/json' } }),
    );
    expect(json.evidence.map((e: { id: string }) => e.id)).toEqual([remote.id]);
    const period = valueIn(
      await dispatch('evidence.catalog', { filter: { q: tag, from: '2026-02-01', to: '2026-02-28' } }),
    );
    expect(period.evidence.map((e: { id: string }) => e.id)).toEqual([held.id]);
    const paged = valueIn(await dispatch('evidence.catalog', { filter: { q: tag }, limit: 1 }));
    expect(paged.evidence).toHaveLength(1);
    const rest = valueIn(
      await dispatch('evidence.catalog', { filter: { q: tag, cursor: paged.nextCursor }, limit: 1 }),
    );
    expect(rest.evidence.map((e: { id: string }) => e.id)).toEqual([held.id]);
    const refused = await dispatch('evidence.catalog', { filter: { from: '2026-02-30' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('reads one file’s metadata from its own route, and says not-found for another tenant’s id', async () => {
    const file = await upload('single.txt', 'single file', {
      periodFrom: '2026-05-01',
      periodTo: '2026-05-31',
    });
    const record = valueIn(await dispatch('evidence.get', { evidenceId: file.id }));
    expect(record).toMatchObject({
      id: file.id,
      period: { from: '2026-05-01', to: '2026-05-31' },
      status: 'current',
      cached: false,
    });
    const globex = (await platform.signIn(platform.user('globex', 'owner'))).accessToken;
    const theirs = await platform.call('POST', '/v1/orgs/globex/envs/test/evidence?name=theirs.txt', {
      token: globex,
      rawBody: 'globex only',
      headers: { 'content-type': 'application/octet-stream' },
    });
    const crossed = await dispatch('evidence.get', { evidenceId: theirs.json.id });
    expect(crossed).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const opened = await dispatch('evidence.open', { evidenceId: theirs.json.id, taskId: 'cross-task-01' });
    expect(opened).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('answers coverage for the last twelve months', async () => {
    const coverage = valueIn(await dispatch('evidence.coverage', {}));
    expect(coverage.months).toHaveLength(12);
    expect(coverage.asOf).toBe(today);
  });
});

describe('opening a file that is not cached', () => {
  it('downloads it with progress events under its task id, then holds it', async () => {
    const file = await upload('big-log.txt', Buffer.alloc(3 * 1024 * 1024, 0x61));
    const { result, events } = await eventsDuring(services, () =>
      dispatch('evidence.open', { evidenceId: file.id, taskId: 'download-task-01' }),
    );
    const opened = valueIn(result);
    expect([opened.outcome, opened.source, opened.evidence.sha256]).toEqual([
      'opened',
      'platform',
      file.sha256,
    ]);
    const progress = events
      .filter((e) => e.name === 'progress')
      .map((e) => e.payload as { task: string; done: number; total: number });
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.every((p) => p.task === 'download-task-01' && p.total === 3 * 1024 * 1024)).toBe(true);
    expect(progress.at(-1)?.done).toBe(3 * 1024 * 1024);
    const again = valueIn(
      await dispatch('evidence.open', { evidenceId: file.id, taskId: 'download-task-02' }),
    );
    expect(again.source).toBe('cache');
  });

  it('stops a download cancelled by its task id, and the cache keeps nothing of it', async () => {
    const file = await upload('cancelled.txt', Buffer.alloc(6 * 1024 * 1024, 0x62));
    const before = valueIn(await services.dispatcher.dispatch('cache.status', {}));
    const stop = services.events.subscribe((name, payload) => {
      // At the first report, as a person pressing Cancel while the bar moves.
      if (name === 'progress' && (payload as { task: string }).task === 'cancel-dl-task-01')
        void services.dispatcher.dispatch('evidence.cancelOpen', { taskId: 'cancel-dl-task-01' });
    });
    try {
      const reply = valueIn(
        await dispatch('evidence.open', { evidenceId: file.id, taskId: 'cancel-dl-task-01' }),
      );
      expect(reply).toEqual({ outcome: 'cancelled' });
    } finally {
      stop();
    }
    expect(valueIn(await services.dispatcher.dispatch('cache.status', {}))).toEqual(before);
    const listed = valueIn(await dispatch('evidence.listCached', { query: 'cancelled' }));
    expect(listed.evidence).toEqual([]);
    const record = valueIn(await dispatch('evidence.get', { evidenceId: file.id }));
    expect(record.cached).toBe(false);
    expect(
      valueIn(await services.dispatcher.dispatch('evidence.cancelOpen', { taskId: 'cancel-dl-task-01' })),
    ).toEqual({ cancelled: false });
    // Opened again, it downloads in full.
    const opened = valueIn(
      await dispatch('evidence.open', { evidenceId: file.id, taskId: 'cancel-dl-task-02' }),
    );
    expect([opened.outcome, opened.source]).toEqual(['opened', 'platform']);
  });
});
