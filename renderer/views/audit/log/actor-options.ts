import type { DirectoryApiKey, DirectoryPerson, Named } from '../../../stores/directory-store';
import { nameText } from '../../../stores/directory-store';

export interface ActorOption {
  readonly id: string;
  readonly label: string;
}

export interface ActorGroup {
  readonly label: string;
  readonly options: readonly ActorOption[];
}

/** The ids the platform itself acts under, in the order a person looks for them. */
const platformActorIds = ['platform', 'platform-operator', 'platform-cli', 'anonymous'] as const;

const byLabel = (a: ActorOption, b: ActorOption) => a.label.localeCompare(b.label);

/**
 * Everyone the log can name as an actor, by name: the tenant's members, people who have left (they still
 * appear in old entries), its API keys with their owners, and the platform's own actors. E-mail addresses
 * beside the names tell two people of the same name apart.
 */
export function actorGroups(
  people: ReadonlyMap<string, DirectoryPerson>,
  apiKeys: ReadonlyMap<string, DirectoryApiKey>,
  name: (id: string) => Named,
): ActorGroup[] {
  const all = [...people.values()];
  const person = (p: DirectoryPerson): ActorOption => ({ id: p.id, label: `${p.displayName} — ${p.email}` });
  const groups: ActorGroup[] = [
    {
      label: 'People',
      options: all
        .filter((p) => !p.removed)
        .map(person)
        .sort(byLabel),
    },
    {
      label: 'People who have left',
      options: all
        .filter((p) => p.removed)
        .map(person)
        .sort(byLabel),
    },
    {
      label: 'API keys',
      options: [...apiKeys.values()].map((k) => ({ id: k.id, label: nameText(name(k.id)) })).sort(byLabel),
    },
    {
      label: 'The platform',
      options: platformActorIds.map((id) => ({ id, label: nameText(name(id)) })),
    },
  ];
  return groups.filter((g) => g.options.length > 0);
}
