import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../../..');

/** Every module the evidence cache loads, following relative imports from evidence-cache.ts. */
function closure(start: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(join(root, file), 'utf8');
    for (const [, spec] of text.matchAll(
      /(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
    )) {
      if (!spec) continue;
      if (spec.startsWith('.')) visit(`${relative(root, join(root, dirname(file), spec))}.ts`);
      else packages.add(spec);
    }
  };
  visit(start);
  return { files: [...files].sort(), packages: [...packages].sort() };
}

describe('the evidence cache works offline', () => {
  it('has no network code: nothing it loads imports a network module or calls fetch', () => {
    const { files, packages } = closure('electron/services/cache/evidence-cache.ts');
    expect(files).toContain('electron/services/cache/cache-store.ts');
    // keytar talks to the OS keychain over local IPC (D-Bus), better-sqlite3 to a local file.
    expect(packages).toEqual(expect.arrayContaining(['better-sqlite3', 'keytar', 'node:crypto', 'zod']));
    const network = /^(node:)?(http|https|http2|net|tls|dgram|dns)$|^undici|^ws$|fetch|openid-client/;
    expect(packages.filter((p) => network.test(p))).toEqual([]);
    const calls = files.filter((f) =>
      /\bfetch\s*\(|XMLHttpRequest|WebSocket/.test(readFileSync(join(root, f), 'utf8')),
    );
    expect(calls).toEqual([]);
    expect(files.filter((f) => f.includes('platform-client'))).toEqual([]);
  });
});
