import { describe, expect, it } from 'vitest';
import { isTrustedSender } from '../../../electron/shell/ipc-sender';

describe('IPC senders: only the console page in the main frame may call the services', () => {
  it("trusts the main frame showing the console's origin", () => {
    expect(isTrustedSender({ frameUrl: 'app://console/index.html', isMainFrame: true })).toBe(true);
  });

  it('refuses a subframe, even one on the console origin', () => {
    expect(isTrustedSender({ frameUrl: 'app://console/index.html', isMainFrame: false })).toBe(false);
  });

  it('refuses a main frame that shows anything else, or a frame that is gone', () => {
    for (const frameUrl of ['https://example.com/', 'file:///tmp/x.html', 'about:blank', 'app://evil/'])
      expect(isTrustedSender({ frameUrl, isMainFrame: true }), frameUrl).toBe(false);
    expect(isTrustedSender({ frameUrl: undefined, isMainFrame: true })).toBe(false);
  });
});
