import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { describe, expect, it } from 'vitest';
import { createConsoleServices } from '../../../electron/services/console-services';
import { Dispatcher, type Handlers } from '../../../electron/services/contract/dispatcher';
import { Vault } from '../../../electron/services/vault/vault';
import { callNames } from '../../../shared/contract/contract';

const vault = new Vault(keytar, `cc-test-contract-${process.pid}`);
const unexpected: string[] = [];
const dispatcher = createConsoleServices({
  dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')),
  vault,
  log: (line) => unexpected.push(line),
}).dispatcher;
const profile = { platformOrigin: 'https://platform.example.com', principalId: 'usr_auditor' };

describe('the contract dispatcher', () => {
  it('answers calls with values checked against the contract', async () => {
    await vault.put(profile, 'api-key', 'cck_live_x.secret-value');
    const listed = await dispatcher.dispatch('profiles.list', {});
    expect(listed).toEqual({ ok: true, value: { profiles: [profile] } });
    expect(JSON.stringify(listed)).not.toContain('secret-value');
    expect(await dispatcher.dispatch('session.signOut', { profile })).toEqual({
      ok: true,
      value: { secretsRemoved: 1 },
    });
    expect(await dispatcher.dispatch('profiles.list', {})).toEqual({ ok: true, value: { profiles: [] } });
  });

  it('answers every malformed call with bad-request, naming fields but never echoing values, and keeps going', async () => {
    const malformed: unknown[] = [
      undefined,
      null,
      42,
      'text',
      [],
      { extra: 'field' },
      { profile: null },
      { profile: { platformOrigin: 'not a url', principalId: 'x' } },
      { profile: { platformOrigin: 'https://a.example.com', principalId: '<script>' } },
      { __proto__: { polluted: true } },
      JSON.parse('{"constructor":{"prototype":{"polluted":true}}}'),
    ];
    // None of these is valid input for any call: each must be refused, none skipped.
    const refused: string[] = [];
    for (const name of callNames) {
      for (const [i, input] of malformed.entries()) {
        const reply = await dispatcher.dispatch(name, input);
        expect(reply.ok, `${name} accepted malformed input #${i}`).toBe(false);
        if (reply.ok) continue;
        expect(reply.error.code, `${name} ${JSON.stringify(input)}`).toBe('bad-request');
        expect(reply.error.message).not.toContain('<script>');
        expect(reply.error.message).not.toContain('not a url');
        refused.push(`${name}#${i}`);
      }
    }
    expect(callNames.length).toBeGreaterThan(0);
    expect(refused).toHaveLength(callNames.length * malformed.length);
    for (const name of [undefined, 7, 'profiles.delete', '__proto__', 'constructor', 'toString']) {
      expect(await dispatcher.dispatch(name, {})).toEqual({
        ok: false,
        error: { code: 'bad-request', message: 'Unknown call.' },
      });
    }
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(unexpected).toEqual([]);
    expect((await dispatcher.dispatch('profiles.list', {})).ok).toBe(true);
  });

  it('turns a failing handler into a generic error', async () => {
    const broken = new Dispatcher(
      {
        'profiles.list': async () => {
          throw new Error('keychain locked at /home/someone/.local/share/keyrings');
        },
        'session.signOut': async () => ({ ok: true, value: { secretsRemoved: -1 } }),
      } as Partial<Handlers> as Handlers,
      (name) => unexpected.push(name),
    );
    expect(await broken.dispatch('profiles.list', {})).toEqual({
      ok: false,
      error: { code: 'internal', message: 'Something went wrong in the console.' },
    });
    expect((await broken.dispatch('session.signOut', { profile })).ok).toBe(false);
    expect(unexpected).toEqual(['profiles.list', 'session.signOut']);
  });
});
