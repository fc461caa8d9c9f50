// The errors a SchedulerPort caller may handle (by class, never by name or message).
export { ScheduleTimePassedError, TIME_PASSED_REASONS, type TimePassedReason } from './errors.ts';

/**
 * How close to its time, milliseconds, a one-time schedule counts as firing (2 minutes: Scheduler
 * fires within the minute, plus a minute of clock skew and lag): the schedule stage leaves such a
 * schedule to fire rather than delete it, and queues a point that close instead of scheduling it;
 * the scheduler adapter takes an update that finds such a schedule gone as fired.
 */
export const FIRE_WINDOW_MS = 120_000;

/** A one-time schedule as the pipeline sees it. */
export interface OneTimeSchedule {
  /** Unique within the group; [0-9a-zA-Z-_.], at most 64 characters. */
  name: string;
  /** Local date-time `yyyy-mm-ddThh:mm:ss` in `timeZone` (the `at()` expression's argument). */
  at: string;
  /** IANA time zone of `at`. */
  timeZone: string;
  /** ARN of the SQS queue the schedule sends `input` to. */
  targetArn: string;
  /** Message body delivered to the target. */
  input: string;
  /** Free text shown in the console and CLI. */
  description?: string | undefined;
  /**
   * ARN of the SQS queue Scheduler sends an invocation it cannot deliver to (its DeadLetterConfig).
   * Default the adapter's own dead-letter queue, if it has one.
   */
  deadLetterArn?: string | undefined;
}

/** EventBridge Scheduler in one schedule group. */
export interface SchedulerPort {
  /** Every schedule whose name starts with `prefix`, with its target input. */
  list(prefix: string): Promise<OneTimeSchedule[]>;
  /** Creates a schedule (ActionAfterCompletion DELETE, target retry policy and DLQ). Exists → update. */
  create(schedule: OneTimeSchedule): Promise<void>;
  /** Replaces a schedule's time, zone and input. Missing → create. */
  update(schedule: OneTimeSchedule): Promise<void>;
  /** Deletes a schedule; a missing one is not an error. */
  delete(name: string): Promise<void>;
}
