import keytar from 'keytar';
import { describe, expect, it } from 'vitest';
import { type Keychain, type Profile, Vault } from '../../../electron/services/vault/vault';

// The real OS keychain (GNOME Keyring on the test's private session bus), under a service of its own.
const vault = new Vault(keytar, `cc-test-vault-${process.pid}`);
const alice: Profile = { platformOrigin: 'https://platform.example.com', principalId: 'usr_alice' };
const bob: Profile = { platformOrigin: 'https://platform.example.com', principalId: 'usr_bob' };
const aliceElsewhere: Profile = { platformOrigin: 'http://127.0.0.1:4610', principalId: 'usr_alice' };

describe('the vault', () => {
  it('keeps each secret in the OS keychain under its profile and kind', async () => {
    await vault.put(alice, 'refresh-token', 'rt_alice.secret');
    await vault.put(alice, 'device-signing-key', 'alice-device-key');
    await vault.put(bob, 'refresh-token', 'rt_bob.secret');
    expect(await vault.get(alice, 'refresh-token')).toBe('rt_alice.secret');
    expect(await vault.get(bob, 'refresh-token')).toBe('rt_bob.secret');
    expect(await vault.get(aliceElsewhere, 'refresh-token')).toBeUndefined();
    const stored = await keytar.findCredentials(`cc-test-vault-${process.pid}`);
    expect(stored.map((c) => c.account).sort()).toEqual([
      'https://platform.example.com|usr_alice#device-signing-key',
      'https://platform.example.com|usr_alice#refresh-token',
      'https://platform.example.com|usr_bob#refresh-token',
    ]);
  });

  it('sign-out deletes every secret of the profile and no other', async () => {
    await vault.put(aliceElsewhere, 'api-key', 'cck_test_x.y');
    expect(await vault.deleteProfile(alice)).toBe(2);
    expect(await vault.get(alice, 'refresh-token')).toBeUndefined();
    expect(await vault.get(alice, 'device-signing-key')).toBeUndefined();
    expect(await vault.get(bob, 'refresh-token')).toBe('rt_bob.secret');
    expect(await vault.get(aliceElsewhere, 'api-key')).toBe('cck_test_x.y');
    expect((await vault.profiles()).map((p) => p.principalId).sort()).toEqual(['usr_alice', 'usr_bob']);
    await vault.deleteProfile(bob);
    await vault.deleteProfile(aliceElsewhere);
    expect(await vault.profiles()).toEqual([]);
  });

  it('refuses profiles, kinds and secrets it does not take, before touching the keychain', async () => {
    // The real keychain, with every call to it counted on the way through.
    const service = `cc-test-vault-refusals-${process.pid}`;
    const calls: string[] = [];
    const counting =
      <A extends unknown[], R>(name: string, call: (...args: A) => R) =>
      (...args: A): R => {
        calls.push(name);
        return call(...args);
      };
    const counted: Keychain = {
      getPassword: counting('get', keytar.getPassword),
      setPassword: counting('set', keytar.setPassword),
      deletePassword: counting('delete', keytar.deletePassword),
      findCredentials: counting('find', keytar.findCredentials),
    };
    const watched = new Vault(counted, service);
    await expect(
      watched.put({ platformOrigin: 'https://x.example.com/path', principalId: 'usr_a' }, 'api-key', 's'),
    ).rejects.toThrow();
    await expect(
      watched.put({ platformOrigin: 'https://x.example.com', principalId: 'a|b#c' }, 'api-key', 's'),
    ).rejects.toThrow();
    await expect(watched.put(alice, 'password' as never, 's')).rejects.toThrow();
    await expect(watched.put(alice, 'api-key', '')).rejects.toThrow();
    await expect(watched.get(alice, 'password' as never)).rejects.toThrow();
    expect(calls).toEqual([]);
    expect(await keytar.findCredentials(service)).toEqual([]);
    // The same vault does reach the keychain with a well-formed secret: the counts can see a call.
    await watched.put(alice, 'api-key', 's');
    expect(calls).toEqual(['set']);
    expect((await keytar.findCredentials(service)).map((c) => c.account)).toEqual([
      'https://platform.example.com|usr_alice#api-key',
    ]);
    await watched.deleteProfile(alice);
  });
});
