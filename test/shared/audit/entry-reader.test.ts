import { describe, expect, it } from 'vitest';
import { actionMatcher } from '../../../shared/audit/entry-reader';
import { visitedActions } from '../../../shared/audit/package/entries';

const encoder = new TextEncoder();

/** The matcher's contract, spelled out the slow way: the bytes at `start` are `{"action":"` and a prefix. */
function naive(prefixes: readonly string[], b: Uint8Array, start: number): boolean {
  return prefixes.some((p) => {
    const pattern = encoder.encode(`{"action":"${p}`);
    if (start + pattern.length > b.length) return false;
    return pattern.every((byte, i) => b[start + i] === byte);
  });
}

describe('actionMatcher', () => {
  it('picks exactly the lines whose action starts with one of the prefixes, wherever the line starts', () => {
    const lines = [
      '{"action":"approval.request","seq":1}',
      '{"action":"approval.comment","seq":2}',
      '{"action":"approval.decid',
      '{"action":"member.role_change"}',
      '{"action":"membe',
      '{"action":"device_key.register"}',
      '{"action":"evidence.download_url"}',
      '{"action":"review.close"}',
      '{"action":"',
      '{"actor":"approval.request"}',
      ' {"action":"approval.request"}',
      '{"action":"Approval.request"}',
      '',
    ];
    for (const prefixes of [visitedActions, ['approval.'], ['member.', 'm'], [''], []]) {
      const matches = actionMatcher(prefixes);
      for (const line of lines) {
        // The line at offset 0, in the middle of a buffer, and cut short by the buffer's end.
        const padded = encoder.encode(`xyz${line}\n`);
        const cut = encoder.encode(`xyz${line}`);
        for (const [b, start] of [
          [encoder.encode(line), 0],
          [padded, 3],
          [cut, 3],
        ] as const) {
          expect(matches(b, start), `${JSON.stringify(prefixes)} on ${line}`).toBe(naive(prefixes, b, start));
        }
      }
    }
  });

  it('agrees with the slow way on random bytes near the prefixes', () => {
    const prefixes = ['approval.request', 'approval.decide', 'evidence.', 'm'];
    const matches = actionMatcher(prefixes);
    const alphabet = encoder.encode('{"action:approvl.rquestdimb');
    let state = 7;
    const random = () => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state;
    };
    for (let n = 0; n < 20_000; n++) {
      const base = encoder.encode(`{"action":"${prefixes[random() % prefixes.length]}`);
      const b = base.slice(0, random() % (base.length + 1));
      if (b.length > 0 && random() % 2 === 0)
        b[random() % b.length] = alphabet[random() % alphabet.length] as number;
      expect(matches(b, 0)).toBe(naive(prefixes, b, 0));
    }
  });
});
