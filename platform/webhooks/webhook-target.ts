import { lookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { fail, ok, type Result } from '../../shared/result';

/**
 * Where executed writes may be sent. Whoever controls a webhook target receives every executed custom
 * write, and the platform's own network is not theirs to probe: only public unicast addresses, over https,
 * checked when the target is proposed and again, on the address actually connected to, at every send.
 * `allowPrivate` (an explicit development option) lifts both for a platform and its receiver on one machine.
 */
export interface WebhookTargetRules {
  readonly allowPrivate: boolean;
}

const refusedTarget =
  'A webhook must be an https address on the public internet (not this machine, a private network, or a cloud metadata address).';

/** Public unicast only: loopback, private, link-local (metadata), unique-local, CGNAT, NAT64 and the rest are refused. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

/** The URL's own form: scheme, no credentials, and no literal address that is not public. */
export function checkTargetUrl(text: string, rules: WebhookTargetRules): Result<URL> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail('bad-request', 'The webhook address is not a URL.');
  }
  if (url.username || url.password)
    return fail('bad-request', 'A webhook address may not carry credentials.');
  if (rules.allowPrivate) {
    return url.protocol === 'https:' || url.protocol === 'http:'
      ? ok(url)
      : fail('bad-request', 'A webhook address must be http or https.');
  }
  if (url.protocol !== 'https:') return fail('bad-request', refusedTarget);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host) && !isPublicAddress(host)) return fail('bad-request', refusedTarget);
  if (host === 'localhost' || host.endsWith('.localhost')) return fail('bad-request', refusedTarget);
  return ok(url);
}

/** Resolves the host as a send would, and refuses if any address it resolves to is not public. */
export async function checkTarget(text: string, rules: WebhookTargetRules): Promise<Result<URL>> {
  const url = checkTargetUrl(text, rules);
  if (!url.ok || rules.allowPrivate) return url;
  const host = url.value.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host)) return url;
  const addresses = await new Promise<string[] | undefined>((resolve) =>
    lookup(host, { all: true }, (error, found) => resolve(error ? undefined : found.map((a) => a.address))),
  );
  if (!addresses || addresses.length === 0) return fail('bad-request', 'The webhook host does not resolve.');
  return addresses.every(isPublicAddress) ? url : fail('bad-request', refusedTarget);
}

/**
 * A `lookup` for the connection itself: the address the socket connects to is the one checked, so a name
 * that resolves differently between the check and the send (DNS rebinding) cannot reach a private address.
 */
export function publicOnlyLookup(rules: WebhookTargetRules): LookupFunction | undefined {
  if (rules.allowPrivate) return undefined;
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.find((a) => !isPublicAddress(a.address));
      const first = addresses[0];
      if (refused || !first) {
        const blocked = Object.assign(new Error('webhook target is not a public address'), {
          code: 'ETARGETREFUSED',
        });
        return callback(blocked, '', 0);
      }
      if (options.all) return (callback as (e: null, a: typeof addresses) => void)(null, addresses);
      return callback(null, first.address, first.family);
    });
  };
}
