import { expect } from 'vitest';
import type { ConsoleServices } from '../../electron/services/console-services';
import { totpCode } from '../../platform/auth/totp';
import type { DemoUser } from '../../platform/seed/demo';
import { type ContractClient, contractClient } from '../../renderer/contract/client';
import { createSessionStore, type SessionStore } from '../../renderer/stores/session-store';
import { signInThroughBrowser } from './oauth';
import type { TestPlatform } from './platform';

/**
 * Renderer stores run against the real main-process services: the bridge is the dispatcher itself, so
 * only the renderer's transport (IPC or loopback HTTP) is skipped.
 */
export function bridgeClient(services: Pick<ConsoleServices, 'dispatcher' | 'events'>): ContractClient {
  return contractClient({
    call: (name, input) => services.dispatcher.dispatch(name, input),
    onEvent: (listener) => services.events.subscribe(listener),
  });
}

export async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

/** A session store signed in through the browser flow, as a person does it (fresh TOTP step). */
export async function signedInSession(
  client: ContractClient,
  user: DemoUser,
  platform: TestPlatform,
): Promise<SessionStore> {
  const session = createSessionStore(client);
  const signingIn = session.getState().signInWithBrowser(platform.url);
  await waitFor(() => session.getState().signIn.status === 'waiting');
  const waiting = session.getState().signIn;
  if (waiting.status !== 'waiting') throw new Error('unreachable');
  platform.clock.advance(30_000);
  await signInThroughBrowser(waiting.authorizationUrl, user, totpCode(user.totpSeed, platform.clock.now()));
  await signingIn;
  expect(session.getState().active).not.toBeNull();
  return session;
}
