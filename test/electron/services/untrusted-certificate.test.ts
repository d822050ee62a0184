import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleServices } from '../../../electron/services/console-services';
import { Vault } from '../../../electron/services/vault/vault';

const tls = join(import.meta.dirname, '../../fixtures/tls');
let server: Server;
let url = '';
const requests: string[] = [];
const services = createConsoleServices({
  dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')),
  vault: new Vault(keytar, `cc-test-tls-${process.pid}`),
});

beforeAll(async () => {
  // A platform whose certificate nobody vouches for: the console must not talk to it at all.
  server = createServer(
    {
      key: readFileSync(join(tls, 'self-signed-key.pem')),
      cert: readFileSync(join(tls, 'self-signed-cert.pem')),
    },
    (request, response) => {
      requests.push(request.url ?? '');
      response.end('{}');
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await services.close();
  await new Promise((resolve) => server.close(resolve));
});

const untrusted = {
  ok: false,
  error: { code: 'unavailable', message: expect.stringContaining('certificate is not trusted') },
};

describe('a platform with an untrusted certificate', () => {
  it('is refused with a message that names the certificate, for both ways in, and no request reaches it', async () => {
    const key = `cck_live_${'a'.repeat(26)}.${'b'.repeat(43)}`;
    expect(
      await services.dispatcher.dispatch('session.signInWithApiKey', { platformUrl: url, apiKey: key }),
    ).toEqual(untrusted);
    expect(await services.dispatcher.dispatch('session.beginBrowserSignIn', { platformUrl: url })).toEqual(
      untrusted,
    );
    expect(requests).toEqual([]);
  });

  it('says unreachable, not certificate, when nothing answers', async () => {
    const reply = await services.dispatcher.dispatch('session.beginBrowserSignIn', {
      platformUrl: 'https://127.0.0.1:1',
    });
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'unavailable',
        message: 'The platform cannot be reached. Check the address and your connection.',
      },
    });
  });
});
