import type { z } from 'zod';
import { type EventName, events } from '../../../shared/contract/contract';

export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;
export type EventListener = (name: EventName, payload: unknown) => void;

/**
 * Push events from the services to whatever carries them (Electron IPC or the headless host's stream).
 * Each payload is checked against the contract before it leaves, so a service cannot push a shape the
 * renderer was not promised.
 */
export class EventBus {
  readonly #listeners = new Set<EventListener>();

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const parsed = events[name].safeParse(payload);
    if (!parsed.success) return;
    for (const listener of this.#listeners) listener(name, parsed.data);
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
