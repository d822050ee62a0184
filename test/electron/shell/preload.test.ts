import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  BRIDGE_GLOBAL,
  type ConsoleBridge,
  IPC_CALL_CHANNEL,
  IPC_EVENT_CHANNEL,
} from '../../../shared/contract/bridge';
import { IPC_DROP_CHANNEL } from '../../../shared/contract/dropped-files';

// The preload runs against a stand-in for Electron's renderer-side API that records what it is given.
type Listener = (event: unknown, ...args: unknown[]) => void;
const fake = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoked: [] as unknown[][],
  listeners: new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>(),
}));

vi.mock('electron', () => ({
  // What webUtils.getPathForFile answers: the path of a file from the OS, '' for one made by page script.
  webUtils: {
    getPathForFile: (file: File) => (file.name === 'minutes.pdf' ? '/home/someone/minutes.pdf' : ''),
  },
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => fake.exposed.set(key, api),
  },
  ipcRenderer: {
    invoke: async (...args: unknown[]) => {
      fake.invoked.push(args);
      return { ok: true, value: { profiles: [] } };
    },
    on: (channel: string, listener: Listener) => {
      const set = fake.listeners.get(channel) ?? new Set();
      set.add(listener);
      fake.listeners.set(channel, set);
    },
    removeListener: (channel: string, listener: Listener) => fake.listeners.get(channel)?.delete(listener),
  },
}));

let bridge: ConsoleBridge;
beforeAll(async () => {
  await import('../../../electron/preload');
  bridge = fake.exposed.get(BRIDGE_GLOBAL) as ConsoleBridge;
});

describe('preload: the renderer gets the bridge functions and nothing of Electron', () => {
  it(`exposes exactly call, onEvent and grantDroppedFiles, under ${BRIDGE_GLOBAL} only`, () => {
    expect([...fake.exposed.keys()]).toEqual([BRIDGE_GLOBAL]);
    expect(Object.keys(bridge).sort()).toEqual(['call', 'grantDroppedFiles', 'onEvent']);
  });

  it('sends the main process only the paths Electron knows for dropped files, never one the page names', async () => {
    fake.invoked.length = 0;
    const dropped = new File(['%PDF'], 'minutes.pdf');
    const madeByPage = new File(['x'], '/etc/shadow');
    await bridge.grantDroppedFiles?.([dropped, madeByPage]);
    expect(fake.invoked).toEqual([[IPC_DROP_CHANNEL, ['/home/someone/minutes.pdf']]]);
    fake.invoked.length = 0;
  });

  it('sends calls over the one call channel and returns the reply', async () => {
    await expect(bridge.call('profiles.list', {})).resolves.toEqual({ ok: true, value: { profiles: [] } });
    expect(fake.invoked).toEqual([[IPC_CALL_CHANNEL, 'profiles.list', {}]]);
  });

  it('hands listeners (name, payload) only, never the IPC event, and stops when asked', () => {
    const seen: unknown[][] = [];
    const stop = bridge.onEvent((...args) => seen.push(args));
    const ipcEvent = { sender: 'ipcRenderer itself', senderId: 0 };
    for (const listener of fake.listeners.get(IPC_EVENT_CHANNEL) ?? [])
      listener(ipcEvent, 'progress', { task: 'export', done: 1, total: 2 });
    expect(seen).toEqual([['progress', { task: 'export', done: 1, total: 2 }]]);
    stop();
    expect(fake.listeners.get(IPC_EVENT_CHANNEL)?.size).toBe(0);
  });
});
