// The sandboxed preload: the renderer's only way into the main process is the two functions of
// `ConsoleBridge`. Neither ipcRenderer nor an IPC event object is ever handed over, since either would
// let page script send on any channel or reach the sender. Bundled to dist/electron/preload.cjs.
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import {
  BRIDGE_GLOBAL,
  type ConsoleBridge,
  IPC_CALL_CHANNEL,
  IPC_EVENT_CHANNEL,
} from '../shared/contract/bridge';
import type { ContractReply, EventName } from '../shared/contract/contract';

const bridge: ConsoleBridge = {
  call(name: string, input: unknown): Promise<ContractReply> {
    return ipcRenderer.invoke(IPC_CALL_CHANNEL, name, input) as Promise<ContractReply>;
  },
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void {
    const forward = (_event: IpcRendererEvent, name: EventName, payload: unknown) => listener(name, payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
