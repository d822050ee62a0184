import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../../shared/contract/bridge';
import { IPC_DROP_CHANNEL } from '../../../shared/contract/dropped-files';

// The Electron binary is missing here, so main.ts runs against a recording stand-in for Electron's API
// (and for the services), proving the wiring: what each handler decides for the inputs Electron would
// give it. The Playwright _electron spec proves the same against the real thing where it exists.
type Fn = (...args: never[]) => unknown;

const fake = vi.hoisted(() => {
  const appHandlers = new Map<string, Fn>();
  const contentsHandlers = new Map<string, Fn>();
  const state = {
    lock: true,
    isPackaged: false,
    devToolsClosed: 0,
    privileged: [] as unknown[],
    protocolHandler: undefined as undefined | ((request: Request) => Promise<Response>),
    ipcChannels: [] as string[],
    ipcHandlers: new Map<string, Fn>(),
    dropped: [] as unknown[],
    permissionRequest: undefined as undefined | Fn,
    permissionCheck: undefined as undefined | Fn,
    deviceCheck: undefined as undefined | Fn,
    windowOpen: undefined as undefined | ((details: { url: string }) => { action: string }),
    opened: [] as string[],
    sent: [] as unknown[][],
    loaded: [] as string[],
    focused: 0,
    quit: 0,
    sandboxed: false,
    windowOptions: undefined as unknown,
    pageUrl: 'app://console/index.html',
    eventListener: undefined as undefined | ((name: string, payload: unknown) => void),
    dispatched: [] as unknown[][],
    servicesOpenExternal: undefined as undefined | ((url: string) => Promise<void>),
    servicesOptions: undefined as undefined | Record<string, unknown>,
    servicesFailure: undefined as undefined | Error,
    exitCodes: [] as number[],
  };
  const webContents = {
    id: 7,
    on: (name: string, handler: Fn) => contentsHandlers.set(name, handler),
    setWindowOpenHandler: (handler: (details: { url: string }) => { action: string }) => {
      state.windowOpen = handler;
    },
    getURL: () => state.pageUrl,
    send: (...args: unknown[]) => state.sent.push(args),
    closeDevTools: () => {
      state.devToolsClosed++;
    },
  };
  return { appHandlers, contentsHandlers, state, webContents };
});

vi.mock('electron', () => {
  const { appHandlers, state, webContents } = fake;
  class BrowserWindow {
    readonly webContents = webContents;
    constructor(options: unknown) {
      state.windowOptions = options;
    }
    once() {}
    on() {}
    show() {}
    isDestroyed = () => false;
    isMinimized = () => false;
    restore() {}
    focus() {
      state.focused++;
    }
    loadURL(url: string) {
      state.loaded.push(url);
      return Promise.resolve();
    }
  }
  return {
    app: {
      get isPackaged() {
        return state.isPackaged;
      },
      requestSingleInstanceLock: () => state.lock,
      enableSandbox: () => {
        state.sandboxed = true;
      },
      whenReady: () => Promise.resolve(),
      getPath: () => '/tmp/cc-user-data',
      on: (name: string, handler: Fn) => appHandlers.set(name, handler),
      once: (name: string, handler: Fn) => appHandlers.set(name, handler),
      quit: () => {
        state.quit++;
      },
      exit: (code: number) => {
        state.exitCodes.push(code);
      },
    },
    BrowserWindow,
    ipcMain: {
      handle: (channel: string, handler: Fn) => {
        state.ipcChannels.push(channel);
        state.ipcHandlers.set(channel, handler);
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => state.privileged.push(...schemes),
      handle: (_scheme: string, handler: (request: Request) => Promise<Response>) => {
        state.protocolHandler = handler;
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: Fn) => {
          state.permissionRequest = handler;
        },
        setPermissionCheckHandler: (handler: Fn) => {
          state.permissionCheck = handler;
        },
        setDevicePermissionHandler: (handler: Fn) => {
          state.deviceCheck = handler;
        },
      },
    },
    shell: {
      openExternal: async (url: string) => {
        state.opened.push(url);
      },
    },
  };
});

vi.mock('../../../electron/services/console-services', () => ({
  createConsoleServices: (options: { openExternal?: (url: string) => Promise<void> }) => {
    if (fake.state.servicesFailure) throw fake.state.servicesFailure;
    fake.state.servicesOpenExternal = options.openExternal;
    fake.state.servicesOptions = options;
    return {
      dispatcher: {
        dispatch: async (name: unknown, input: unknown) => {
          fake.state.dispatched.push([name, input]);
          return { ok: true, value: { profiles: [] } };
        },
      },
      events: {
        subscribe: (listener: (name: string, payload: unknown) => void) => {
          fake.state.eventListener = listener;
          return () => {};
        },
      },
      grantDroppedPaths: async (paths: unknown) => {
        fake.state.dropped.push(paths);
        return { ok: true, value: { files: [], unreadable: [] } };
      },
      close: async () => {},
    };
  },
}));

const { state, appHandlers, contentsHandlers, webContents } = fake;
const mainFrame = { url: 'app://console/index.html', origin: 'app://console', parent: null };
const call = (event: unknown, name: unknown, input: unknown) =>
  (
    state.ipcHandlers.get(IPC_CALL_CHANNEL) as (
      event: unknown,
      name: unknown,
      input: unknown,
    ) => Promise<unknown>
  )(event, name, input);
const drop = (event: unknown, paths: unknown) =>
  (state.ipcHandlers.get(IPC_DROP_CHANNEL) as (event: unknown, paths: unknown) => Promise<unknown>)(
    event,
    paths,
  );

beforeAll(async () => {
  await import('../../../electron/main');
  await vi.waitFor(() => expect(state.loaded).toHaveLength(1));
  (appHandlers.get('web-contents-created') as (e: unknown, c: unknown) => void)({}, webContents);
});

const prevented = (handlerName: string, details: object = {}) => {
  let stopped = false;
  const event = {
    ...details,
    preventDefault: () => {
      stopped = true;
    },
  };
  (contentsHandlers.get(handlerName) as (event: unknown) => void)(event);
  return stopped;
};

describe('main process wiring (against a stand-in for Electron)', () => {
  it('registers app:// as a standard, secure, fetchable scheme and sandboxes every renderer', () => {
    expect(state.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(state.sandboxed).toBe(true);
  });

  it('opens one window on app://console with the locked-down preferences and the built preload', () => {
    expect(state.loaded).toEqual(['app://console/index.html']);
    const options = state.windowOptions as { webPreferences: Record<string, unknown> };
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(String(options.webPreferences.preload)).toMatch(/preload\.cjs$/);
  });

  it('serves the renderer through the protocol handler with the CSP header', async () => {
    const handler = state.protocolHandler as (request: Request) => Promise<Response>;
    const reply = await handler(new Request('app://console/index.html'));
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await handler(new Request('app://console/%2e%2e/package.json'))).status).toBe(404);
  });

  it('listens on the call channel and the dropped-files channel, nothing else', () => {
    expect(state.ipcChannels).toEqual([IPC_CALL_CHANNEL, IPC_DROP_CHANNEL]);
  });

  it('hands dropped paths from the console page to the services, and refuses them from anything else', async () => {
    const paths = ['/home/someone/minutes.pdf'];
    await expect(drop({ sender: webContents, senderFrame: mainFrame }, paths)).resolves.toMatchObject({
      ok: true,
    });
    const foreign = { url: 'https://example.com/', origin: 'https://example.com', parent: null };
    await expect(drop({ sender: webContents, senderFrame: foreign }, ['/etc/shadow'])).resolves.toMatchObject(
      {
        ok: false,
        error: { code: 'forbidden' },
      },
    );
    await expect(
      drop({ sender: { ...webContents, id: 8 }, senderFrame: mainFrame }, paths),
    ).resolves.toMatchObject({ ok: false });
    expect(state.dropped).toEqual([paths]);
  });

  it('passes calls from the console page in the main frame to the services', async () => {
    await expect(call({ sender: webContents, senderFrame: mainFrame }, 'profiles.list', {})).resolves.toEqual(
      {
        ok: true,
        value: { profiles: [] },
      },
    );
    expect(state.dispatched).toEqual([['profiles.list', {}]]);
  });

  it('answers forbidden to other windows, subframes, foreign pages, opaque origins and vanished frames', async () => {
    const forbidden = { ok: false, error: { code: 'forbidden', message: expect.any(String) } };
    const senders = [
      { sender: { ...webContents, id: 8 }, senderFrame: mainFrame },
      { sender: webContents, senderFrame: { ...mainFrame, parent: mainFrame } },
      {
        sender: webContents,
        senderFrame: { url: 'https://example.com/', origin: 'https://example.com', parent: null },
      },
      // The console's URL in a document whose origin is not the console's (served with a CSP sandbox).
      { sender: webContents, senderFrame: { ...mainFrame, origin: 'null' } },
      { sender: webContents, senderFrame: { ...mainFrame, url: 'app://console.evil/index.html' } },
      { sender: webContents, senderFrame: null },
    ];
    state.dispatched.length = 0;
    for (const event of senders) await expect(call(event, 'profiles.list', {})).resolves.toEqual(forbidden);
    expect(state.dispatched).toEqual([]);
  });

  it('forwards service events to the console page as (name, payload) on the event channel', () => {
    state.eventListener?.('progress', { task: 't', done: 1, total: 1 });
    expect(state.sent).toEqual([[IPC_EVENT_CHANNEL, 'progress', { task: 't', done: 1, total: 1 }]]);
    state.pageUrl = 'https://example.com/';
    state.eventListener?.('progress', { task: 't', done: 1, total: 1 });
    expect(state.sent).toHaveLength(1);
    state.pageUrl = 'app://console/index.html';
  });

  it('blocks navigation and redirects away from the console, and every webview', () => {
    expect(prevented('will-navigate', { url: 'https://example.com/' })).toBe(true);
    expect(prevented('will-redirect', { url: 'file:///etc/passwd' })).toBe(true);
    expect(prevented('will-navigate', { url: 'app://console/index.html#x' })).toBe(false);
    expect(prevented('will-attach-webview')).toBe(true);
  });

  it('blocks any frame, a subframe too, from navigating away from the console', () => {
    for (const isMainFrame of [true, false]) {
      expect(prevented('will-frame-navigate', { url: 'https://example.com/', isMainFrame })).toBe(true);
      expect(prevented('will-frame-navigate', { url: 'javascript:alert(1)', isMainFrame })).toBe(true);
      expect(prevented('will-frame-navigate', { url: 'app://console/index.html', isMainFrame })).toBe(false);
    }
  });

  it('from source: DevTools allowed, and CC_PLATFORM_URL is not set here, so no platform is suggested', () => {
    const options = state.windowOptions as { webPreferences: Record<string, unknown> };
    expect(options.webPreferences.devTools).toBe(true);
    expect(state.servicesOptions?.defaultPlatformUrl).toBeUndefined();
  });

  it('denies every new window, sending only https links to the system browser', async () => {
    const open = state.windowOpen as (details: { url: string }) => { action: string };
    for (const url of [
      'https://docs.example.com/',
      'http://example.com/',
      'file:///etc/passwd',
      'app://console/',
    ])
      expect(open({ url })).toEqual({ action: 'deny' });
    await vi.waitFor(() => expect(state.opened).toEqual(['https://docs.example.com/']));
  });

  it('lets the services open the loopback demo platform, but nothing that is not a web URL', async () => {
    const openExternal = state.servicesOpenExternal as (url: string) => Promise<void>;
    await openExternal('http://127.0.0.1:4610/oauth/authorize');
    await expect(openExternal('file:///etc/passwd')).rejects.toThrow();
    expect(state.opened.at(-1)).toBe('http://127.0.0.1:4610/oauth/authorize');
  });

  it('hands the services the verifier worker bundled beside main (inside the asar), never an unpacked copy', () => {
    const url = state.servicesOptions?.verifyWorkerUrl as URL;
    expect(url.href).toBe(
      pathToFileURL(join(import.meta.dirname, '../../../electron/verify-worker.cjs')).href,
    );
  });

  it('refuses every permission request and check', () => {
    const answers: boolean[] = [];
    (state.permissionRequest as (c: unknown, p: string, cb: (ok: boolean) => void) => void)(
      webContents,
      'media',
      (granted) => answers.push(granted),
    );
    expect(answers).toEqual([false]);
    expect((state.permissionCheck as () => boolean)()).toBe(false);
    expect((state.deviceCheck as () => boolean)()).toBe(false);
  });

  it('hands a second launch to the existing window', () => {
    (appHandlers.get('second-instance') as () => void)();
    expect(state.focused).toBe(1);
  });

  it('quits at once, wiring nothing, when another instance holds the lock', async () => {
    vi.resetModules();
    appHandlers.clear();
    state.lock = false;
    state.quit = 0;
    await import('../../../electron/main');
    expect(state.quit).toBe(1);
    expect(appHandlers.size).toBe(0);
  });
});

/** main.ts again, from a clean slate, as Electron would start it with these facts. */
async function launch(options: { isPackaged: boolean; platformUrl?: string }) {
  vi.resetModules();
  appHandlers.clear();
  contentsHandlers.clear();
  Object.assign(state, { lock: true, isPackaged: options.isPackaged, loaded: [], devToolsClosed: 0 });
  const saved = process.env.CC_PLATFORM_URL;
  if (options.platformUrl) process.env.CC_PLATFORM_URL = options.platformUrl;
  try {
    await import('../../../electron/main');
    await vi.waitFor(() => expect(state.loaded).toHaveLength(1));
  } finally {
    if (saved === undefined) delete process.env.CC_PLATFORM_URL;
    else process.env.CC_PLATFORM_URL = saved;
  }
  (appHandlers.get('web-contents-created') as (e: unknown, c: unknown) => void)({}, webContents);
}

describe('main process wiring in a packaged build and from source', () => {
  it('packaged: no DevTools in the window, and any that open are closed at once', async () => {
    await launch({ isPackaged: true });
    const options = state.windowOptions as { webPreferences: Record<string, unknown> };
    expect(options.webPreferences.devTools).toBe(false);
    (contentsHandlers.get('devtools-opened') as () => void)();
    expect(state.devToolsClosed).toBe(1);
  });

  it('packaged: CC_PLATFORM_URL is ignored, by the page and by the services', async () => {
    await launch({ isPackaged: true, platformUrl: 'http://127.0.0.1:4610' });
    expect(state.loaded).toEqual(['app://console/index.html']);
    expect(state.servicesOptions?.defaultPlatformUrl).toBeUndefined();
  });

  it('from source: CC_PLATFORM_URL is suggested to the sign-in screen (npm start points it at the demo)', async () => {
    await launch({ isPackaged: false, platformUrl: 'http://127.0.0.1:4610' });
    expect(state.loaded).toEqual([
      `app://console/index.html?platform=${encodeURIComponent('http://127.0.0.1:4610')}`,
    ]);
    expect(state.servicesOptions?.defaultPlatformUrl).toBe('http://127.0.0.1:4610');
    expect(contentsHandlers.has('devtools-opened')).toBe(false);
  });

  it('writes a start-up failure as one line, scrubbed of anything shaped like a credential, and exits 1', async () => {
    const key = `cck_live_${'a'.repeat(26)}.${'S'.repeat(43)}`;
    state.servicesFailure = new Error(`the keychain answered ${key}`);
    const written: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      vi.resetModules();
      appHandlers.clear();
      state.exitCodes = [];
      await import('../../../electron/main');
      await vi.waitFor(() => expect(state.exitCodes).toEqual([1]));
    } finally {
      write.mockRestore();
      state.servicesFailure = undefined;
    }
    expect(written).toEqual([
      `The console could not start: the keychain answered cck_live_${'a'.repeat(26)}.[redacted]\n`,
    ]);
  });
});
