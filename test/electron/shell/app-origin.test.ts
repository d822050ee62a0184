import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, entryUrl, isAppUrl } from '../../../electron/shell/app-origin';

describe("app origin: what counts as the console's own page", () => {
  it('accepts any path on app://console', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://console/assets/index.js?v=1#x')).toBe(true);
  });

  it('refuses other schemes, hosts, ports and URLs with credentials', () => {
    for (const url of [
      'https://console/index.html',
      'file:///index.html',
      'app://consolex/index.html',
      'app://evil.example/index.html',
      'app://console:8080/index.html',
      'app://user@console/index.html',
      'app:console/index.html',
      'about:blank',
      '',
    ])
      expect(isAppUrl(url), url).toBe(false);
    expect(isAppUrl(undefined)).toBe(false);
  });

  it('refuses URLs the parser would have to repair, which Chromium never reports', () => {
    for (const url of [
      ' app://console/index.html',
      'app://console/a/../index.html',
      'APP://console/index.html',
    ])
      expect(isAppUrl(url), url).toBe(false);
  });

  it('loads the entry page, passing a launch platform URL along only when it is a plain http(s) URL', () => {
    expect(entryUrl(undefined)).toBe(APP_ENTRY_URL);
    expect(entryUrl('http://127.0.0.1:4610')).toBe(
      `${APP_ENTRY_URL}?platform=${encodeURIComponent('http://127.0.0.1:4610')}`,
    );
    expect(entryUrl('https://platform.example.com/base')).toContain('?platform=https');
    for (const odd of [
      'javascript:alert(1)',
      'https://u:p@x.example/',
      `https://x.example/${'a'.repeat(300)}`,
    ])
      expect(entryUrl(odd), odd).toBe(APP_ENTRY_URL);
    expect(isAppUrl(entryUrl('https://platform.example.com'))).toBe(true);
  });
});
