import type { ApprovalPolicy } from '#contracts/approval';
import { approvalLeadMs } from '#contracts/approval';
import { wrap } from '#contracts/envelope';
import { DEFAULT_AUDIENCE } from '#contracts/issueScope';
import type { ReleaseSnapshot } from '#contracts/releaseSnapshot';
import type { ReviewJob } from '#contracts/reviewJob';
import { PermanentError } from '#shared/errors';
import { utcToZoned } from '#shared/zonedTime';
import type { DesiredSchedule, DesiredSchedulesOptions, LatePoint } from './desiredSchedules.ts';
import { composeJobOfInput } from './scheduleInput.ts';
import { releaseSchedulePrefix, SCHEDULE_NAME_PATTERN } from './scheduleNames.ts';

/** How soon a review fires when its time (due − lead) has already passed, ms (1 minute). */
export const LATE_REVIEW_DELAY_MS = 60_000;

/**
 * The series of a point's review schedule: `rh-<versionId>-<pointId>-review-` (its one schedule
 * ends in `0`, so `seriesOfName` finds the series like a send schedule's). Never a send series:
 * those end in an 8-hex zone tag.
 */
export const reviewScheduleSeries = (versionId: string, pointId: string, schedulePrefix?: string): string =>
  `${releaseSchedulePrefix(versionId, schedulePrefix)}${pointId}-review-`;

/** What {@link reviewSchedules} adds to a release's desired schedules. */
export interface ReviewScheduleSet {
  schedules: DesiredSchedule[];
  /** Series of the review schedules (see {@link reviewScheduleSeries}). */
  wantedSeries: string[];
}

interface PointSummary {
  first: DesiredSchedule;
  notAfter?: string | undefined;
  groups: Map<string, ReviewJob['groups'][number]>;
  recipients: number;
}

/** The `before` points of the send schedules: earliest schedule and draft groups over all zones. */
const summarise = (sends: readonly DesiredSchedule[]): Map<string, PointSummary> => {
  const points = new Map<string, PointSummary>();
  for (const d of sends) {
    if (d.pointKind !== 'before') continue;
    const job = composeJobOfInput(d.schedule.input)?.payload;
    if (job === undefined) continue;
    const summary: PointSummary = points.get(d.pointId) ?? { first: d, groups: new Map(), recipients: 0 };
    if (d.dueAt.getTime() < summary.first.dueAt.getTime() || summary.first === d) {
      summary.first = d;
      summary.notAfter = job.notAfter;
    }
    for (const r of job.recipients) {
      const audience = r.audience ?? DEFAULT_AUDIENCE;
      const key = `${audience}\n${r.locale}`;
      const group = summary.groups.get(key) ?? { audience, locale: r.locale, recipients: 0 };
      group.recipients += 1;
      summary.groups.set(key, group);
    }
    summary.recipients += job.recipients.length;
    points.set(d.pointId, summary);
  }
  return points;
};

/**
 * The review schedules of a release whose policy has `approval`: one per `before` point still
 * ahead in every zone, firing `lead` before the point's earliest send time over its zones (or
 * {@link LATE_REVIEW_DELAY_MS} from now when that is past), in UTC, with a review.job for the
 * compose queue: the point, its earliest due time and deadline, and its audience × locale groups
 * with their contact counts. A point already due in some zone gets none (its send-time gate
 * reviews it). Pure.
 * @throws PermanentError `invalid_schedule_name` for a version or point id that makes no valid name.
 */
export const reviewSchedules = (
  snapshot: ReleaseSnapshot,
  approval: ApprovalPolicy,
  planned: { schedules: readonly DesiredSchedule[]; late: readonly LatePoint[] },
  options: DesiredSchedulesOptions,
): ReviewScheduleSet => {
  const leadMs = approvalLeadMs(approval.lead) ?? 0;
  const lateIds = new Set(planned.late.map((l) => l.pointId));
  const now = options.now.getTime();
  const out: ReviewScheduleSet = { schedules: [], wantedSeries: [] };
  for (const [pointId, p] of summarise(planned.schedules)) {
    if (lateIds.has(pointId)) continue;
    const series = reviewScheduleSeries(snapshot.versionId, pointId, options.schedulePrefix);
    const name = `${series}0`;
    if (!SCHEDULE_NAME_PATTERN.test(name)) {
      throw new PermanentError(
        'invalid_schedule_name',
        `schedule name "${name}" is not 1-64 characters of [0-9a-zA-Z-_.]`,
      );
    }
    const dueAt = p.first.dueAt.getTime();
    const fireAt = new Date(
      dueAt - leadMs > now ? dueAt - leadMs : Math.floor((now + LATE_REVIEW_DELAY_MS) / 1000) * 1000,
    );
    const releaseDate = snapshot.version?.releaseDate;
    const payload: ReviewJob = {
      versionId: snapshot.versionId,
      projectKey: snapshot.projectKey,
      pointId,
      pointKind: 'before',
      ...(releaseDate !== undefined ? { releaseDate } : {}),
      timeZone: p.first.recipientTimeZone,
      dueAt: p.first.dueAt.toISOString(),
      ...(p.notAfter !== undefined ? { notAfter: p.notAfter } : {}),
      snapshotAt: snapshot.readAt,
      groups: [...p.groups.values()].sort((a, b) =>
        `${a.audience}\n${a.locale}` < `${b.audience}\n${b.locale}` ? -1 : 1,
      ),
    };
    const key = `${snapshot.versionId}:${pointId}@${releaseDate ?? 'none'}:review`;
    out.wantedSeries.push(series);
    out.schedules.push({
      schedule: {
        name,
        at: utcToZoned(fireAt, 'UTC'),
        timeZone: 'UTC',
        targetArn: options.targetArn,
        input: JSON.stringify(wrap('review.job', key, payload, options.traceparent)),
        description: `release-herald: review of version ${snapshot.versionId} point ${pointId} (${approval.lead} before it is due)`,
      },
      pointId,
      pointKind: 'before',
      dueAt: fireAt,
      recipientTimeZone: p.first.recipientTimeZone,
      chunk: { index: 0, count: 1 },
      recipientCount: p.recipients,
    });
  }
  return out;
};
