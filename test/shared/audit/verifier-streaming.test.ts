import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesSource } from '../../../shared/audit/export-source';
import { workerChunkHasher } from '../../../shared/audit/node-chunk-hasher';
import { nodeAuditCrypto } from '../../../shared/audit/node-crypto';
import { verifyExport } from '../../../shared/audit/verifier';
import {
  appendEntries,
  type ExportParts,
  exportLog,
  joinExport,
  platformKeys,
  splitExport,
  tenantOf,
} from '../../helpers/audit';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

let platform: TestPlatform;
let valid: Buffer;
let parts: ExportParts;

beforeAll(async () => {
  platform = await startPlatform();
  const token = (await platform.signIn(platform.user('acme', 'auditor'))).accessToken;
  await appendEntries(platform, tenantOf(platform, 'acme', 'live'), 3000);
  valid = await exportLog(platform, token, 'acme', 'live');
  parts = splitExport(valid);
});
afterAll(() => platform.stop());

function corpus(): Record<string, Buffer> {
  const edit = (change: (p: ExportParts) => void) => {
    const copy = { header: parts.header, entries: [...parts.entries], checkpoints: [...parts.checkpoints] };
    change(copy);
    return joinExport(copy);
  };
  return {
    valid,
    modified: edit((p) => {
      p.entries[2000] = (p.entries[2000] as string).replace('"lane":"yellow"', '"lane":"red"');
    }),
    deleted: edit((p) => p.entries.splice(1500, 2)),
    swapped: edit((p) => {
      [p.entries[10], p.entries[11]] = [p.entries[11] as string, p.entries[10] as string];
    }),
    malformed: edit((p) => {
      p.entries[7] = '{"not":"an entry"}';
    }),
    truncated: edit((p) => p.entries.splice(-3, 3)),
  };
}

describe('the streaming verifier', () => {
  it('gives the same report whether leaves are hashed inline or in worker threads, in small or large units', async () => {
    const keys = platformKeys(platform);
    const hasher = workerChunkHasher(2);
    try {
      for (const [name, bytes] of Object.entries(corpus())) {
        const inline = await verifyExport(bytesSource(bytes), { crypto: nodeAuditCrypto, keys });
        for (const chunkBytes of [997, 64 * 1024]) {
          const threaded = await verifyExport(bytesSource(bytes), {
            crypto: nodeAuditCrypto,
            keys,
            chunkHasher: hasher,
            chunkBytes,
          });
          expect(threaded, `${name} at ${chunkBytes}`).toEqual(inline);
        }
        expect(inline.verdict, name).toBe(name === 'valid' ? 'verified' : 'tampered');
      }
    } finally {
      await hasher.close();
    }
  });

  it('reports progress up to the whole file, and stops when cancelled', async () => {
    const keys = platformKeys(platform);
    const seen: number[] = [];
    const done = await verifyExport(bytesSource(valid), {
      crypto: nodeAuditCrypto,
      keys,
      chunkBytes: 32 * 1024,
      onProgress: (p) => seen.push(p.bytesRead),
    });
    expect(done.verdict).toBe('verified');
    expect(seen.length).toBeGreaterThan(10);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(seen[seen.length - 1]).toBeLessThanOrEqual(valid.length);
    expect(seen[seen.length - 1]).toBeGreaterThan(valid.length * 0.9);

    const controller = new AbortController();
    const cancelled = await verifyExport(bytesSource(valid), {
      crypto: nodeAuditCrypto,
      keys,
      chunkBytes: 32 * 1024,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.bytesRead > valid.length / 3) controller.abort();
      },
    });
    expect(cancelled.cancelled).toBe(true);
    expect(cancelled.verdict).toBe('unverifiable');
    expect(cancelled.entriesRead).toBeLessThan(parts.entries.length);
  });
});
