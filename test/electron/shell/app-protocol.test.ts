import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  resolveAppPath,
  serveAppRequest,
} from '../../../electron/shell/app-protocol';

// A real renderer folder next to files it must never serve: a secret beside it, a symlink pointing out.
let base: string;
let root: string;

beforeAll(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'cc-app-protocol-')));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'style.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'notes.txt'), 'unknown type');
  writeFileSync(join(base, 'secret.js'), 'the secret');
  mkdirSync(join(base, 'renderer-evil'));
  writeFileSync(join(base, 'renderer-evil', 'x.js'), 'sibling with a shared prefix');
  symlinkSync(join(base, 'secret.js'), join(root, 'assets', 'escape.js'));
  symlinkSync(base, join(root, 'up'));
  symlinkSync(join(root, 'assets', 'index-abc.js'), join(root, 'inside.js'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const get = (url: string) => serveAppRequest(root, { url, method: 'GET' });

describe('app:// protocol: serves the built renderer and nothing else', () => {
  it('serves index.html with its type and the strict CSP and hardening headers', async () => {
    const reply = await get('app://console/index.html');
    expect(reply.status).toBe(200);
    expect(Buffer.from(reply.body ?? []).toString()).toContain('<title>console</title>');
    expect(reply.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'cross-origin-opener-policy': 'same-origin',
      'cache-control': 'no-store',
    });
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    );
  });

  it('gives scripts and styles their content types, and serves the root as index.html', async () => {
    expect((await get('app://console/assets/index-abc.js')).headers['content-type']).toBe(
      'text/javascript; charset=utf-8',
    );
    expect((await get('app://console/assets/style.css')).headers['content-type']).toBe(
      'text/css; charset=utf-8',
    );
    expect((await get('app://console/')).status).toBe(200);
    expect((await get('app://console/index.html?x=1#frag')).status).toBe(200);
  });

  it('sends the CSP on refusals too', async () => {
    const reply = await get('app://console/missing.js');
    expect(reply.status).toBe(404);
    expect(reply.body).toBeNull();
    expect(reply.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it.each([
    ['plain ..', 'app://console/../secret.js'],
    ['.. inside the path', 'app://console/assets/../../secret.js'],
    ['encoded %2e%2e', 'app://console/%2e%2e/secret.js'],
    ['mixed-case encoded dots', 'app://console/assets/%2E%2e/%2e./secret.js'],
    ['an encoded slash', 'app://console/..%2fsecret.js'],
    ['an encoded backslash', 'app://console/..%5csecret.js'],
    ['double-encoded dots', 'app://console/%252e%252e/secret.js'],
    ['a NUL byte', 'app://console/index.html%00.js'],
    ['malformed escapes', 'app://console/%E0%A4%A.js'],
    ['a sibling folder sharing the prefix', 'app://console/../renderer-evil/x.js'],
  ])('refuses traversal by %s', async (_how, url) => {
    expect(await resolveAppPath(root, url)).toBeUndefined();
    expect((await get(url)).status).toBe(404);
  });

  it('refuses encoded separators even where the decoded path would stay inside the folder', async () => {
    for (const url of [
      'app://console/assets/..%2findex.html',
      'app://console/assets%2fstyle.css',
      'app://console/assets%5cstyle.css',
    ])
      expect((await get(url)).status, url).toBe(404);
  });

  it('refuses symlinks that lead out of the renderer folder, and follows ones that stay inside', async () => {
    expect((await get('app://console/assets/escape.js')).status).toBe(404);
    expect((await get('app://console/up/secret.js')).status).toBe(404);
    const inside = await get('app://console/inside.js');
    expect(inside.status).toBe(200);
    expect(Buffer.from(inside.body ?? []).toString()).toBe('console.log(1)');
  });

  it('refuses other hosts, schemes, ports and credentials', async () => {
    for (const url of [
      'app://other/index.html',
      'app://console:1234/index.html',
      'app://user@console/index.html',
      'file:///index.html',
      'https://console/index.html',
      'not a url',
    ])
      expect((await get(url)).status, url).toBe(404);
  });

  it('refuses directories and files of unknown types', async () => {
    expect((await get('app://console/assets')).status).toBe(404);
    expect((await get('app://console/assets/')).status).toBe(404);
    expect((await get('app://console/assets/notes.txt')).status).toBe(404);
  });

  it('answers only GET and HEAD, and HEAD without a body', async () => {
    expect((await serveAppRequest(root, { url: 'app://console/index.html', method: 'POST' })).status).toBe(
      405,
    );
    const head = await serveAppRequest(root, { url: 'app://console/index.html', method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
  });
});
