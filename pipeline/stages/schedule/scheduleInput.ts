import type * as z from 'zod';
import type { OneTimeSchedule } from '#adapters/scheduler/SchedulerPort';
import { composeJobMessage } from '#contracts/composeJob';
import { reviewJobMessage } from '#contracts/reviewJob';

/**
 * A schedule's Input read as a compose.job envelope; undefined when it is not JSON or not a
 * compose.job (a schedule someone else put under our prefix, or one from an incompatible version).
 */
export const composeJobOfInput = (input: string): z.output<typeof composeJobMessage> | undefined => {
  let json: unknown;
  try {
    json = JSON.parse(input);
  } catch {
    return undefined;
  }
  const parsed = composeJobMessage.safeParse(json);
  return parsed.success ? parsed.data : undefined;
};

/**
 * The newest `snapshotAt` among a release's existing schedules (epoch ms): the `readAt` of the
 * latest release.snapshot the schedule stage applied to the release. Undefined when no schedule
 * carries one (none left, or all made before the field existed).
 */
export const newestSnapshotAt = (schedules: readonly OneTimeSchedule[]): number | undefined => {
  let newest: number | undefined;
  for (const schedule of schedules) {
    const at = composeJobOfInput(schedule.input)?.payload.snapshotAt;
    if (at !== undefined && (newest === undefined || at > newest)) newest = at;
  }
  return newest;
};

/**
 * A schedule's Input read as either job a send-point schedule or a review schedule carries
 * (compose.job or review.job envelope); undefined when it is neither.
 */
export const scheduledJobOfInput = (
  input: string,
): z.output<typeof composeJobMessage> | z.output<typeof reviewJobMessage> | undefined => {
  const compose = composeJobOfInput(input);
  if (compose !== undefined) return compose;
  try {
    const parsed = reviewJobMessage.safeParse(JSON.parse(input));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};
