// The sandboxed preload: the renderer's only way into the main process is the functions of
// `ConsoleBridge`. Neither ipcRenderer nor an IPC event object is ever handed over, since either would
// let page script send on any channel or reach the sender. Bundled to dist/electron/preload.cjs.
import { contextBridge, type IpcRendererEvent, ipcRenderer, webUtils } from 'electron';
import {
  BRIDGE_GLOBAL,
  type ConsoleBridge,
  IPC_CALL_CHANNEL,
  IPC_EVENT_CHANNEL,
} from '../shared/contract/bridge';
import type { ContractReply, EventName } from '../shared/contract/contract';
import { IPC_DROP_CHANNEL } from '../shared/contract/dropped-files';

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
  grantDroppedFiles(files: readonly File[]): Promise<ContractReply> {
    // The path is read here from each real File; a page cannot make up a File that has one, so only
    // files the user dragged onto the window (or picked in a file input) reach the main process.
    const paths = Array.from(files, (file) => webUtils.getPathForFile(file)).filter((p) => p !== '');
    return ipcRenderer.invoke(IPC_DROP_CHANNEL, paths) as Promise<ContractReply>;
  },
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
