import type { LedgerPort } from '#adapters/ledger/LedgerPort';
import type { ComposeJob } from '#contracts/composeJob';
import { pointOutcomeKey } from '#contracts/pointOutcomeKey';
import { DEFAULT_MAX_LATENESS, parseDurationSpec } from '#contracts/sendPolicy';
import type { Log } from '#shared/logger';
import { pointDeadline } from '#shared/pointDeadline';

/**
 * The job's deadline: its `notAfter`, or for a job scheduled before the field existed its due
 * time plus the default lateness (6 h; a release-day point never after that local day ends).
 */
export const notAfterOf = (
  job: Pick<ComposeJob, 'notAfter' | 'dueAt' | 'pointKind' | 'releaseDate' | 'timeZone'>,
): Date =>
  job.notAfter !== undefined
    ? new Date(job.notAfter)
    : pointDeadline({
        pointKind: job.pointKind,
        dueAt: new Date(job.dueAt),
        releaseDate: job.releaseDate,
        timeZone: job.timeZone,
        maxLatenessMs: parseDurationSpec(DEFAULT_MAX_LATENESS),
      });

/**
 * When the job is past its deadline at `now`, records the point `missed` in the ledger under
 * {@link pointOutcomeKey} (one row per point and zone for all its chunks; it replaces a
 * `caught_up` row, a redelivery records nothing new), logs `point_missed` and resolves to true:
 * the caller sends nothing and the record succeeds (never a DLQ loop). Resolves to false when the
 * job is in time.
 */
export const recordIfMissed = async (
  job: ComposeJob,
  deps: { ledger: Pick<LedgerPort, 'recordPointOutcome'>; now: () => Date; logger: Log },
  retry: <T>(name: string, fn: () => Promise<T>) => Promise<T>,
): Promise<boolean> => {
  const notAfter = notAfterOf(job);
  const now = deps.now();
  if (now.getTime() <= notAfter.getTime()) return false;
  const recorded = await retry('ledger.record_point_outcome', () =>
    deps.ledger.recordPointOutcome(pointOutcomeKey(job), {
      status: 'missed',
      reason: 'past_deadline',
      versionId: job.versionId,
      pointId: job.pointId,
      releaseDate: job.releaseDate,
      timeZone: job.timeZone,
    }),
  );
  deps.logger.warn(
    {
      stage: 'compose',
      dueAt: job.dueAt,
      notAfter: notAfter.toISOString(),
      lateMs: now.getTime() - Date.parse(job.dueAt),
      recipients: job.recipients.length,
      recorded,
      reason: 'past_deadline',
    },
    'point_missed',
  );
  return true;
};
