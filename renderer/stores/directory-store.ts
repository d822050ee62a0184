import type { Directory, DirectoryApiKey, DirectoryPerson } from '../../shared/api/directory';
import type { ContractClient } from '../contract/client';
import type { SessionStore } from './session-store';
import { createTenantScopedStore, type TenantScopedOptions } from './tenant-scoped';

export type { DirectoryApiKey, DirectoryPerson };

/** Who an id is, as far as this tenant's directory knows. */
export type Named =
  | { readonly kind: 'person'; readonly person: DirectoryPerson }
  | { readonly kind: 'api-key'; readonly key: DirectoryApiKey; readonly owner: DirectoryPerson | undefined }
  | { readonly kind: 'platform'; readonly label: string }
  | { readonly kind: 'unknown'; readonly id: string };

export interface DirectoryState {
  readonly people: ReadonlyMap<string, DirectoryPerson>;
  readonly apiKeys: ReadonlyMap<string, DirectoryApiKey>;
  readonly loaded: boolean;
  /** Loads the tenant's directory once (again after a tenant switch, or when asked to refresh). */
  load(options?: { refresh?: boolean }): Promise<void>;
  name(id: string): Named;
  dispose(): void;
}

const initial = {
  people: new Map<string, DirectoryPerson>(),
  apiKeys: new Map<string, DirectoryApiKey>(),
  loaded: false,
} satisfies Partial<DirectoryState>;

/** Actors the platform itself writes into the log under fixed ids, with the words a person reads. */
const platformActors: Readonly<Record<string, string>> = {
  platform: 'The platform',
  'platform-cli': 'Platform command line',
  'platform-operator': 'Platform operator (break-glass)',
  anonymous: 'Someone not signed in',
};

/**
 * The tenant's people and API keys by id, so every screen shows names where the platform sends ids
 * (requesters, approvers, comment authors, audit actors, key owners). Loaded once per tenant; a request
 * for a name before it arrives shows the id, and the name as soon as it does.
 */
export function createDirectoryStore(client: ContractClient, session: SessionStore) {
  let inFlight: Promise<void> | null = null;
  const options: TenantScopedOptions<DirectoryState> = {
    initial,
    onSwitch: () => {
      inFlight = null;
    },
  };
  return createTenantScopedStore(session, options, (set, get, tenant) => ({
    ...initial,

    load(opts = {}) {
      if (get().loaded && !opts.refresh) return Promise.resolve();
      if (inFlight && !opts.refresh) return inFlight;
      const where = tenant.scope();
      if (!where) return Promise.resolve();
      const asked = tenant.guardTenant();
      inFlight = (async () => {
        const answer = await asked.settle(client.call('directory.get', where));
        if (!answer?.ok) return;
        set(indexed(answer.value));
      })().finally(() => {
        inFlight = null;
      });
      return inFlight;
    },

    name(id) {
      const { people, apiKeys } = get();
      const person = people.get(id);
      if (person) return { kind: 'person', person };
      const key = apiKeys.get(id);
      if (key) return { kind: 'api-key', key, owner: people.get(key.ownerId) };
      const label = platformActors[id];
      if (label) return { kind: 'platform', label };
      return { kind: 'unknown', id };
    },

    dispose: () => tenant.dispose(),
  }));
}

function indexed(directory: Directory): Pick<DirectoryState, 'people' | 'apiKeys' | 'loaded'> {
  return {
    people: new Map(directory.people.map((p) => [p.id, p])),
    apiKeys: new Map(directory.apiKeys.map((k) => [k.id, k])),
    loaded: true,
  };
}

/** A name as plain text, for places that cannot hold a component (titles, aria labels, sorting). */
export function nameText(named: Named): string {
  switch (named.kind) {
    case 'person':
      return named.person.removed ? `${named.person.displayName} (removed)` : named.person.displayName;
    case 'api-key':
      // An owner who has left is marked too: their keys stop working with them.
      return `API key “${named.key.name}”${named.owner ? ` of ${nameText({ kind: 'person', person: named.owner })}` : ''}`;
    case 'platform':
      return named.label;
    case 'unknown':
      return named.id;
  }
}
