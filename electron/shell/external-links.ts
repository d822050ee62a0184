/**
 * Which URLs the console hands to the system browser. `shell.openExternal` passes the URL to the OS,
 * where `file:`, `smb:` or a registered custom scheme can run code, so only plain web URLs get through.
 */
export const MAX_EXTERNAL_URL_LENGTH = 2048;

const loopbackHosts = ['127.0.0.1', '[::1]', 'localhost'];

export interface ExternalLinkPolicy {
  /**
   * Also allow http to this machine. Only for URLs the main process built itself towards a platform it
   * already accepts over loopback http (the demo, RFC 8252-style development); never for page links.
   */
  readonly allowLoopbackHttp?: boolean;
}

export function isOpenableExternally(url: unknown, policy: ExternalLinkPolicy = {}): boolean {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_EXTERNAL_URL_LENGTH) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // Credentials in a link are a phishing device (`https://bank.example@evil.example/`) and never needed.
  if (parsed.hostname === '' || parsed.username !== '' || parsed.password !== '') return false;
  if (parsed.protocol === 'https:') return true;
  return (
    policy.allowLoopbackHttp === true &&
    parsed.protocol === 'http:' &&
    loopbackHosts.includes(parsed.hostname)
  );
}
