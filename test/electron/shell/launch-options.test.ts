import { describe, expect, it } from 'vitest';
import { launchOptions } from '../../../electron/shell/launch-options';

const env = { CC_PLATFORM_URL: 'http://127.0.0.1:4610' };

describe('what a launch may change, packaged or run from source', () => {
  it('in a packaged build: DevTools off, and CC_PLATFORM_URL ignored', () => {
    expect(launchOptions({ isPackaged: true, env })).toEqual({ devTools: false, platformUrl: undefined });
  });

  it('from source (npm start, tests): DevTools on, and CC_PLATFORM_URL suggested to the sign-in screen', () => {
    expect(launchOptions({ isPackaged: false, env })).toEqual({
      devTools: true,
      platformUrl: 'http://127.0.0.1:4610',
    });
    expect(launchOptions({ isPackaged: false, env: {} }).platformUrl).toBeUndefined();
  });
});
