import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP relay in front of a real platform that can hold a download half-way: for a path that
 * contains a held marker, it relays the reply's head and its first `firstBytes`, then waits until the
 * hold is released (or the client goes away). Nothing is invented: every byte is the platform's own. It
 * lets a test see a download in progress and cancel it without racing a clock.
 */
export interface HeldDownloadProxy {
  readonly url: string;
  /** Holds replies whose path contains `marker` after their first bytes. */
  hold(marker: string): void;
  /** Lets held and later replies for `marker` through. */
  release(marker: string): void;
  close(): Promise<void>;
}

export async function startHeldDownloadProxy(
  target: string,
  firstBytes = 256 * 1024,
): Promise<HeldDownloadProxy> {
  const origin = new URL(target);
  const held = new Map<string, { promise: Promise<void>; release: () => void }>();
  const server: Server = createServer((incoming, outgoing) => {
    const upstream = request(
      {
        host: origin.hostname,
        port: origin.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: origin.host },
      },
      (reply) => {
        outgoing.writeHead(reply.statusCode ?? 502, reply.headers);
        const hold = [...held.entries()].find(([marker]) => incoming.url?.includes(marker))?.[1];
        if (!hold) {
          reply.pipe(outgoing);
          return;
        }
        let sent = 0;
        let through = false;
        reply.on('data', (chunk: Buffer) => {
          if (through || sent + chunk.length <= firstBytes) {
            sent += chunk.length;
            outgoing.write(chunk);
            return;
          }
          const room = firstBytes - sent;
          outgoing.write(chunk.subarray(0, room));
          sent = firstBytes;
          // No more data events until the hold is released: the rest waits in the platform's socket.
          reply.pause();
          void hold.promise.then(() => {
            if (outgoing.destroyed) return;
            outgoing.write(chunk.subarray(room));
            through = true;
            reply.resume();
          });
        });
        reply.on('end', () => outgoing.end());
        outgoing.on('close', () => reply.destroy());
      },
    );
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hold(marker) {
      let release = () => {};
      const promise = new Promise<void>((resolve) => {
        release = resolve;
      });
      held.set(marker, { promise, release });
    },
    release(marker) {
      held.get(marker)?.release();
      held.delete(marker);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const { release } of held.values()) release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
