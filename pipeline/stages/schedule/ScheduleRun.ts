import type { ReleaseSnapshot } from '#contracts/releaseSnapshot';
import type { TracedRetry } from '#retry/tracedRetry';
import type { Log } from '#shared/logger';
import { type DesiredSchedule, type DesiredScheduleSet, desiredSchedules } from './desiredSchedules.ts';
import type { ScheduleDeps } from './ScheduleDeps.ts';

/** One run of the schedule stage over one release.snapshot: what its steps share. */
export interface ScheduleRun {
  snapshot: ReleaseSnapshot;
  /** Whether an earlier attempt of this record may have run (received before, or rescheduled). */
  redelivered: boolean;
  deps: ScheduleDeps;
  /** The record's logger, bound to the release. */
  logger: Log;
  /** Traced, in-call retries bounded by the record's remaining time. */
  retry: TracedRetry;
  /** The trace each schedule and queued job carries on. */
  traceparent: string | undefined;
  /** A point due within this many milliseconds is queued rather than scheduled. */
  fireWindowMs: number;
}

/** The schedules the release should have, as of `now`. */
export const desiredAt = (run: ScheduleRun, now: Date): DesiredScheduleSet =>
  desiredSchedules(run.snapshot, {
    now,
    targetArn: run.deps.composeQueueArn,
    traceparent: run.traceparent,
    ...(run.deps.schedulePrefix !== undefined ? { schedulePrefix: run.deps.schedulePrefix } : {}),
    ...(run.deps.inputLimit !== undefined ? { inputLimit: run.deps.inputLimit } : {}),
  });

/** Log fields of a desired schedule: name, time, point and counts, never recipients. */
export const describeSchedule = (d: DesiredSchedule) => ({
  name: d.schedule.name,
  at: d.schedule.at,
  timeZone: d.schedule.timeZone,
  dueAt: d.dueAt.toISOString(),
  pointId: d.pointId,
  pointKind: d.pointKind,
  recipientTimeZone: d.recipientTimeZone,
  chunk: `${d.chunk.index + 1}/${d.chunk.count}`,
  recipients: d.recipientCount,
});
