import { topology } from '#topology/topology';

/**
 * Visibility timeout of every `<stage>-reschedule` queue, seconds.
 * @deprecated Read `topology.rescheduleQueue.visibilityTimeoutSeconds`; kept only until
 * LocalRuntime reads the topology itself.
 */
export const RESCHEDULE_VISIBILITY_TIMEOUT_SECONDS = topology.rescheduleQueue.visibilityTimeoutSeconds;

/** Function name of the rescheduler (one function consuming every reschedule queue). */
export const RESCHEDULER_FUNCTION = 'rescheduler';
