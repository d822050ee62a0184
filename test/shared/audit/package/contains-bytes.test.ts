import { describe, expect, it } from 'vitest';
import { containsBytes } from '../../../../shared/audit/package/decisions';

const encoder = new TextEncoder();

describe('containsBytes', () => {
  it("finds a pattern exactly where Node's own search does", () => {
    const patterns = ['"type":"user"},"seq":', 'aa', 'abab', 'x', 'user"}'];
    const alphabet = encoder.encode('"type:user},seqabx');
    let state = 11;
    const random = () => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state;
    };
    for (const text of patterns) {
      const pattern = encoder.encode(text);
      const contains = containsBytes(pattern);
      for (let n = 0; n < 5_000; n++) {
        const line = new Uint8Array(random() % 60);
        for (let i = 0; i < line.length; i++) line[i] = alphabet[random() % alphabet.length] as number;
        // Plant the pattern, whole or cut short, at a random place in some of the lines.
        if (random() % 3 === 0 && line.length >= pattern.length) {
          const at = random() % (line.length - pattern.length + 1);
          line.set(pattern.subarray(0, pattern.length - (random() % 2)), at);
        }
        expect(contains(line), `${text} in ${new TextDecoder().decode(line)}`).toBe(
          Buffer.from(line).includes(Buffer.from(pattern)),
        );
      }
      expect(contains(pattern)).toBe(true);
      expect(contains(pattern.subarray(1))).toBe(false);
    }
  });
});
