import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
// js-yaml is what electron-builder itself reads the file with (a dependency of it, untyped here).
const { load } = require('js-yaml') as { load(text: string): unknown };
// electron-builder's own check of a configuration against its schema, as `npx electron-builder` runs it.
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration(config: unknown, debug: { isEnabled: boolean; add(): void }): Promise<void>;
};

interface BuilderConfig {
  directories: { buildResources: string };
  files: string[];
  extraMetadata: { main: string; desktopName?: string };
  asar: boolean | { smartUnpack?: boolean };
  asarUnpack: string[];
  electronFuses: Record<string, boolean>;
  linux: {
    target: string[];
    icon?: string;
    syncDesktopName?: boolean;
    desktop?: { entry?: Record<string, string> };
  };
  mac: { target: string[]; icon?: string };
  win: { target: string[]; icon?: string };
}

/** A PNG's width and height, after checking its signature, every chunk's CRC and that its pixels inflate. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const { crc32 } = require('node:zlib') as { crc32(data: Buffer): number };
  const idat: Buffer[] = [];
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const body = bytes.subarray(at + 4, at + 8 + length);
    expect(bytes.readUInt32BE(at + 8 + length)).toBe(crc32(body));
    if (body.subarray(0, 4).toString('latin1') === 'IDAT') idat.push(body.subarray(4));
    at += 12 + length;
  }
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  // Colour type 6 (RGBA, 8 bits): a filter byte and four bytes a pixel on every row.
  expect([bytes[24], bytes[25]]).toEqual([8, 6]);
  expect(inflateSync(Buffer.concat(idat)).length).toBe(height * (width * 4 + 1));
  return { width, height };
}

const root = join(import.meta.dirname, '../../..');
const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml: what the packaged app contains and how it is locked', () => {
  it('packs the built main and preload bundles and the renderer, and starts from the built main', () => {
    expect(config.files).toEqual(
      expect.arrayContaining(['dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/renderer/**']),
    );
    expect(config.extraMetadata.main).toBe('dist/electron/main.cjs');
  });

  it('packs all JavaScript, the verifier worker too, into the asar: only native .node files are unpacked', () => {
    expect(config.files).toContain('dist/electron/verify-worker.cjs');
    expect(config.asarUnpack).toEqual(['**/*.node']);
    // Left on, electron-builder would unpack whole native packages (their JavaScript included).
    expect(config.asar).toEqual({ smartUnpack: false });
  });

  it('flips the fuses: no run-as-node, NODE_OPTIONS or inspect; encrypted cookies; only a verified asar', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('builds AppImage and deb on Linux, dmg on macOS, nsis on Windows', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
  });

  it('is a configuration electron-builder 26 accepts (its own schema check)', async () => {
    await expect(validateConfiguration(config, { isEnabled: false, add() {} })).resolves.toBeUndefined();
  });

  it('names app icons for every platform, and every file it names is in the repository', () => {
    const named = [config.linux.icon, config.mac.icon, config.win.icon];
    expect(named.every((path) => typeof path === 'string')).toBe(true);
    for (const path of named as string[]) {
      expect(path.startsWith(`${config.directories.buildResources}/`), path).toBe(true);
      expect(existsSync(join(root, path)), path).toBe(true);
    }
  });

  it('gives Linux a folder of real PNG icons named by their size, up to 512x512', () => {
    const folder = join(root, config.linux.icon as string);
    expect(statSync(folder).isDirectory()).toBe(true);
    const names = readdirSync(folder).filter((name) => name.endsWith('.png'));
    expect(names).toEqual(expect.arrayContaining(['256x256.png', '512x512.png']));
    for (const name of names) {
      const [width, height] = name.replace('.png', '').split('x').map(Number);
      expect(pngSize(readFileSync(join(folder, name))), name).toEqual({ width, height });
    }
  });

  it('gives Windows an .ico whose entries include 256x256, and macOS an .icns up to 1024x1024', () => {
    const ico = readFileSync(join(root, config.win.icon as string));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const icoSizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico[6 + 16 * i] || 256);
    expect(icoSizes).toEqual(expect.arrayContaining([16, 32, 48, 256]));
    const big = 6 + 16 * icoSizes.indexOf(256);
    const bigPng = ico.subarray(
      ico.readUInt32LE(big + 12),
      ico.readUInt32LE(big + 12) + ico.readUInt32LE(big + 8),
    );
    expect(pngSize(bigPng)).toEqual({ width: 256, height: 256 });

    const icns = readFileSync(join(root, config.mac.icon as string));
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const types = new Map<string, Buffer>();
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4))
      types.set(
        icns.subarray(at, at + 4).toString('latin1'),
        icns.subarray(at + 8, at + icns.readUInt32BE(at + 4)),
      );
    expect(pngSize(types.get('ic09') as Buffer)).toEqual({ width: 512, height: 512 });
    expect(pngSize(types.get('ic10') as Buffer)).toEqual({ width: 1024, height: 1024 });
  });

  it("writes a desktop entry whose window class is the app's desktop name", () => {
    expect(config.extraMetadata.desktopName).toBe('compliance-console.desktop');
    expect(config.linux.syncDesktopName).toBe(true);
    expect(config.linux.desktop?.entry).toMatchObject({
      Name: 'Compliance Console',
      StartupWMClass: 'compliance-console',
      Terminal: 'false',
    });
  });

  it('uses only fuse names electron-builder 26 knows', () => {
    const scheme = JSON.parse(
      readFileSync(join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8'),
    ) as { definitions: { FuseOptionsV1: { properties: Record<string, unknown> } } };
    const known = Object.keys(scheme.definitions.FuseOptionsV1.properties);
    expect(Object.keys(config.electronFuses).filter((name) => !known.includes(name))).toEqual([]);
  });
});
