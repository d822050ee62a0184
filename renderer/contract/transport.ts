import { BRIDGE_GLOBAL, type ConsoleBridge, LAUNCH_HEADER } from '../../shared/contract/bridge';
import { ContractReply, type EventName } from '../../shared/contract/contract';

const broken: ContractReply = {
  ok: false,
  error: { code: 'unavailable', message: 'The console lost its connection to its own process; restart it.' },
};

/**
 * The headless host's transport: the same calls as the Electron preload, over loopback HTTP, with the
 * per-launch secret the printed URL carried in its fragment (see `launchSecret`).
 */
function httpBridge(secret: string): ConsoleBridge {
  // One event stream per window, shared by every listener: each open stream holds one of the few
  // connections a browser allows per host, and calls would queue behind them.
  const listeners = new Set<(name: EventName, payload: unknown) => void>();
  let abort: AbortController | undefined;
  return {
    async call(name, input) {
      try {
        const response = await fetch(`/contract/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [LAUNCH_HEADER]: secret },
          body: JSON.stringify(input ?? {}),
        });
        const parsed = ContractReply.safeParse(await response.json());
        return parsed.success ? parsed.data : broken;
      } catch {
        return broken;
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      if (!abort) {
        abort = new AbortController();
        void streamEvents(secret, abort.signal, (name, payload) => {
          for (const each of listeners) each(name, payload);
        });
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          abort?.abort();
          abort = undefined;
        }
      };
    },
  };
}

async function streamEvents(
  secret: string,
  signal: AbortSignal,
  listener: (name: EventName, payload: unknown) => void,
) {
  while (!signal.aborted) {
    try {
      const response = await fetch('/events', { headers: { [LAUNCH_HEADER]: secret }, signal });
      const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
      let buffered = '';
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) break;
        buffered += chunk.value;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          if (!line) continue;
          const event = JSON.parse(line) as { name: EventName; payload: unknown };
          listener(event.name, event.payload);
        }
      }
    } catch {
      // The host restarted or the network blinked; try again shortly unless we were told to stop.
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

export function connectBridge(): ConsoleBridge {
  const exposed = (window as unknown as Record<string, ConsoleBridge | undefined>)[BRIDGE_GLOBAL];
  if (exposed) return exposed;
  return httpBridge(launchSecret());
}

const SECRET_PARAM = 'k';
const STATE_KEY = 'consoleLaunch';
let secret: string | undefined;

/**
 * The headless host's per-launch secret, from the fragment of the URL it printed. Read once, then taken
 * out of the address bar, so it is not on screen, not copied with the address and not in later history
 * entries. This tab's history entry keeps it in its state, which a reload restores, so a reload still
 * works; it is never written to localStorage or sessionStorage.
 */
export function launchSecret(): string {
  if (secret === undefined) {
    const kept = (history.state as Record<string, unknown> | null)?.[STATE_KEY];
    secret = takeFromAddress() ?? (typeof kept === 'string' ? kept : '');
    // The printed URL pasted again into this tab changes only the fragment: take it out again.
    window.addEventListener('hashchange', () => takeFromAddress());
  }
  return secret;
}

/** The secret in the address, if there is one, removed from it and kept in the entry's state. */
function takeFromAddress(): string | undefined {
  const params = new URLSearchParams(location.hash.slice(1));
  const found = params.get(SECRET_PARAM);
  if (found === null) return undefined;
  params.delete(SECRET_PARAM);
  const rest = params.toString();
  const state = { ...(history.state as object | null), [STATE_KEY]: secret ?? found };
  history.replaceState(state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
  return found;
}
