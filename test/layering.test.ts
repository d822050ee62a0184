import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sources(path);
    return /\.(ts|tsx|mjs)$/.test(name) ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [
    ...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => (m[1] ?? m[2]) as string);
}

/** Where an import lands, as a top-level folder, for relative imports; package names as they are. */
function target(file: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  return relative(root, join(root, file, '..', spec)).split('/')[0] as string;
}

const rules: Record<string, { folders: string[]; packages: RegExp[] }> = {
  shared: {
    folders: ['platform', 'electron', 'renderer'],
    packages: [/^electron$/, /^fastify/, /^better-sqlite3$/, /^keytar$/],
  },
  platform: { folders: ['electron', 'renderer'], packages: [/^electron$/, /^keytar$/, /^react/] },
  'electron/services': { folders: ['platform', 'renderer'], packages: [/^electron$/, /^fastify/, /^react/] },
  // The shell's decisions are plain modules so they can be unit-tested without the Electron binary.
  'electron/shell': { folders: ['platform', 'renderer'], packages: [/^electron$/, /^fastify/, /^react/] },
  renderer: {
    folders: ['platform', 'electron'],
    packages: [/^node:/, /^electron$/, /^keytar$/, /^better-sqlite3$/],
  },
};

describe('layering: code for one process never imports another’s', () => {
  for (const [layer, rule] of Object.entries(rules)) {
    it(`${layer} imports nothing from ${rule.folders.join(', ')}`, () => {
      const offenders: string[] = [];
      for (const file of sources(layer)) {
        for (const spec of importsOf(file)) {
          const where = target(file, spec);
          if (rule.folders.includes(where) || rule.packages.some((p) => p.test(spec)))
            offenders.push(`${file} → ${spec}`);
        }
      }
      expect(offenders).toEqual([]);
    });
  }

  it('only electron/main.ts and electron/preload.ts import the electron package', () => {
    const importers = ['electron', 'shared', 'platform', 'renderer', 'bench']
      .flatMap((dir) => sources(dir))
      .filter((file) => importsOf(file).includes('electron'));
    expect(importers.sort()).toEqual(['electron/main.ts', 'electron/preload.ts']);
  });

  it('the rule sees imports at all', () => {
    expect(importsOf('platform/http/server.ts')).toContain('fastify');
    expect(target('platform/http/server.ts', '../../shared/api/common')).toBe('shared');
  });
});
