import type { OneTimeSchedule } from '#adapters/scheduler/SchedulerPort';
import type { ComposeJob } from '#contracts/composeJob';
import type { Recipient } from '#contracts/contact';
import { wrap } from '#contracts/envelope';
import { DEFAULT_AUDIENCE } from '#contracts/issueScope';
import type { ReleaseSnapshot, ScheduledRecipient } from '#contracts/releaseSnapshot';
import { ON_RELEASE_POINT_ID, maxLatenessMsOf, type SendPoint } from '#contracts/sendPolicy';
import { PermanentError } from '#shared/errors';
import { pointDeadline } from '#shared/pointDeadline';
import { addCalendarDays, addWallClockMinutes, utcToZoned, zonedToUtc } from '#shared/zonedTime';
import { topology } from '#topology/topology';
import { reviewSchedules } from './reviewSchedules.ts';
import { releaseSchedulePrefix, scheduleName, scheduleSeries } from './scheduleNames.ts';

/**
 * Room, bytes, left free under {@link topology.scheduleInputLimit} when packing recipients:
 * headroom for a longer traceparent or envelope field without re-chunking every release.
 */
export const SCHEDULE_INPUT_MARGIN = 512;

/** Delay of the on-release point after the snapshot is scheduled, milliseconds (1 minute). */
export const ON_RELEASE_DELAY_MS = 60_000;

/** A schedule the release should have, with what the schedule stage needs to log and compare it. */
export interface DesiredSchedule {
  /** What to create or update in Scheduler. `input` is a compose.job envelope. */
  schedule: OneTimeSchedule;
  pointId: string;
  pointKind: ComposeJob['pointKind'];
  /** When the point is due (the resolved `schedule.at` in `schedule.timeZone`). */
  dueAt: Date;
  /** IANA zone of the recipients (for on-release points `schedule.timeZone` is UTC). */
  recipientTimeZone: string;
  /** 0-based chunk index and chunk count of this point in this zone. */
  chunk: { index: number; count: number };
  /** Recipients in this chunk. */
  recipientCount: number;
}

/** A point that is not scheduled because its time has passed. */
export interface SkippedPoint {
  pointId: string;
  timeZone: string;
  dueAt: Date;
  reason: 'past';
}

/**
 * A point already due when the release is planned. `catch_up`: within its deadline and the
 * policy says `catchUp: now`, so `schedules` (due now + {@link ON_RELEASE_DELAY_MS}, same names
 * as the point's own schedules) would send it now; `missed`: past its deadline, or `catchUp: skip`.
 * Whether it really was never sent (a point planned in time fired and was composed) is for the
 * caller to find out.
 */
export interface LatePoint {
  pointId: string;
  timeZone: string;
  dueAt: Date;
  /** The point's deadline (see {@link pointDeadline}). */
  notAfter: Date;
  decision: 'catch_up' | 'missed';
  /** `catch_up`, `catch_up_skip` (policy) or `past_deadline`. */
  reason: 'catch_up' | 'catch_up_skip' | 'past_deadline';
  /** Distinct locales of the point's recipients in this zone. */
  locales: string[];
  /** Distinct audiences of the point's recipients in this zone (`all` for those without one). */
  audiences: string[];
  /** Release date the point was computed from. */
  releaseDate?: string | undefined;
  /** The catch-up schedules (one per chunk); empty for `missed`. */
  schedules: DesiredSchedule[];
}

/** Everything a release should have in Scheduler right now. */
export interface DesiredScheduleSet {
  /** Prefix that lists every schedule of the release (`rh-<versionId>-`). */
  listPrefix: string;
  schedules: DesiredSchedule[];
  /** Points in the policy whose time has passed; never created. */
  skipped: SkippedPoint[];
  /** The same past points with their deadline and catch-up decision (see {@link LatePoint}). */
  late: LatePoint[];
  /**
   * Series (schedule name minus chunk index, see `scheduleSeries`) the release still wants,
   * whether due in the future or already past. An existing schedule outside these is
   * cancelled even when about to fire; one inside them that is about to fire is left alone.
   */
  wantedSeries: string[];
}

/** Options of {@link desiredSchedules}. */
export interface DesiredSchedulesOptions {
  now: Date;
  /** ARN of the compose queue, the target of every schedule. */
  targetArn: string;
  /** Trace context to carry in each compose.job. */
  traceparent?: string | undefined;
  /** Default `topology.schedulePrefix`. */
  schedulePrefix?: string;
  /** Scheduler's Input limit, bytes. Default `topology.scheduleInputLimit` (8192). */
  inputLimit?: number;
  /** Room kept free under the limit, bytes. Default {@link SCHEDULE_INPUT_MARGIN}. */
  inputMargin?: number;
}

interface PointInstance {
  pointId: string;
  pointKind: ComposeJob['pointKind'];
  dueAt: Date;
  /** `at()` argument and its zone. */
  at: string;
  scheduleTimeZone: string;
  /** Deadline of the point. */
  notAfter: Date;
  /** When a catch-up fires (the point itself keeps its `dueAt`). Default `dueAt`. */
  fireAt?: Date;
}

// Longest chunk index/count assumed while packing; the packed Input is re-measured anyway.
const PACKING_CHUNK_PLACEHOLDER = 99_999;

/**
 * The one-time schedules a release snapshot asks for at `now`. Pure and deterministic: the same
 * snapshot and `now` give the same schedules, names and inputs.
 *
 * - Recipients are grouped by time zone (each address once: its first zone wins).
 * - A `before` point falls on the release date moved by `days` on the calendar, at `at` moved by
 *   `hours`/`minutes` on the wall clock, resolved in the group's zone; `schedule.at` is that wall
 *   time as it really occurs (a time in a DST gap becomes the end of the gap, because Scheduler
 *   silently skips a wall time that does not exist).
 * - Points due at or before `now` are skipped, never created.
 * - Only an `active` release with a release date gets `before` points; `released` gets at most
 *   the on-release point (when the snapshot is the `jira:version_released` event and the policy
 *   asks for it: one per zone, due `now` + 1 minute, `at` in UTC); `deleted`/`archived` nothing.
 * - Each zone's recipients are split into chunks so the compose.job Input (UTF-8 bytes, which
 *   bounds Scheduler's character count) stays under `inputLimit - inputMargin`.
 * @throws PermanentError `schedule_input_too_large` when one recipient alone cannot fit (not
 *   reachable with the contract's field limits), or `invalid_schedule_name` for a version or
 *   point id that makes no valid Scheduler name.
 */
export const desiredSchedules = (
  snapshot: ReleaseSnapshot,
  options: DesiredSchedulesOptions,
): DesiredScheduleSet => {
  const { now, schedulePrefix = topology.schedulePrefix } = options;
  const budget =
    (options.inputLimit ?? topology.scheduleInputLimit) - (options.inputMargin ?? SCHEDULE_INPUT_MARGIN);
  const releaseDate = snapshot.version?.releaseDate;
  const groups = groupByTimeZone(snapshot.recipients);
  const listPrefix = releaseSchedulePrefix(snapshot.versionId, schedulePrefix);

  const schedules: DesiredSchedule[] = [];
  const skipped: SkippedPoint[] = [];
  const late: LatePoint[] = [];
  const wantedSeries: string[] = [];

  const seriesOf = (pointId: string, zone: string) =>
    scheduleSeries({ versionId: snapshot.versionId, pointId, timeZone: zone, schedulePrefix });
  // A released version keeps wanting its on-release point after the released event itself:
  // a later edit (version_updated) must not cancel the announcement that is about to go out.
  const onReleaseWanted = snapshot.state === 'released' && snapshot.policy.onRelease;
  const build = { snapshot, budget, releaseDate, schedulePrefix, options };

  for (const [zone, recipients] of groups) {
    if (onReleaseWanted) wantedSeries.push(seriesOf(ON_RELEASE_POINT_ID, zone));
    for (const point of pointsOf(snapshot, zone, now)) {
      if (point.pointKind === 'before') wantedSeries.push(seriesOf(point.pointId, zone));
      if (point.dueAt.getTime() <= now.getTime()) {
        skipped.push({ pointId: point.pointId, timeZone: zone, dueAt: point.dueAt, reason: 'past' });
        late.push(latePointOf(point, zone, recipients, build));
        continue;
      }
      schedules.push(...schedulesOf(point, zone, recipients, build));
    }
  }
  // Review before send: one review schedule per point, beside its send schedules.
  const { approval } = snapshot.policy;
  if (approval && snapshot.state === 'active') {
    const review = reviewSchedules(snapshot, approval, { schedules, late }, options);
    schedules.push(...review.schedules);
    wantedSeries.push(...review.wantedSeries);
  }
  return { listPrefix, schedules, skipped, late, wantedSeries };
};

/** What {@link schedulesOf} needs besides the point. */
interface BuildContext {
  snapshot: ReleaseSnapshot;
  budget: number;
  releaseDate: string | undefined;
  schedulePrefix: string;
  options: DesiredSchedulesOptions;
}

/** The schedules of one point in one zone, one per chunk of recipients. */
const schedulesOf = (
  point: PointInstance,
  zone: string,
  recipients: Recipient[],
  { snapshot, budget, releaseDate, schedulePrefix, options }: BuildContext,
): DesiredSchedule[] => {
  const jobOf = (chunk: Recipient[], index: number, count: number) =>
    composeJobEnvelope({ snapshot, releaseDate, options }, point, zone, { recipients: chunk, index, count });
  const chunks = packRecipients(recipients, budget, (chunk) =>
    jobOf(chunk, PACKING_CHUNK_PLACEHOLDER, PACKING_CHUNK_PLACEHOLDER),
  );
  const fireAt = point.fireAt ?? point.dueAt;
  return chunks.map((chunk, index) => {
    const input = JSON.stringify(jobOf(chunk, index, chunks.length));
    if (Buffer.byteLength(input) > budget) {
      // Packing measured with a longer placeholder, so this cannot happen; if it does, the
      // schedule would be rejected by Scheduler, so refuse here with the numbers.
      throw new PermanentError(
        'schedule_input_too_large',
        `compose.job of version ${snapshot.versionId} point ${point.pointId} chunk ${index} is ${Buffer.byteLength(input)} bytes; the budget is ${budget}`,
      );
    }
    return {
      schedule: {
        name: nameOf({
          versionId: snapshot.versionId,
          pointId: point.pointId,
          timeZone: zone,
          chunkIndex: index,
          schedulePrefix,
        }),
        at: point.fireAt ? utcToZoned(fireAt, 'UTC') : point.at,
        timeZone: point.fireAt ? 'UTC' : point.scheduleTimeZone,
        targetArn: options.targetArn,
        input,
        description: `release-herald: version ${snapshot.versionId} point ${point.pointId} in ${zone}, chunk ${index + 1} of ${chunks.length}${point.fireAt ? ' (caught up)' : ''}`,
      },
      pointId: point.pointId,
      pointKind: point.pointKind,
      dueAt: fireAt,
      recipientTimeZone: zone,
      chunk: { index, count: chunks.length },
      recipientCount: chunk.length,
    };
  });
};

/**
 * A point due at or before `now`: caught up (fires {@link ON_RELEASE_DELAY_MS} from now, like
 * the on-release point) when the policy says `catchUp: now` and it is still within its
 * deadline, else missed.
 */
const latePointOf = (
  point: PointInstance,
  zone: string,
  recipients: Recipient[],
  build: BuildContext,
): LatePoint => {
  const fireAt = new Date(Math.floor((build.options.now.getTime() + ON_RELEASE_DELAY_MS) / 1000) * 1000);
  const catchUp = (build.snapshot.policy.catchUp ?? 'now') === 'now';
  const inTime = fireAt.getTime() <= point.notAfter.getTime();
  const decision = catchUp && inTime ? 'catch_up' : 'missed';
  return {
    pointId: point.pointId,
    timeZone: zone,
    dueAt: point.dueAt,
    notAfter: point.notAfter,
    decision,
    reason: decision === 'catch_up' ? 'catch_up' : inTime ? 'catch_up_skip' : 'past_deadline',
    locales: [...new Set(recipients.map((r) => r.locale))].sort(),
    audiences: [...new Set(recipients.map((r) => r.audience ?? DEFAULT_AUDIENCE))].sort(),
    releaseDate: build.releaseDate,
    schedules: decision === 'catch_up' ? schedulesOf({ ...point, fireAt }, zone, recipients, build) : [],
  };
};

/** The points of the snapshot for one zone, future or past, in policy order. */
const pointsOf = (snapshot: ReleaseSnapshot, zone: string, now: Date): PointInstance[] => {
  const releaseDate = snapshot.version?.releaseDate;
  if (snapshot.state === 'active' && releaseDate !== undefined) {
    // Two identical points in a policy would make two schedules of one name: keep the first.
    const unique = new Map<string, SendPoint>();
    for (const p of snapshot.policy.points) if (!unique.has(p.id)) unique.set(p.id, p);
    const maxLatenessMs = maxLatenessMsOf(snapshot.policy);
    return [...unique.values()].map((p) => beforePoint(p, releaseDate, zone, maxLatenessMs));
  }
  if (
    snapshot.state === 'released' &&
    snapshot.event === 'jira:version_released' &&
    snapshot.policy.onRelease
  ) {
    // Whole seconds: the `at()` expression has no fraction.
    const dueAt = new Date(Math.floor((now.getTime() + ON_RELEASE_DELAY_MS) / 1000) * 1000);
    return [
      {
        pointId: ON_RELEASE_POINT_ID,
        pointKind: 'on_release',
        dueAt,
        at: utcToZoned(dueAt, 'UTC'),
        scheduleTimeZone: 'UTC',
        notAfter: pointDeadline({
          pointKind: 'on_release',
          dueAt,
          timeZone: zone,
          maxLatenessMs: maxLatenessMsOf(snapshot.policy),
        }),
      },
    ];
  }
  return [];
};

const beforePoint = (
  point: SendPoint,
  releaseDate: string,
  zone: string,
  maxLatenessMs: number,
): PointInstance => {
  const day = addCalendarDays(releaseDate, point.days);
  const local = addWallClockMinutes(`${day}T${point.at}:00`, point.hours * 60 + point.minutes);
  const dueAt = zonedToUtc(local, zone);
  return {
    pointId: point.id,
    pointKind: 'before',
    dueAt,
    at: utcToZoned(dueAt, zone),
    scheduleTimeZone: zone,
    notAfter: pointDeadline({ pointKind: 'before', dueAt, releaseDate, timeZone: zone, maxLatenessMs }),
  };
};

/** One chunk of a zone's recipients: its recipients, its index and the number of chunks. */
interface RecipientChunk {
  recipients: Recipient[];
  index: number;
  count: number;
}

/** The compose.job of one chunk of a point in one zone (a schedule's Input). */
const composeJobEnvelope = (
  { snapshot, releaseDate, options }: Pick<BuildContext, 'snapshot' | 'releaseDate' | 'options'>,
  point: PointInstance,
  zone: string,
  { recipients, index, count }: RecipientChunk,
) => {
  const payload: ComposeJob = {
    versionId: snapshot.versionId,
    projectKey: snapshot.projectKey,
    pointId: point.pointId,
    pointKind: point.pointKind,
    ...(releaseDate !== undefined ? { releaseDate } : {}),
    timeZone: zone,
    dueAt: point.dueAt.toISOString(),
    chunk: { index, count },
    recipients,
    snapshotAt: snapshot.readAt,
    notAfter: point.notAfter.toISOString(),
  };
  const key = `${snapshot.versionId}:${point.pointId}@${releaseDate ?? 'none'}:${zone}:${index}`;
  return wrap('compose.job', key, payload, options.traceparent);
};

/** {@link scheduleName}, its error a PermanentError `invalid_schedule_name`. */
const nameOf = (parts: Parameters<typeof scheduleName>[0]) => {
  try {
    return scheduleName(parts);
  } catch (cause) {
    throw new PermanentError('invalid_schedule_name', (cause as Error).message, { cause });
  }
};

/**
 * Recipients by time zone as spelled (ICU's canonical names are the legacy ones, e.g.
 * Asia/Calcutta, so names are not rewritten), zones sorted, recipients sorted by address, each address
 * once (its first zone wins): the same directory always packs into the same chunks.
 */
const groupByTimeZone = (recipients: readonly ScheduledRecipient[]): Array<[string, Recipient[]]> => {
  const seen = new Set<string>();
  const groups = new Map<string, Recipient[]>();
  for (const r of recipients) {
    if (seen.has(r.email)) continue;
    seen.add(r.email);
    const group = groups.get(r.timeZone) ?? [];
    group.push({
      email: r.email,
      ...(r.name !== undefined ? { name: r.name } : {}),
      locale: r.locale,
      ...(r.audience !== undefined ? { audience: r.audience } : {}),
    });
    groups.set(r.timeZone, group);
  }
  const byAddress = (a: Recipient, b: Recipient) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0);
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([zone, group]) => [zone, group.sort(byAddress)]);
};

/**
 * Greedy packing: fills each chunk in order while the envelope, measured as JSON bytes, stays
 * within `budget`. `envelopeOf` builds the envelope of a chunk; its size with no recipients is
 * the fixed part, each recipient adds its own JSON plus a comma.
 */
const packRecipients = (
  recipients: readonly Recipient[],
  budget: number,
  envelopeOf: (chunk: Recipient[]) => unknown,
): Recipient[][] => {
  const fixed = Buffer.byteLength(JSON.stringify(envelopeOf([])));
  const chunks: Recipient[][] = [];
  let current: Recipient[] = [];
  let size = fixed;
  for (const r of recipients) {
    const bytes = Buffer.byteLength(JSON.stringify(r));
    if (fixed + bytes > budget) {
      throw new PermanentError(
        'schedule_input_too_large',
        `one recipient needs ${fixed + bytes} bytes of schedule Input; the budget is ${budget}`,
      );
    }
    const added = current.length === 0 ? bytes : bytes + 1;
    if (size + added > budget) {
      chunks.push(current);
      current = [r];
      size = fixed + bytes;
    } else {
      current.push(r);
      size += added;
    }
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
};
