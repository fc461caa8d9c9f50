import { addCalendarDays, utcToZoned, zonedToUtc } from './zonedTime.ts';

/** What {@link pointDeadline} needs of a point. */
export interface PointDeadlineInput {
  /** `before` (relative to the release date) or `on_release`. */
  pointKind: 'before' | 'on_release';
  /** When the point is due. */
  dueAt: Date;
  /** Release date `yyyy-mm-dd` the point was computed from, if any. */
  releaseDate?: string | undefined;
  /** IANA zone of the point's recipients. */
  timeZone: string;
  /** Maximum lateness, milliseconds (the policy's `maxLateness`). */
  maxLatenessMs: number;
}

/**
 * The last instant a point may still be sent (`notAfter`): its due time plus the maximum
 * lateness, and for a `before` point due on the release day itself (its local date in the
 * recipients' zone is the release date) never after that local day ends (midnight of the next
 * day in that zone, DST included), so "today" is never read on the next day. Pure.
 */
export const pointDeadline = (input: PointDeadlineInput): Date => {
  const late = input.dueAt.getTime() + input.maxLatenessMs;
  const { releaseDate } = input;
  if (input.pointKind !== 'before' || releaseDate === undefined) return new Date(late);
  if (utcToZoned(input.dueAt, input.timeZone).slice(0, 10) !== releaseDate) return new Date(late);
  const endOfDay = zonedToUtc(`${addCalendarDays(releaseDate, 1)}T00:00:00`, input.timeZone).getTime();
  return new Date(Math.min(late, endOfDay));
};
