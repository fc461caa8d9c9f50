import type { ComposeJob } from '#contracts/composeJob';

const DAY_MS = 86_400_000;

/** The calendar date (`yyyy-mm-dd`) of an instant in an IANA time zone. */
const localDate = (instant: Date, timeZone: string): string =>
  // en-CA formats dates as yyyy-mm-dd.
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    instant,
  );

/**
 * Whole calendar days from the day a `before` point goes out (in the recipients' time zone) to
 * the release date, for the prompt ("in 7 days"); 0 on the day itself, never negative. The day
 * is that of the later of `dueAt` and `now`: a point sent late says what is true when it is
 * sent. Undefined for `on_release` points and jobs without a release date.
 */
export const daysBefore = (
  job: Pick<ComposeJob, 'pointKind' | 'releaseDate' | 'dueAt' | 'timeZone'>,
  now?: Date,
): number | undefined => {
  if (job.pointKind !== 'before' || job.releaseDate === undefined) return undefined;
  const sentAt = new Date(Math.max(Date.parse(job.dueAt), now?.getTime() ?? Number.NEGATIVE_INFINITY));
  const due = Date.parse(`${localDate(sentAt, job.timeZone)}T00:00:00Z`);
  const release = Date.parse(`${job.releaseDate}T00:00:00Z`);
  return Math.max(0, Math.round((release - due) / DAY_MS));
};
