import { HANDOVER_GUARD_SECONDS } from '#shared/regionRole';

/**
 * Default drain of `herald region activate`, seconds: the handover guard plus four minutes in
 * which the previous region finishes the sends already queued there.
 */
export const DEFAULT_DRAIN_SECONDS = HANDOVER_GUARD_SECONDS + 240;
