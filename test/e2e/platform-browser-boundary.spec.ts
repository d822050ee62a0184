import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { startPlatform, type TestPlatform } from '../helpers/platform';

/** A page on another loopback origin, standing in for any website the user might have open. */
function startOtherOrigin(): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>elsewhere</title><p>another site</p>');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server });
    }),
  );
}

let platform: TestPlatform;
let other: { url: string; server: Server };

test.beforeAll(async () => {
  platform = await startPlatform();
  other = await startOtherOrigin();
});
test.afterAll(async () => {
  await platform.stop();
  other.server.close();
});

test('a page on another origin cannot read platform replies, with or without a token', async ({ page }) => {
  const token = (await platform.signIn(platform.user('acme', 'owner'))).accessToken;
  await page.goto(other.url);
  const outcome = await page.evaluate(
    async ({ api, bearer }) => {
      const attempt = async (init: RequestInit) => {
        try {
          const reply = await fetch(`${api}/v1/orgs/acme/members`, init);
          return `read ${reply.status}: ${await reply.text()}`;
        } catch (error) {
          return `blocked: ${(error as Error).name}`;
        }
      };
      return {
        plain: await attempt({}),
        withToken: await attempt({ headers: { authorization: `Bearer ${bearer}` } }),
      };
    },
    { api: platform.url, bearer: token },
  );
  expect(outcome).toEqual({ plain: 'blocked: TypeError', withToken: 'blocked: TypeError' });
});

test('the platform cannot be framed by another page', async ({ page }) => {
  const refusals: string[] = [];
  page.on('console', (message) => {
    if (/frame/i.test(message.text())) refusals.push(message.text());
  });
  await page.goto(other.url);
  await page.evaluate((src) => {
    const frame = document.createElement('iframe');
    frame.src = `${src}/v1/health`;
    document.body.append(frame);
    return new Promise((resolve) => frame.addEventListener('load', resolve));
  }, platform.url);
  const framed = page.frames().find((f) => f !== page.mainFrame());
  const text = await framed?.evaluate(() => document.body?.textContent ?? '').catch(() => 'inaccessible');
  expect(text).not.toContain('"status":"ok"');
  expect(refusals.join('\n')).toMatch(/frame-ancestors|Refused to (display|frame)/);
});
