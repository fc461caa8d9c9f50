import type { BusEvent, EventBusPort } from '#adapters/events/EventBusPort';

/** The one in-memory {@link EventBusPort}: records what was put, and can be told to fail. */
export class FakeBus implements EventBusPort {
  readonly events: BusEvent[] = [];
  /** When set, `put` always rejects with it. */
  failWith: Error | undefined;

  async put(events: readonly BusEvent[]): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.events.push(...events);
  }
}
