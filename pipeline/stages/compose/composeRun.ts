import type { RecordContext } from '#retry/createSqsHandler';
import { tracedRetry } from '#retry/tracedRetry';
import type { ComposeDeps } from './ComposeDeps.ts';
import type { ComposeRun } from './DraftContext.ts';

/**
 * The run of one compose record: the record's logger bound to `bindings` (the job's ids), and a
 * traced retry bounded by the record's remaining time.
 */
export const composeRun = (
  ctx: RecordContext,
  deps: ComposeDeps,
  bindings: Record<string, string>,
): ComposeRun => {
  const logger = ctx.logger.child(bindings);
  return {
    deps,
    retry: tracedRetry({ remainingTimeMs: ctx.remainingTimeMs, logger }),
    logger,
    remainingTimeMs: ctx.remainingTimeMs,
  };
};
