import { describe, expect, it } from 'vitest';
import { isOpenableExternally, MAX_EXTERNAL_URL_LENGTH } from '../../../electron/shell/external-links';

describe('external links: what may be handed to the system browser', () => {
  it('opens plain https links', () => {
    expect(isOpenableExternally('https://docs.example.com/guide?x=1#top')).toBe(true);
  });

  it.each([
    'http://example.com/',
    'file:///etc/passwd',
    'smb://server/share',
    'javascript:alert(1)',
    'data:text/html,<script>1</script>',
    'ms-settings:privacy',
    'app://console/index.html',
    'mailto:someone@example.com',
  ])('refuses every scheme but https: %s', (url) => {
    expect(isOpenableExternally(url)).toBe(false);
  });

  it('refuses https links that carry credentials, which disguise the real host', () => {
    expect(isOpenableExternally('https://bank.example@evil.example/')).toBe(false);
    expect(isOpenableExternally('https://user:pass@example.com/')).toBe(false);
  });

  it('refuses links over the length limit, and anything that is not a parsable string', () => {
    const long = `https://example.com/${'a'.repeat(MAX_EXTERNAL_URL_LENGTH)}`;
    expect(isOpenableExternally(long)).toBe(false);
    expect(isOpenableExternally('')).toBe(false);
    expect(isOpenableExternally('not a url')).toBe(false);
    expect(isOpenableExternally(undefined)).toBe(false);
    expect(isOpenableExternally({ href: 'https://example.com/' })).toBe(false);
  });

  it('allows loopback http only when asked to (platform URLs built by the main process), never for pages', () => {
    const demo = 'http://127.0.0.1:4610/oauth/authorize?client_id=x';
    expect(isOpenableExternally(demo)).toBe(false);
    expect(isOpenableExternally(demo, { allowLoopbackHttp: true })).toBe(true);
    expect(isOpenableExternally('http://localhost:4610/', { allowLoopbackHttp: true })).toBe(true);
    expect(isOpenableExternally('http://[::1]:4610/', { allowLoopbackHttp: true })).toBe(true);
    expect(isOpenableExternally('http://example.com/', { allowLoopbackHttp: true })).toBe(false);
    expect(isOpenableExternally('http://127.0.0.1.evil.example/', { allowLoopbackHttp: true })).toBe(false);
    expect(isOpenableExternally('file:///etc/passwd', { allowLoopbackHttp: true })).toBe(false);
  });
});
