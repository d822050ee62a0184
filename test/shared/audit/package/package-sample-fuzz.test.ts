import { randomBytes, randomInt } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64 } from '../../../../shared/audit/hash';
import { nodeAuditCrypto } from '../../../../shared/audit/node-crypto';
import { deriveSample, sampleSeed } from '../../../../shared/audit/package/sampling';
import { readPackage } from '../../../helpers/package';
import { startPlatform, type TestPlatform } from '../../../helpers/platform';
import { buildScenario, type Scenario, verify } from './fixture';

/** More rounds for a longer look: PACKAGE_FUZZ_ROUNDS=2000. */
const ROUNDS = Number(process.env.PACKAGE_FUZZ_ROUNDS ?? 150);

let platform: TestPlatform;
let s: Scenario;

beforeAll(async () => {
  platform = await startPlatform();
  s = await buildScenario(platform);
});
afterAll(() => platform.stop());

describe('verifiable sampling', () => {
  it('draws the same sample every time, and anyone can derive it again from the package', async () => {
    const first = await verify(s, s.clean, { sample: 1 });
    const again = await verify(s, s.clean, { sample: 1 });
    expect(first.sample?.requests.map((r) => r.requestId)).toEqual(
      again.sample?.requests.map((r) => r.requestId),
    );
    const sample = first.sample;
    if (!sample) throw new Error('no sample');
    expect(sample.proven).toBe(true);
    expect(sample.population).toBe(2);
    expect(sample.requests).toHaveLength(1);
    // Re-derived from nothing but the package: the closing checkpoint in its export and its requests.
    const exported = (await readPackage(s.clean)).get('log/export.jsonl')?.toString() ?? '';
    const lines = exported.split('\n').filter(Boolean);
    const note = JSON.parse(lines[lines.length - 1] as string).checkpoint as string;
    const [origin, size, root] = note.split('\n') as [string, string, string];
    const ids = lines
      .filter((l) => l.startsWith('{"action":"approval.request"'))
      .map((l) => JSON.parse(l).resource.id as string);
    const seed = { origin, size: Number(size), root: fromBase64(root) as Uint8Array, n: 1 };
    expect(deriveSample(nodeAuditCrypto, seed, ids)).toEqual([sample.requests[0]?.requestId]);
    expect(Buffer.from(sampleSeed(nodeAuditCrypto, seed)).toString('hex')).toBe(sample.seed);
    // The sampled request's own checks come with it.
    expect(sample.requests[0]).toMatchObject({ kind: 'custom.vendor_payment', findings: [] });
    expect(sample.requests[0]?.decisions).toHaveLength(1);
    expect(sample.requests[0]?.evidence).toHaveLength(1);
  });

  it('takes every request when the period holds fewer than N, in rank order', async () => {
    const report = await verify(s, s.clean, { sample: 10 });
    const ranks = report.sample?.requests.map((r) => r.rank) ?? [];
    expect(ranks).toHaveLength(2);
    expect([...ranks].sort()).toEqual(ranks);
  });

  it('depends on the closing root and on N: another checkpoint, another sample', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `apr_${String(i).padStart(26, 'a')}`);
    const base = {
      origin: 'compliance.localhost/audit/acme/test',
      size: 1000,
      root: new Uint8Array(32),
      n: 10,
    };
    const a = deriveSample(nodeAuditCrypto, base, ids);
    expect(a).toHaveLength(10);
    expect(deriveSample(nodeAuditCrypto, base, [...ids].reverse())).toEqual(a);
    expect(deriveSample(nodeAuditCrypto, { ...base, root: new Uint8Array(32).fill(1) }, ids)).not.toEqual(a);
    expect(deriveSample(nodeAuditCrypto, { ...base, n: 11 }, ids).slice(0, 10)).not.toEqual(a);
  });
});

describe('random damage to a package', () => {
  it('never crashes the verifier and never verifies', async () => {
    const original = readFileSync(s.clean);
    const file = join(s.dir, 'fuzzed.zip');
    const verdicts = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round++) {
      const bytes = Buffer.from(original);
      const count = 1 + randomInt(3);
      for (let i = 0; i < count; i++) {
        const at = randomInt(bytes.length);
        let value = randomBytes(1)[0] as number;
        if (value === bytes[at]) value ^= 0xff;
        bytes[at] = value;
      }
      writeFileSync(file, bytes);
      const report = await verify(s, file);
      expect(report.verdict, `round ${round}`).not.toBe('verified');
      verdicts.set(report.verdict, (verdicts.get(report.verdict) ?? 0) + 1);
    }
    expect(verdicts.get('tampered') ?? 0).toBeGreaterThan(0);
  });
});
