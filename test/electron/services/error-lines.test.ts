import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { describe, expect, it } from 'vitest';
import { createConsoleServices } from '../../../electron/services/console-services';
import { logLine } from '../../../electron/services/log-line';
import { type Keychain, Vault } from '../../../electron/services/vault/vault';

// Credentials shaped exactly as the platform issues them.
const apiKey = `cck_live_${'a'.repeat(26)}.${'S'.repeat(43)}`;
const refreshToken = `rt_${'b'.repeat(26)}.${'R'.repeat(43)}`;
const jwt = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1c3JfMSJ9.c2lnbmF0dXJlc2lnbmF0dXJl';

describe('error lines the main process writes', () => {
  it('are scrubbed of anything shaped like a credential, even when the error quotes one', async () => {
    // The real keychain, except that listing fails with a message quoting secrets (as a keychain or
    // library error might quote what it was handed).
    const failing: Keychain = {
      getPassword: (service, account) => keytar.getPassword(service, account),
      setPassword: (service, account, password) => keytar.setPassword(service, account, password),
      deletePassword: (service, account) => keytar.deletePassword(service, account),
      findCredentials: async () => {
        throw new Error(`Secret Service refused: ${apiKey} ${refreshToken} Bearer ${jwt}`);
      },
    };
    const lines: string[] = [];
    const services = createConsoleServices({
      dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')),
      vault: new Vault(failing, `cc-test-error-lines-${process.pid}`),
      log: (line) => lines.push(line),
    });
    try {
      const reply = await services.dispatcher.dispatch('profiles.list', {});
      expect(reply).toEqual({
        ok: false,
        error: { code: 'keychain-unavailable', message: expect.stringMatching(/keychain cannot be used/) },
      });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('Console call profiles.list failed: Secret Service refused:');
      for (const secret of ['S'.repeat(43), 'R'.repeat(43), jwt]) expect(lines[0]).not.toContain(secret);
      expect(lines[0]).toContain(`cck_live_${'a'.repeat(26)}.[redacted]`);
    } finally {
      await services.close();
    }
  });

  it('stay one line: a message cannot pass off a second line as the console’s own', () => {
    expect(logLine('failed: x\nThe console could not start: forged\r\n')).toBe(
      'failed: x The console could not start: forged ',
    );
  });
});
