import { execFileSync } from 'node:child_process';
import keytar from 'keytar';
import { describe, expect, it } from 'vitest';

describe('the test keychain', () => {
  it('is GNOME Keyring on a private session bus, not the user’s own', () => {
    expect(process.env.CC_KEYRING_READY).toBe('1');
    expect(process.env.HOME).toMatch(/cc-keyring-/);
    const owner = execFileSync('dbus-send', [
      '--session',
      '--print-reply',
      '--dest=org.freedesktop.DBus',
      '/org/freedesktop/DBus',
      'org.freedesktop.DBus.GetNameOwner',
      'string:org.freedesktop.secrets',
    ]).toString();
    expect(owner).toMatch(/string ":1\.\d+"/);
  });

  it('stores, reads and deletes a secret through keytar and the Secret Service', async () => {
    const service = `cc-test-${process.pid}`;
    await keytar.setPassword(service, 'profile', 'not-a-real-secret');
    expect(await keytar.getPassword(service, 'profile')).toBe('not-a-real-secret');
    expect(await keytar.findCredentials(service)).toEqual([
      { account: 'profile', password: 'not-a-real-secret' },
    ]);
    expect(await keytar.deletePassword(service, 'profile')).toBe(true);
    expect(await keytar.getPassword(service, 'profile')).toBeNull();
  });
});
