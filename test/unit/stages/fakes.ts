import type { BusEvent, EventBusPort } from '#adapters/events/EventBusPort';
import type { RecordContext } from '#retry/createSqsHandler';
import type { Log } from '#shared/logger';
import { memoryLogger } from '#test/factories/memoryLogger';

// The one fake of each port and the one logger double live in test/factories; re-exported here
// for the tests (and other branches' tests) that import them from this file.
export { FakeDirectory } from '#test/factories/FakeDirectory';
export { FakeJira } from '#test/factories/FakeJira';
export { FakeQueue } from '#test/factories/FakeQueue';
export { type MemoryLogger, memoryLogger } from '#test/factories/memoryLogger';

/** A record context with plenty of time left. */
export const recordContext = (logger: Log = memoryLogger().logger): RecordContext => ({
  logger,
  receiveCount: 1,
  remainingTimeMs: () => 30_000,
});

/** An in-memory bus that records what was put. */
export class FakeBus implements EventBusPort {
  readonly events: BusEvent[] = [];
  failWith: Error | undefined;

  async put(events: readonly BusEvent[]): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.events.push(...events);
  }
}
