import { isAppUrl } from './app-origin';

/**
 * Whether an IPC call may reach the services: only the top frame of the console's own window, showing the
 * console's own origin. A subframe or a page that was navigated elsewhere (which navigation guards should
 * already prevent) gets nothing, so no other content can talk to the main process through our preload.
 */
export interface SenderFacts {
  /** The sending frame's URL; undefined when the frame is already gone. */
  readonly frameUrl: string | undefined;
  /** True only when the frame is the main frame of the console's window. */
  readonly isMainFrame: boolean;
}

export function isTrustedSender(sender: SenderFacts): boolean {
  return sender.isMainFrame && isAppUrl(sender.frameUrl);
}
