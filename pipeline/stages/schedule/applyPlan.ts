import { type OneTimeSchedule, ScheduleTimePassedError } from '#adapters/scheduler/SchedulerPort';
import { mapLimit } from '#shared/mapLimit';
import type { DesiredSchedule } from './desiredSchedules.ts';
import type { SchedulePlan } from './planChanges.ts';
import { queueComposeJob } from './queueComposeJob.ts';
import { describeSchedule, type ScheduleRun } from './ScheduleRun.ts';

/** Default {@link ScheduleRun}'s `deps.concurrency`: Scheduler calls in flight at once. */
const DEFAULT_CONCURRENCY = 4;

/** Why an existing schedule is deleted (planChanges' reasons, plus replaced by a queued job). */
type DeleteReason = 'cancelled' | 'obsolete' | 'superseded';

/** What {@link applyPlan} did. */
export interface AppliedPlan {
  created: number;
  updated: number;
  /** compose.jobs sent straight to the compose queue. */
  queued: number;
  /** Schedules deleted, the plan's and the superseded ones. */
  deleted: number;
}

/** One run's writes so far: counts, and existing schedules replaced by a queued job. */
interface Progress extends Omit<AppliedPlan, 'deleted'> {
  superseded: OneTimeSchedule[];
}

/** Writes one desired schedule, or queues its job when its time is (about to be) up; true when written. */
const writeOrQueue = async (
  run: ScheduleRun,
  d: DesiredSchedule,
  current: OneTimeSchedule | undefined,
  progress: Progress,
): Promise<boolean> => {
  const { deps } = run;
  if (d.dueAt.getTime() <= deps.now().getTime() + run.fireWindowMs) {
    await queueComposeJob(run, d, 'due_soon');
    progress.queued += 1;
    if (current !== undefined) progress.superseded.push(current);
    return false;
  }
  try {
    if (current === undefined) await run.retry('scheduler.create', () => deps.scheduler.create(d.schedule));
    else await run.retry('scheduler.update', () => deps.scheduler.update(d.schedule));
    return true;
  } catch (err) {
    if (!(err instanceof ScheduleTimePassedError)) throw err;
    run.logger.info({ ...describeSchedule(d), reason: err.reason }, 'schedule_time_passed');
    await queueComposeJob(run, d, 'time_passed');
    progress.queued += 1;
    // A schedule that fired has deleted itself; one that was refused is still there.
    if (current !== undefined && err.reason !== 'fired') progress.superseded.push(current);
    return false;
  }
};

/**
 * Applies a plan: creates and updates (or queued jobs) first, at most `deps.concurrency` (4) at a
 * time, then, only once all of them succeeded, the deletions (the plan's and the schedules a
 * queued job superseded). The first failure stops new calls, waits for those in flight, and is
 * rethrown; later ones are logged (`schedule_change_failed`). Logs `schedule_created`,
 * `schedule_updated`, `schedule_deleted`.
 */
export const applyPlan = async (run: ScheduleRun, plan: SchedulePlan): Promise<AppliedPlan> => {
  const { deps, logger } = run;
  const limit = deps.concurrency ?? DEFAULT_CONCURRENCY;
  const onLaterError = (err: unknown) => logger.warn({ err }, 'schedule_change_failed');
  const progress: Progress = { created: 0, updated: 0, queued: 0, superseded: [] };
  const writes = [
    ...plan.create.map((d) => async () => {
      if (!(await writeOrQueue(run, d, undefined, progress))) return;
      progress.created += 1;
      logger.info(describeSchedule(d), 'schedule_created');
    }),
    ...plan.update.map(({ desired: d, existing: e, changes }) => async () => {
      if (!(await writeOrQueue(run, d, e, progress))) return;
      progress.updated += 1;
      logger.info(
        { ...describeSchedule(d), changes, previousAt: e.at, previousTimeZone: e.timeZone },
        'schedule_updated',
      );
    }),
  ];
  await mapLimit(writes, limit, (write) => write(), { onLaterError });
  const deletions: Array<{ existing: OneTimeSchedule; reason: DeleteReason }> = [
    ...plan.delete,
    ...progress.superseded.map((e) => ({ existing: e, reason: 'superseded' as const })),
  ];
  await mapLimit(
    deletions,
    limit,
    async ({ existing: e, reason }) => {
      await run.retry('scheduler.delete', () => deps.scheduler.delete(e.name));
      logger.info({ name: e.name, at: e.at, timeZone: e.timeZone, reason }, 'schedule_deleted');
    },
    { onLaterError },
  );
  const { superseded, ...counts } = progress;
  return { ...counts, deleted: deletions.length };
};
