import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../../electron/services/host/renderer-assets';

// The renderer as it ships: the real Vite build of renderer/ with the project's config.
let outDir: string;
let html: string;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'cc-renderer-csp-'));
  await build({
    configFile: join(import.meta.dirname, '../../../../vite.config.ts'),
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true },
  });
  html = readFileSync(join(outDir, 'index.html'), 'utf8');
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const metaPolicies = (page: string) =>
  [...page.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/gi)].map((m) => m[1]);

describe("the renderer's Content-Security-Policy: one policy, in the header and in the page", () => {
  it('puts exactly the header policy in the built page’s meta tag, less frame-ancestors (ignored in a meta tag)', () => {
    const withoutFrameAncestors = CONTENT_SECURITY_POLICY.split('; ')
      .filter((directive) => !directive.startsWith('frame-ancestors '))
      .join('; ');
    expect(metaPolicies(html)).toEqual([withoutFrameAncestors]);
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });

  it('places the meta tag before every script and stylesheet, so it governs all of them', () => {
    const meta = html.search(/<meta\s+http-equiv="Content-Security-Policy"/i);
    const firstLoad = html.search(/<script|<link\s+rel="(?:stylesheet|modulepreload)"/i);
    expect(meta).toBeGreaterThan(-1);
    expect(meta).toBeLessThan(firstLoad);
  });

  it('writes no policy by hand into renderer/index.html: the build adds the one it has', () => {
    const source = readFileSync(join(import.meta.dirname, '../../../../renderer/index.html'), 'utf8');
    expect(source).not.toMatch(/Content-Security-Policy/i);
  });
});
