/**
 * What the environment of a launch may change. From source (`npm start`, tests) DevTools help and
 * `CC_PLATFORM_URL` points the sign-in screen at the demo platform. A packaged app takes neither: DevTools
 * would let anyone at the keyboard run script in the console's page (and so call the contract with the
 * signed-in person's credentials), and a variable set in the desktop session must not be able to suggest
 * a platform the person did not choose.
 */
export interface LaunchOptions {
  readonly devTools: boolean;
  readonly platformUrl: string | undefined;
}

export function launchOptions(facts: {
  readonly isPackaged: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}): LaunchOptions {
  if (facts.isPackaged) return { devTools: false, platformUrl: undefined };
  return { devTools: true, platformUrl: facts.env.CC_PLATFORM_URL };
}
