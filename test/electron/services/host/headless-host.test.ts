import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleServices } from '../../../../electron/services/console-services';
import {
  type HeadlessHost,
  LAUNCH_HEADER,
  startHeadlessHost,
} from '../../../../electron/services/host/headless-host';
import { Vault } from '../../../../electron/services/vault/vault';

let host: HeadlessHost;
let secret: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-renderer-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Compliance Console</title>');
  writeFileSync(join(dir, 'app.js'), 'console.log(1)');
  symlinkSync('/etc/hostname', join(dir, 'escape.js'));
  const vault = new Vault(keytar, `cc-test-host-${process.pid}`);
  host = await startHeadlessHost({
    rendererDir: dir,
    services: createConsoleServices({ dataDir: dir, vault }),
  });
  secret = new URL(host.url).hash.slice(3);
});
afterAll(() => host.close());

function raw(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(
        `${host.origin}${path}`,
        { method: init.method ?? 'GET', headers: init.headers },
        (res) => {
          let body = '';
          res.on('data', (c) => {
            body += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end(init.body);
    },
  );
}

/** A contract call as the page makes it: a same-origin POST, which browsers always send with Origin. */
const callWith = (key: string | undefined, name: string, input: unknown) =>
  raw(`/contract/${name}`, {
    method: 'POST',
    headers: {
      origin: host.origin,
      'content-type': 'application/json',
      ...(key === undefined ? {} : { [LAUNCH_HEADER]: key }),
    },
    body: JSON.stringify(input),
  });

interface PageRequest {
  readonly path: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** Every kind of request the host answers, with the launch secret, as the page would make it. */
const everyRequest = (): PageRequest[] => [
  { path: '/', method: 'GET', headers: {} },
  { path: '/app.js', method: 'GET', headers: {} },
  { path: '/events', method: 'GET', headers: { [LAUNCH_HEADER]: secret } },
  {
    path: '/contract/profiles.list',
    method: 'POST',
    headers: { 'content-type': 'application/json', [LAUNCH_HEADER]: secret },
    body: '{}',
  },
  {
    path: '/files?name=export.jsonl',
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', [LAUNCH_HEADER]: secret },
    body: 'x',
  },
];

/** The status only: the event stream stays open, so its request is abandoned once the head arrives. */
function statusOf(path: string, init: { method: string; headers: Record<string, string>; body?: string }) {
  return new Promise<number>((resolve, reject) => {
    const req = request(`${host.origin}${path}`, { method: init.method, headers: init.headers }, (res) => {
      resolve(res.statusCode ?? 0);
      res.destroy();
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('the headless host', () => {
  it('prints a loopback URL whose fragment carries the launch secret', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#k=[A-Za-z0-9_-]{43}$/);
  });

  it('serves the renderer with a strict Content-Security-Policy, and nothing outside it', async () => {
    const page = await raw('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect((await raw('/app.js')).status).toBe(200);
    for (const path of [
      '/../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/escape.js',
      '/missing.js',
      '/index.exe',
    ]) {
      expect((await raw(path)).status, path).toBe(404);
    }
  });

  it('answers contract calls only with the launch secret', async () => {
    expect((await callWith(undefined, 'profiles.list', {})).status).toBe(401);
    expect((await callWith('x'.repeat(43), 'profiles.list', {})).status).toBe(401);
    const ok = await callWith(secret, 'profiles.list', {});
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ ok: true, value: { profiles: [] } });
    const bad = await callWith(secret, 'profiles.list', { surprise: true });
    expect(JSON.parse(bad.body).error.code).toBe('bad-request');
    const malformed = await raw('/contract/profiles.list', {
      method: 'POST',
      headers: { origin: host.origin, 'content-type': 'application/json', [LAUNCH_HEADER]: secret },
      body: '{',
    });
    expect(malformed.status).toBe(400);
  });

  it("refuses every request whose Origin is not the host's own, on every path, even with the secret", async () => {
    const port = new URL(host.origin).port;
    for (const origin of [
      'http://evil.example',
      'null',
      `http://127.0.0.1:${Number(port) + 1}`,
      `https://127.0.0.1:${port}`,
      `http://127.0.0.1:${port}.evil.example`,
      `${host.origin}/`,
    ]) {
      for (const { path, ...init } of everyRequest()) {
        const status = await statusOf(path, { ...init, headers: { ...init.headers, origin } });
        expect(status, `${init.method} ${path} from ${origin}`).toBe(403);
      }
    }
  });

  it('answers its own origin (either loopback spelling of its address) on every path', async () => {
    const port = new URL(host.origin).port;
    for (const origin of [host.origin, `http://localhost:${port}`]) {
      for (const { path, ...init } of everyRequest()) {
        const status = await statusOf(path, { ...init, headers: { ...init.headers, origin } });
        expect(status, `${init.method} ${path} from ${origin}`).toBe(200);
      }
    }
  });

  it('takes a request without Origin only where a browser sends none: GETs of the page, its assets and the event stream', async () => {
    for (const { path, ...init } of everyRequest()) {
      const status = await statusOf(path, init);
      expect(status, `${init.method} ${path} without Origin`).toBe(init.method === 'GET' ? 200 : 403);
    }
  });

  it('keeps the launch secret out of how the host object prints or serializes (a log line, a test failure)', () => {
    expect(host.url).toContain(secret);
    expect(inspect(host, { depth: 5, showHidden: true })).not.toContain(secret);
    expect(JSON.stringify(host)).not.toContain(secret);
    expect(String(host)).not.toContain(secret);
  });

  it('refuses a request that names another host (DNS rebinding)', async () => {
    const rebound = await raw('/', { headers: { host: 'attacker.example:80' } });
    expect(rebound.status).toBe(421);
  });
});
