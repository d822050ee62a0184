import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');

/** The bullet of the README that starts with the given bold title, up to the next bullet. */
function bullet(title: string): string {
  const start = readme.indexOf(`- **${title}**`);
  if (start < 0) throw new Error(`README has no "${title}" bullet`);
  const next = readme.indexOf('\n- ', start + 1);
  return readme.slice(start, next < 0 ? undefined : next).replace(/\s+/g, ' ');
}

describe('README says what the code does', () => {
  it('evidence cache: a small snapshot read alone is opened in place, small ones in flight whole on read threads, large ones opened on a thread', () => {
    const cache = bullet('Evidence cache');
    expect(cache).not.toMatch(/every read is opened on a worker thread/i);
    expect(cache).toMatch(/under 1 MiB read on its own is opened in place/);
    expect(cache).toMatch(
      /small ones read while\s+others are in flight are read and opened whole on read threads/,
    );
    expect(cache).toMatch(
      /own read-only connection\s+to the file running the same SELECT \(the row by id, read only if it is still\s+that tenant's and that snapshot's\)/,
    );
    expect(cache).toMatch(/the table has no index/);
    expect(cache).toMatch(
      /1 MiB or more is read on the main thread and decrypted and re-hashed on an open thread/,
    );
    expect(cache).toMatch(/re-hashed against the published SHA-256/);
  });
});
