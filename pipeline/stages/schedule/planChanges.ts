import { isDeepStrictEqual } from 'node:util';
import { FIRE_WINDOW_MS, type OneTimeSchedule } from '#adapters/scheduler/SchedulerPort';
import { zonedToUtc } from '#shared/zonedTime';
import type { DesiredSchedule, DesiredScheduleSet } from './desiredSchedules.ts';
import { scheduledJobOfInput } from './scheduleInput.ts';
import { seriesOfName } from './scheduleNames.ts';

/** How close to its time, milliseconds, an existing schedule is left to fire (the port's, 2 minutes). */
export { FIRE_WINDOW_MS };

/** What differs between an existing schedule and the desired one. */
export type ScheduleChange = 'at' | 'time_zone' | 'target' | 'input';

/** An existing schedule to replace with its desired version. */
export interface ScheduleUpdate {
  desired: DesiredSchedule;
  existing: OneTimeSchedule;
  changes: ScheduleChange[];
}

/** An existing schedule to delete. */
export interface ScheduleDeletion {
  existing: OneTimeSchedule;
  /**
   * `cancelled`: the release no longer wants this point in this zone at all (release deleted,
   * archived or released, release date cleared, point or zone gone). `obsolete`: the point is
   * still wanted but not this schedule (a chunk no longer needed, or a time that has passed
   * without being about to fire).
   */
  reason: 'cancelled' | 'obsolete';
}

/** An existing schedule left as it is. */
export interface ScheduleKept {
  existing: OneTimeSchedule;
  /** `unchanged`: it is exactly what is desired. `about_to_fire`: not desired, but due within the fire window. */
  reason: 'unchanged' | 'about_to_fire';
}

/** The changes that turn the existing schedules of a release into the desired ones. */
export interface SchedulePlan {
  create: DesiredSchedule[];
  update: ScheduleUpdate[];
  delete: ScheduleDeletion[];
  keep: ScheduleKept[];
}

/** Options of {@link planChanges}. */
export interface PlanChangesOptions {
  now: Date;
  /** Default {@link FIRE_WINDOW_MS}. */
  fireWindowMs?: number;
}

/**
 * Diffs the desired schedules of a release against the existing ones (`scheduler.list` of its
 * prefix). Pure.
 *
 * - Desired and missing → create. Desired and existing → update when `at`, the zone, the target
 *   or the compose.job differ (compared parsed, ignoring `traceparent`; for the on-release point
 *   also ignoring its time, which is "as soon as possible" and moves with every run), else keep.
 *   A compose.job that differs only in `snapshotAt` is kept: the release's watermark against
 *   out-of-order snapshots lives in the ledger (see processRecord), so a newer snapshot that
 *   changes nothing makes no Scheduler write.
 * - Existing and not desired → delete, except a schedule of a still-wanted series (same point,
 *   same zone) that is due or within `fireWindowMs`: it was about to fire, so it is left to do so
 *   (compose re-checks staleness and send is exactly-once per recipient). Cancellation wins: a
 *   series the release no longer wants (deleted, archived, released) is deleted even then.
 */
export const planChanges = (
  desired: DesiredScheduleSet,
  existing: readonly OneTimeSchedule[],
  options: PlanChangesOptions,
): SchedulePlan => {
  const fireBy = options.now.getTime() + (options.fireWindowMs ?? FIRE_WINDOW_MS);
  const existingByName = new Map(existing.map((e) => [e.name, e]));
  const desiredNames = new Set(desired.schedules.map((d) => d.schedule.name));
  const wanted = new Set(desired.wantedSeries);
  const plan: SchedulePlan = { create: [], update: [], delete: [], keep: [] };

  for (const d of desired.schedules) {
    const current = existingByName.get(d.schedule.name);
    if (current === undefined) {
      plan.create.push(d);
      continue;
    }
    const changes = changesOf(d, current);
    if (changes.length > 0) plan.update.push({ desired: d, existing: current, changes });
    else plan.keep.push({ existing: current, reason: 'unchanged' });
  }

  const leftovers = [...existingByName.values()]
    .filter((e) => !desiredNames.has(e.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of leftovers) {
    const series = seriesOfName(e.name);
    if (series === undefined || !wanted.has(series)) {
      plan.delete.push({ existing: e, reason: 'cancelled' });
      continue;
    }
    const due = dueAtOf(e);
    if (due !== undefined && due.getTime() <= fireBy)
      plan.keep.push({ existing: e, reason: 'about_to_fire' });
    else plan.delete.push({ existing: e, reason: 'obsolete' });
  }
  return plan;
};

/** What differs between a desired schedule and the existing one of the same name. */
const changesOf = (d: DesiredSchedule, current: OneTimeSchedule): ScheduleChange[] => {
  const asSoonAsPossible = d.pointKind === 'on_release';
  const changes: ScheduleChange[] = [];
  if (!asSoonAsPossible && d.schedule.at !== current.at) changes.push('at');
  if (d.schedule.timeZone !== current.timeZone) changes.push('time_zone');
  if (d.schedule.targetArn !== current.targetArn) changes.push('target');
  const want = scheduledJobOfInput(d.schedule.input);
  const have = scheduledJobOfInput(current.input);
  if (want === undefined || have === undefined) {
    changes.push('input');
    return changes;
  }
  if (!isDeepStrictEqual(comparableJob(want, asSoonAsPossible), comparableJob(have, asSoonAsPossible))) {
    changes.push('input');
  }
  return changes;
};

/**
 * A compose.job (or a review.job) as compared for `input`: parsed (so key order and whitespace do not matter),
 * without its `traceparent` (each run has its own) and `snapshotAt` (which snapshot made it does
 * not change what it sends), and for an as-soon-as-possible point without its due time and the
 * deadline derived from it.
 */
const comparableJob = (job: NonNullable<ReturnType<typeof scheduledJobOfInput>>, ignoreDueAt: boolean) => {
  const { traceparent: _traceparent, payload, ...envelope } = job;
  const { snapshotAt: _snapshotAt, dueAt, notAfter, ...rest } = payload;
  return { ...envelope, payload: ignoreDueAt ? rest : { ...rest, dueAt, notAfter } };
};

/** When an existing schedule fires; undefined when its `at` or zone cannot be read. */
const dueAtOf = (schedule: OneTimeSchedule): Date | undefined => {
  try {
    return zonedToUtc(schedule.at, schedule.timeZone);
  } catch {
    return undefined;
  }
};
