import { mkdtempSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleServices } from '../../../../electron/services/console-services';
import { Vault } from '../../../../electron/services/vault/vault';
import type { ContractReply } from '../../../../shared/contract/contract';

// Real services on loopback that are not the platform, beside a port where nothing listens. Whatever
// answers, the renderer must learn no more than "no platform here": the sign-in calls take any address
// the page gives them, so a different answer would let a page map this machine's ports.
const servers: Server[] = [];
const sockets = new Set<Socket>();
const seen: string[] = [];
const services = createConsoleServices({
  dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')),
  vault: new Vault(keytar, `cc-test-port-oracle-${process.pid}`),
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  // Tracked so that closing never waits on a client's keep-alive.
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function http(name: string, handler: RequestListener): Promise<string> {
  return listen(
    createHttpServer({ keepAlive: false }, (request, response) => {
      seen.push(`${name} ${request.method} ${request.url}`);
      response.setHeader('connection', 'close');
      handler(request, response);
    }),
  );
}

const addresses: Record<string, string> = {};
let closedPort = '';
let elsewhere = '';

beforeAll(async () => {
  const closing = createTcpServer();
  closedPort = await listen(closing);
  servers.pop();
  await new Promise((resolve) => closing.close(resolve));

  addresses['a web page (200 HTML)'] = await http('html', (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Router</title>');
  });
  addresses['an API that knows no such path (404 JSON)'] = await http('json404', (_request, response) => {
    response.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
  });
  addresses['something that wants a login (401 JSON)'] = await http('json401', (_request, response) => {
    response
      .writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' })
      .end('{"error":"unauthorized"}');
  });
  addresses['an API that answers everything (200 JSON)'] = await http('json200', (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  addresses['a server error page (500 HTML)'] = await http('html500', (_request, response) => {
    response.writeHead(500, { 'content-type': 'text/html' }).end('<h1>Internal Server Error</h1>');
  });
  addresses['a service that does not speak HTTP (garbage)'] = await listen(
    createTcpServer((socket) => {
      socket.on('error', () => {});
      socket.end('\x00\xffSSH-2.0-OpenSSH_9.2 garbage\r\n\r\n');
    }),
  );
  // An authorization server that sends the console's token requests (and the person) to another origin.
  elsewhere = await http('elsewhere', (_request, response) => response.writeHead(404).end());
  addresses['an OpenID provider whose endpoints are on another origin'] = await listen(
    createHttpServer((request, response) => {
      const self = `http://${request.headers.host}`;
      seen.push(`provider ${request.method} ${request.url}`);
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          issuer: self,
          authorization_endpoint: `${elsewhere}/oauth/authorize`,
          token_endpoint: `${elsewhere}/oauth/token`,
          jwks_uri: `${elsewhere}/oauth/jwks`,
          response_types_supported: ['code'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['none'],
        }),
      );
    }),
  );
});
afterAll(async () => {
  await services.close();
  const closed = servers.map((server) => new Promise((resolve) => server.close(resolve)));
  for (const socket of sockets) socket.destroy();
  await Promise.all(closed);
});

const apiKey = `cck_live_${'a'.repeat(26)}.${'b'.repeat(43)}`;
const signInWithKey = (platformUrl: string) =>
  services.dispatcher.dispatch('session.signInWithApiKey', { platformUrl, apiKey });
const beginBrowserSignIn = (platformUrl: string) =>
  services.dispatcher.dispatch('session.beginBrowserSignIn', { platformUrl });

const noPlatform: ContractReply = {
  ok: false,
  error: {
    code: 'unavailable',
    message: 'The platform cannot be reached. Check the address and your connection.',
  },
};

describe('a sign-in pointed at something that is not the platform gets the same answer as a closed port', () => {
  it('a closed port: the platform cannot be reached', async () => {
    expect(await signInWithKey(closedPort)).toEqual(noPlatform);
    expect(await beginBrowserSignIn(closedPort)).toEqual(noPlatform);
  });

  it.each([
    'a web page (200 HTML)',
    'an API that knows no such path (404 JSON)',
    'something that wants a login (401 JSON)',
    'an API that answers everything (200 JSON)',
    'a server error page (500 HTML)',
    'a service that does not speak HTTP (garbage)',
  ])('%s: exactly the closed port’s error, for an API key and for the browser sign-in', async (what) => {
    const address = addresses[what] as string;
    expect(await signInWithKey(address)).toEqual(await signInWithKey(closedPort));
    expect(await beginBrowserSignIn(address)).toEqual(await beginBrowserSignIn(closedPort));
  });

  it.each([
    'a web page (200 HTML)',
    'an API that knows no such path (404 JSON)',
    'a service that does not speak HTTP (garbage)',
  ])(
    '%s, asked over https: exactly the closed port’s error (no certificate talk without TLS)',
    async (what) => {
      const address = (addresses[what] as string).replace('http:', 'https:');
      const closed = closedPort.replace('http:', 'https:');
      expect(await signInWithKey(address)).toEqual(await signInWithKey(closed));
      expect(await beginBrowserSignIn(address)).toEqual(await beginBrowserSignIn(closed));
    },
  );

  it('an OpenID provider sending the sign-in to another origin: the same error, and that origin is never reached', async () => {
    const provider = addresses['an OpenID provider whose endpoints are on another origin'] as string;
    expect(await beginBrowserSignIn(provider)).toEqual(noPlatform);
    expect(seen.filter((line) => line.startsWith('elsewhere'))).toEqual([]);
  });
});
