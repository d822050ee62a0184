import { BRIDGE_GLOBAL, type ConsoleBridge, LAUNCH_HEADER } from '../../shared/contract/bridge';
import { ContractReply, type EventName } from '../../shared/contract/contract';

const broken: ContractReply = {
  ok: false,
  error: { code: 'unavailable', message: 'The console lost its connection to its own process; restart it.' },
};

/**
 * The headless host's transport: the same calls as the Electron preload, over loopback HTTP, with the
 * per-launch secret the printed URL carried in its fragment. The fragment stays in the address (a reload
 * keeps working) and the secret is never written to storage.
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

/** The headless host's per-launch secret, from the fragment of the URL it printed. */
export function launchSecret(): string {
  return new URLSearchParams(location.hash.slice(1)).get('k') ?? '';
}
