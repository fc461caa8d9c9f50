/**
 * Wall-clock arithmetic in IANA time zones with `Intl` only (Node 24 ships no `Temporal` by
 * default). A local date-time is the string `yyyy-mm-ddThh:mm:ss` with no offset, exactly the
 * argument of an EventBridge Scheduler `at()` expression.
 *
 * Resolving a local time that a transition skipped (a DST gap) gives the first instant after
 * the gap (Temporal's `compatible` would instead move on by the gap's length); a local time that
 * happens twice (an overlap) gives the earlier instant. Scheduler skips an expression whose wall
 * time does not exist, so callers that hand a time to Scheduler round-trip it first
 * (`utcToZoned(zonedToUtc(t, z), z)`) to name a wall time that really occurs.
 */

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const DAY_MS = 24 * 60 * MINUTE_MS;

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

// Building a DateTimeFormat costs far more than formatting with one: keep one per zone.
const formatterOf = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

/** Epoch ms of the wall clock in `timeZone` at `epochMs`, read as if it were UTC. */
const wallClockMs = (epochMs: number, timeZone: string): number => {
  const fields: Record<string, number> = {};
  for (const part of formatterOf(timeZone).formatToParts(epochMs)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields;
  return Date.UTC(year, month - 1, day, hour, minute, second);
};

/** Offset of `timeZone` from UTC at `epochMs`, milliseconds (wall clock minus UTC), whole seconds. */
const offsetMs = (epochMs: number, timeZone: string): number => {
  const floored = Math.floor(epochMs / SECOND_MS) * SECOND_MS;
  return wallClockMs(floored, timeZone) - floored;
};

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

const formatWallClock = (wallMs: number): string => {
  const d = new Date(wallMs);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
};

/** Reads a local date-time as if it were UTC; throws a RangeError when it is not a real calendar time. */
const parseWallClock = (local: string): number => {
  const match = LOCAL_DATE_TIME.exec(local);
  if (!match) throw new RangeError(`"${local}" is not a local date-time (yyyy-mm-ddThh:mm:ss)`);
  const [, y, mo, d, h, mi, s] = match.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  if (formatWallClock(ms) !== local) throw new RangeError(`"${local}" is not a calendar date-time`);
  return ms;
};

/** True when `value` is a local date-time `yyyy-mm-ddThh:mm:ss` naming a real calendar date and time. */
export const isLocalDateTime = (value: string): boolean => {
  try {
    parseWallClock(value);
    return true;
  } catch {
    return false;
  }
};

/**
 * Offset of `timeZone` from UTC at `date`, minutes (east positive: Asia/Kolkata is 330).
 */
export const timeZoneOffsetMinutes = (date: Date, timeZone: string): number =>
  offsetMs(date.getTime(), timeZone) / MINUTE_MS;

/**
 * The wall clock in `timeZone` at `date`, as `yyyy-mm-ddThh:mm:ss` (milliseconds dropped).
 * @throws RangeError for an unknown zone or an invalid date.
 */
export const utcToZoned = (date: Date, timeZone: string): string => {
  const epochMs = date.getTime();
  if (Number.isNaN(epochMs)) throw new RangeError('invalid date');
  const floored = Math.floor(epochMs / SECOND_MS) * SECOND_MS;
  return formatWallClock(wallClockMs(floored, timeZone));
};

/**
 * The instant at which the wall clock in `timeZone` reads `local` (`yyyy-mm-ddThh:mm:ss`).
 * A time skipped by a transition (DST gap) gives the instant the gap ends (Europe/Berlin
 * 2024-03-31T02:30:00 → 01:00Z, i.e. 03:00 CEST); a repeated time (overlap) gives the earlier
 * of its two instants.
 * @throws RangeError for a malformed local time or an unknown zone.
 */
export const zonedToUtc = (local: string, timeZone: string): Date => {
  const wall = parseWallClock(local);
  // Offsets a day either side bracket any single transition near `wall`; both candidates
  // are checked, so a zone with no transition nearby simply yields the same one twice.
  const before = offsetMs(wall - DAY_MS, timeZone);
  const after = offsetMs(wall + DAY_MS, timeZone);
  const matches = [wall - before, wall - after]
    .filter((candidate) => wallClockMs(candidate, timeZone) === wall)
    .sort((a, b) => a - b);
  if (matches[0] !== undefined) return new Date(matches[0]);
  // A gap: the wall clock jumped from before the gap to after it at one instant T with
  // wall - after < T <= wall - before. Binary search, to the second, for the first instant
  // already on the later offset.
  let lo = Math.min(wall - after, wall - before);
  let hi = Math.max(wall - after, wall - before);
  const target = offsetMs(hi, timeZone);
  while (hi - lo > SECOND_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / SECOND_MS) * SECOND_MS;
    if (offsetMs(mid, timeZone) === target) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
};

/**
 * Adds whole calendar days to a date `yyyy-mm-dd` (negative = earlier). No zone is involved:
 * `2024-03-01` minus 1 day is `2024-02-29`.
 * @throws RangeError for a malformed date.
 */
export const addCalendarDays = (date: string, days: number): string => {
  if (!LOCAL_DATE.test(date)) throw new RangeError(`"${date}" is not a date (yyyy-mm-dd)`);
  const wall = parseWallClock(`${date}T00:00:00`) + days * DAY_MS;
  return formatWallClock(wall).slice(0, 10);
};

/**
 * Moves a local date-time by `minutes` on the wall clock (negative = earlier), ignoring any
 * transition: `2024-03-31T01:30:00` + 60 is `2024-03-31T02:30:00` even where that hour does not
 * exist. Resolve the result with {@link zonedToUtc}.
 * @throws RangeError for a malformed local time.
 */
export const addWallClockMinutes = (local: string, minutes: number): string =>
  formatWallClock(parseWallClock(local) + minutes * MINUTE_MS);
