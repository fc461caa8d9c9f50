import type { RecordContext } from '#retry/createSqsHandler';
import type { Log } from '#shared/logger';
import { memoryLogger } from '#test/factories/memoryLogger';

/**
 * A record context on its first receive, with `remainingMs` of the invocation left (default
 * 30 s; the compose and send tests give 60 s, room for their send budget).
 */
export const recordContext = (logger: Log = memoryLogger().logger, remainingMs = 30_000): RecordContext => ({
  logger,
  receiveCount: 1,
  remainingTimeMs: () => remainingMs,
});
