import type { AuditCrypto } from '../hash';
import { toBase64, toHex } from '../hash';

/**
 * Verifiable sampling (README, "Verifiable sampling"). The sample of N requests is fixed by the signed
 * checkpoint that closes the period, which neither the auditor nor the platform can choose once the
 * period has ended:
 *
 *   seed = SHA-256(UTF-8("cc-audit-sample/1\n" + origin + "\n" + size + "\n" + base64(root) + "\n" + N + "\n"))
 *   rank(id) = SHA-256(seed || UTF-8(id))
 *
 * The sample is the N request ids with the smallest rank (bytes compared as unsigned, big-endian), in
 * ascending rank; every request of the period when there are N or fewer. Anyone holding the package can
 * derive it again.
 */
export const SAMPLE_LABEL = 'cc-audit-sample/1';
export const MAX_SAMPLE = 10_000;

const encoder = new TextEncoder();

export interface SampleSeed {
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
  readonly n: number;
}

export function sampleSeed(crypto: AuditCrypto, seed: SampleSeed): Uint8Array {
  return crypto.sha256(
    encoder.encode(`${SAMPLE_LABEL}\n${seed.origin}\n${seed.size}\n${toBase64(seed.root)}\n${seed.n}\n`),
  );
}

export function sampleRank(crypto: AuditCrypto, seed: Uint8Array, requestId: string): Uint8Array {
  const id = encoder.encode(requestId);
  const input = new Uint8Array(seed.length + id.length);
  input.set(seed, 0);
  input.set(id, seed.length);
  return crypto.sha256(input);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  }
  return a.length - b.length;
}

/**
 * Keeps the N smallest-ranked request ids seen so far, each with what the caller records about it, so a
 * period of any length is sampled in one pass with memory for N requests only. A request once dropped can
 * never come back: the bar only falls.
 */
export class Sampler<T> {
  /** Ascending by rank; at most n long. */
  readonly #kept: { id: string; rank: Uint8Array; record: T }[] = [];
  readonly #byId = new Map<string, T>();

  constructor(
    private readonly crypto: AuditCrypto,
    readonly seed: Uint8Array,
    readonly n: number,
    private readonly make: (requestId: string) => T,
  ) {}

  /** The request's record when it is (so far) in the sample, else undefined. */
  offer(requestId: string): T | undefined {
    const known = this.#byId.get(requestId);
    if (known !== undefined || this.n === 0) return known;
    const rank = sampleRank(this.crypto, this.seed, requestId);
    const last = this.#kept[this.#kept.length - 1];
    if (this.#kept.length >= this.n && last && compareBytes(rank, last.rank) >= 0) return undefined;
    let low = 0;
    let high = this.#kept.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareBytes((this.#kept[mid] as { rank: Uint8Array }).rank, rank) < 0) low = mid + 1;
      else high = mid;
    }
    const record = this.make(requestId);
    this.#kept.splice(low, 0, { id: requestId, rank, record });
    this.#byId.set(requestId, record);
    if (this.#kept.length > this.n) {
      const dropped = this.#kept.pop();
      if (dropped) this.#byId.delete(dropped.id);
    }
    return this.#byId.get(requestId);
  }

  /** The sample in ascending rank. */
  result(): { requestId: string; rank: string; record: T }[] {
    return this.#kept.map((k) => ({ requestId: k.id, rank: toHex(k.rank), record: k.record }));
  }
}

/** The rule on its own, over a list of ids: what a re-deriving auditor (or a test) runs. */
export function deriveSample(crypto: AuditCrypto, seed: SampleSeed, requestIds: Iterable<string>): string[] {
  const sampler = new Sampler(crypto, sampleSeed(crypto, seed), seed.n, () => null);
  for (const id of requestIds) sampler.offer(id);
  return sampler.result().map((s) => s.requestId);
}
