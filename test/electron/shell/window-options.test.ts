import { describe, expect, it } from 'vitest';
import { createSecureWindow, type SecureWindowOptions } from '../../../electron/shell/window-options';

class RecordingWindow {
  static last: SecureWindowOptions | undefined;
  constructor(readonly options: SecureWindowOptions) {
    RecordingWindow.last = options;
  }
}

describe('the console window is created with locked-down web preferences', () => {
  it('isolates and sandboxes the renderer, with no Node anywhere and web security on', () => {
    const window = createSecureWindow(RecordingWindow, '/app/dist/electron/preload.cjs', { devTools: false });
    expect(window).toBeInstanceOf(RecordingWindow);
    expect(RecordingWindow.last?.webPreferences).toEqual({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: false,
    });
  });

  it('allows DevTools only when told to (from source, never packaged)', () => {
    createSecureWindow(RecordingWindow, '/p.cjs', { devTools: true });
    expect(RecordingWindow.last?.webPreferences.devTools).toBe(true);
  });

  it('stays hidden until its first paint is ready', () => {
    createSecureWindow(RecordingWindow, '/p.cjs', { devTools: false });
    expect(RecordingWindow.last?.show).toBe(false);
  });
});
