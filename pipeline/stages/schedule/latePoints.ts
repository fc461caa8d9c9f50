import type { LedgerPort } from '#adapters/ledger/LedgerPort';
import type { OneTimeSchedule } from '#adapters/scheduler/SchedulerPort';
import { DEFAULT_AUDIENCE } from '#contracts/issueScope';
import { pointOutcomeKey } from '#contracts/pointOutcomeKey';
import type { Log } from '#shared/logger';
import { draftKey } from '#stages/shared/draftKey';
import type { DesiredSchedule, LatePoint } from './desiredSchedules.ts';
import { scheduleSeries, seriesOfName } from './scheduleNames.ts';

/** What {@link resolveLatePoints} needs. */
export interface LatePointsDeps {
  ledger: Pick<LedgerPort, 'getDraft' | 'recordPointOutcome'>;
  logger: Pick<Log, 'info' | 'warn'>;
  /** Runs one named external call with tracing and in-call retries. */
  retry: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
}

/** The release a set of late points belongs to. */
export interface LateRelease {
  versionId: string;
  /** Default `topology.schedulePrefix`. */
  schedulePrefix?: string | undefined;
}

/**
 * Decides what happens to the points already due when the release is planned. A point is left
 * alone when it was handled already: a schedule of its series still exists (about to fire), or a
 * draft of it exists in the ledger for one of its recipients' locales (it was composed, so its
 * emails are sent or on their way: a re-plan after the point never records it again). Every other
 * late point is recorded in the ledger ({@link pointOutcomeKey}; a redelivery records nothing
 * new) and logged: `caught_up` (`point_caught_up`,
 * its catch-up schedules are returned for the caller to create or queue) or `missed`
 * (`point_missed`, with the reason `past_deadline` or `catch_up_skip`). Never silent.
 * @returns the catch-up schedules to apply, and the counts.
 */
export const resolveLatePoints = async (
  release: LateRelease,
  late: readonly LatePoint[],
  existing: readonly OneTimeSchedule[],
  deps: LatePointsDeps,
): Promise<{ catchUp: DesiredSchedule[]; caughtUp: number; missed: number }> => {
  const catchUp: DesiredSchedule[] = [];
  let caughtUp = 0;
  let missed = 0;
  for (const point of late) {
    const series = scheduleSeries({
      versionId: release.versionId,
      pointId: point.pointId,
      timeZone: point.timeZone,
      ...(release.schedulePrefix !== undefined ? { schedulePrefix: release.schedulePrefix } : {}),
    });
    if (existing.some((s) => seriesOfName(s.name) === series)) continue;
    if (await wasComposed(release.versionId, point, deps)) continue;
    const key = pointOutcomeKey({ versionId: release.versionId, ...point });
    const status = point.decision === 'catch_up' ? 'caught_up' : 'missed';
    const recorded = await deps.retry('ledger.record_point_outcome', () =>
      deps.ledger.recordPointOutcome(key, {
        status,
        reason: point.reason,
        versionId: release.versionId,
        pointId: point.pointId,
        releaseDate: point.releaseDate,
        timeZone: point.timeZone,
      }),
    );
    const fields = {
      stage: 'schedule',
      pointId: point.pointId,
      timeZone: point.timeZone,
      dueAt: point.dueAt.toISOString(),
      notAfter: point.notAfter.toISOString(),
      reason: point.reason,
      recorded,
    };
    if (status === 'caught_up') {
      catchUp.push(...point.schedules);
      caughtUp += 1;
      deps.logger.info({ ...fields, chunks: point.schedules.length }, 'point_caught_up');
    } else {
      missed += 1;
      deps.logger.warn(fields, 'point_missed');
    }
  }
  return { catchUp, caughtUp, missed };
};

/**
 * True when the ledger holds a draft of the point for one of its locales, for one of its
 * recipients' audiences or `all` (compose gives `all` to an audience the policy does not define).
 */
const wasComposed = async (versionId: string, point: LatePoint, deps: LatePointsDeps): Promise<boolean> => {
  const audiences = [...new Set([DEFAULT_AUDIENCE, ...point.audiences])];
  for (const locale of point.locales) {
    for (const audience of audiences) {
      const key = draftKey(
        { versionId, pointId: point.pointId, releaseDate: point.releaseDate },
        locale,
        audience,
      );
      if (await deps.retry('ledger.get_draft', () => deps.ledger.getDraft(key))) return true;
    }
  }
  return false;
};
