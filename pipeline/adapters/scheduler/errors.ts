import { HeraldError } from '#shared/errors';

/**
 * Why a schedule was not written because its time had come:
 * - `past`: its time is at or before the adapter's clock, so no call was made;
 * - `rejected`: Scheduler refused it with a ValidationException about a time in the past;
 * - `fired`: an update found no schedule (it fired and deleted itself) and its time is within
 *   the fire window, so it was not created again.
 */
export const TIME_PASSED_REASONS = ['past', 'rejected', 'fired'] as const;

/** One of {@link TIME_PASSED_REASONS}. */
export type TimePassedReason = (typeof TIME_PASSED_REASONS)[number];

/**
 * A one-time schedule was not created or updated because its time has come (see
 * {@link TimePassedReason}). Neither retryable nor permanent: the caller decides what to do with
 * the due work (the schedule stage sends the compose.job straight to the compose queue).
 */
export class ScheduleTimePassedError extends HeraldError {
  override name = 'ScheduleTimePassedError';
  /** The schedule's name. */
  readonly scheduleName: string;
  /** When the schedule was due. */
  readonly dueAt: Date;
  readonly reason: TimePassedReason;

  constructor(
    scheduleName: string,
    dueAt: Date,
    reason: TimePassedReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.scheduleName = scheduleName;
    this.dueAt = dueAt;
    this.reason = reason;
  }
}
