import { APP_ORIGIN, isAppUrl } from './app-origin';

/**
 * Whether an IPC call may reach the services: only the top frame of the console's own window, showing the
 * console's own origin. A subframe or a page that was navigated elsewhere (which navigation guards should
 * already prevent) gets nothing, so no other content can talk to the main process through our preload.
 */
export interface SenderFacts {
  /** The sending frame's URL; undefined when the frame is already gone. */
  readonly frameUrl: string | undefined;
  /**
   * The frame's origin as Chromium holds it (`WebFrameMain.origin`). It can differ from the URL's: a
   * document served with a CSP sandbox has the opaque origin "null" whatever its URL says.
   */
  readonly frameOrigin: string | undefined;
  /** True only when the frame is the main frame of the console's window. */
  readonly isMainFrame: boolean;
}

/** Both origins, the URL's (parsed) and the document's, must be exactly the console's: no prefix match. */
export function isTrustedSender(sender: SenderFacts): boolean {
  return sender.isMainFrame && sender.frameOrigin === APP_ORIGIN && isAppUrl(sender.frameUrl);
}
