import type { ConsoleServices } from '../../electron/services/console-services';
import type { DemoUser } from '../../platform/seed/demo';
import type { ProfileRef } from '../../shared/contract/spec';
import { valueIn } from './contract';
import { signInThroughBrowser } from './oauth';
import type { TestPlatform } from './platform';

/** A person signs in to the console the way they do in the app: the browser sign-in, through the contract. */
export async function signInToConsole(
  services: ConsoleServices,
  platform: TestPlatform,
  user: DemoUser,
): Promise<ProfileRef> {
  const begun = valueIn(
    await services.dispatcher.dispatch('session.beginBrowserSignIn', { platformUrl: platform.url }),
  );
  const completing = services.dispatcher.dispatch('session.completeBrowserSignIn', {
    signInId: begun.signInId,
  });
  await signInThroughBrowser(begun.authorizationUrl, user, platform.totp(user));
  return valueIn(await completing).profile;
}

/** The push events the services emit while `work` runs, by name. */
export async function eventsDuring<T>(
  services: ConsoleServices,
  work: () => Promise<T>,
): Promise<{ result: T; events: { name: string; payload: unknown }[] }> {
  const events: { name: string; payload: unknown }[] = [];
  const stop = services.events.subscribe((name, payload) => events.push({ name, payload }));
  try {
    return { result: await work(), events };
  } finally {
    stop();
  }
}
