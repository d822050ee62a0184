import { describe, expect, it } from 'vitest';
import { isTrustedSender } from '../../../electron/shell/ipc-sender';

const console_ = { frameUrl: 'app://console/index.html', frameOrigin: 'app://console', isMainFrame: true };

describe('IPC senders: only the console page in the main frame may call the services', () => {
  it("trusts the main frame showing the console's origin", () => {
    expect(isTrustedSender(console_)).toBe(true);
    expect(isTrustedSender({ ...console_, frameUrl: 'app://console/assets/x.js?v=1#top' })).toBe(true);
  });

  it('refuses a subframe, even one on the console origin', () => {
    expect(isTrustedSender({ ...console_, isMainFrame: false })).toBe(false);
  });

  it('refuses a main frame that shows anything else, or a frame that is gone', () => {
    for (const frameUrl of ['https://example.com/', 'file:///tmp/x.html', 'about:blank', 'app://evil/'])
      expect(isTrustedSender({ ...console_, frameUrl }), frameUrl).toBe(false);
    expect(isTrustedSender({ ...console_, frameUrl: undefined })).toBe(false);
    expect(isTrustedSender({ ...console_, frameOrigin: undefined })).toBe(false);
  });

  it('refuses a console URL whose document has another origin (a sandboxed page\'s is opaque: "null")', () => {
    for (const frameOrigin of ['null', 'app://evil', 'app://console.evil', 'https://console', ''])
      expect(isTrustedSender({ ...console_, frameOrigin }), frameOrigin).toBe(false);
  });

  it('compares whole origins, parsed: no prefix, case, port, credential or wrapped-URL look-alike passes', () => {
    for (const frameUrl of [
      'app://console.evil.example/index.html',
      'app://consolex/index.html',
      'app://console:1/index.html',
      'app://user@console/index.html',
      'app://console@evil/index.html',
      'app://CONSOLE/index.html',
      'app://c%6Fnsole/index.html',
      'blob:app://console/6b1c2f0e',
      'app:console/index.html',
      'app:///console/index.html',
      ' app://console/index.html',
      'APP://console\\index.html',
    ])
      expect(isTrustedSender({ ...console_, frameUrl }), frameUrl).toBe(false);
  });
});
