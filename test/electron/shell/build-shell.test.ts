import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
let out: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'cc-shell-build-'));
  await promisify(execFile)(process.execPath, [join(root, 'electron/build-shell.mjs'), out]);
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

function requires(file: string): string[] {
  const text = readFileSync(join(out, file), 'utf8');
  return [...new Set([...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1] as string))].sort();
}

describe('npm run build:electron: the bundles electron-builder packs', () => {
  it('leaves the main bundle needing only Electron, the native modules and Node built-ins', () => {
    const external = requires('main.cjs').filter(
      (name) => !name.startsWith('node:') && !builtinModules.includes(name),
    );
    expect(external.every((name) => ['electron', 'keytar', 'better-sqlite3'].includes(name))).toBe(true);
    expect(external).toContain('electron');
  });

  it('makes a preload a sandboxed renderer can load: it requires nothing but electron', () => {
    expect(requires('preload.cjs')).toEqual(['electron']);
    expect(readFileSync(join(out, 'preload.cjs'), 'utf8')).toContain('exposeInMainWorld');
  });
});
