import type { ContractReply, EventName } from './contract';

/**
 * What the preload script exposes to the renderer as `window.consoleBridge`, and what the headless host's
 * HTTP transport implements in the browser. Only these functions cross; no Electron or Node object does.
 */
export interface ConsoleBridge {
  call(name: string, input: unknown): Promise<ContractReply>;
  /** Returns the function that stops listening. */
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
  /**
   * The desktop app only: grants the main process the files dropped on the window (replying with
   * `DroppedFiles`). The headless host has none; its page uploads dropped files instead.
   */
  grantDroppedFiles?(files: readonly File[]): Promise<ContractReply>;
}

export const BRIDGE_GLOBAL = 'consoleBridge';
/** The IPC channels the bridge uses (and `IPC_DROP_CHANNEL`); nothing else is listened to in the main process. */
export const IPC_CALL_CHANNEL = 'contract:call';
export const IPC_EVENT_CHANNEL = 'contract:event';
/** The headless host's per-launch secret travels in this header (the page reads it from its URL fragment). */
export const LAUNCH_HEADER = 'x-cc-launch';
