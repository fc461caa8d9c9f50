import type { SQSRecord } from 'aws-lambda';
import { parseJsonContract } from '#contracts/errors';
import { releaseSnapshotMessage } from '#contracts/releaseSnapshot';
import type { RecordContext } from '#retry/createSqsHandler';
import { tracedRetry } from '#retry/tracedRetry';
import { contextFromTraceparent, currentTraceparent, withSpan } from '#shared/tracing';
import { applyPlan } from './applyPlan.ts';
import { resolveLatePoints } from './latePoints.ts';
import { FIRE_WINDOW_MS, planChanges } from './planChanges.ts';
import { dropOutOfOrder, replanIfOvertaken } from './replanRelease.ts';
import type { ScheduleDeps } from './ScheduleDeps.ts';
import { desiredAt, type ScheduleRun } from './ScheduleRun.ts';
import { newestSnapshotAt } from './scheduleInput.ts';

export type { ScheduleDeps } from './ScheduleDeps.ts';

/**
 * Schedule one release.snapshot: work out the send-point schedules the release should have now
 * (`desiredSchedules`), list what Scheduler has under the release's prefix, diff
 * (`planChanges`) and apply the difference. Idempotent: a second run of the same snapshot
 * finds nothing to change and makes no Scheduler write.
 *
 * Ordering (SQS neither keeps order nor serialises a release; up to 5 instances run at once):
 * 1. Before anything else the snapshot claims the release's watermark in the ledger
 *    (`claimRelease`: a conditional write that only raises the stored `readAt`). A snapshot older
 *    than the watermark is out of order: logged (`snapshot_out_of_order`) and dropped, the record
 *    succeeds. An equal one is the same snapshot redelivered and is applied again (idempotent).
 * 2. As a second line (a watermark row lost to TTL, or a newer snapshot that wrote between our
 *    claim and our list), a snapshot older than the newest `snapshotAt` among the listed
 *    schedules is dropped the same way. Schedules are no longer rewritten just to carry a newer
 *    `snapshotAt`: the ledger holds the watermark.
 * 3. Two snapshots can still both claim (older first) and apply at once, the older one's writes
 *    landing last. So after its writes (and its deletes) each run reads the watermark again; if
 *    it moved past this snapshot's `readAt`, it puts a `release.changed` (event
 *    `jira:version_updated`, key `<versionId>:replan:<readAt>`) on the enrich queue, whose fresh
 *    Jira read makes a newer snapshot that re-plans the release from what Scheduler then holds
 *    (`replan_requested`). A run that fails after claiming does the same check before rethrowing,
 *    and a redelivered snapshot found out of order requests a re-plan too (an earlier attempt may
 *    have written before it died).
 * An out-of-order `jira:version_released` snapshot still sends its on-release compose.jobs (see
 * below): that point belongs to the event, not to the newest state, and compose checks against
 * Jira that the version is still released.
 *
 * Time: the clock is read afresh right before each write. A point due within `fireWindowMs`
 * (2 minutes, which always includes the on-release point, due a minute after the snapshot) is
 * not scheduled: its compose.job goes straight to the compose queue with DelaySeconds = its due
 * time minus now (at least 0), under the same envelope key (`compose_job_queued`), and an
 * existing schedule it would have updated is deleted (`superseded`). A point a repeated plan
 * queues again is composed and sent once: compose caches one draft per point and locale, send
 * claims each (point, recipient) once. When the scheduler refuses a write because the time has
 * come (ScheduleTimePassedError: passed, rejected by Scheduler as past, or an update of a schedule
 * that has just fired), that schedule is skipped (`schedule_time_passed`) and its job queued the
 * same way: a schedule that just fired carried the previous Input, and sending the current one
 * again costs at most a duplicate that the ledgers absorb, while skipping it could lose the point.
 *
 * Crash safety (records are delivered at least once, so a run that dies midway is simply run
 * again and converges, every Scheduler call being idempotent by name): creates, updates and
 * queued jobs go first, deletes only after all of them succeeded. A crash in between leaves extra
 * schedules, never missing ones: an extra chunk repeats recipients that the send ledger sends to
 * once, a cancelled point that fires anyway is dropped by compose's staleness check, while a
 * missing schedule would be an email lost for good if its time passed before the redelivery.
 *
 * Each external call runs under `withRetry`, bounded by the Lambda's remaining time; the first
 * failure stops new calls, waits for those in flight, and is rethrown for the retry ladder.
 * Points already due when planned (`resolveLatePoints`): with `catchUp: now` and within
 * their deadline they are queued to fire in a minute and recorded `caught_up`; otherwise
 * recorded `missed`; a point handled already (its schedule about to fire, or a draft composed)
 * is left alone.
 * Logs `snapshot_out_of_order`, `schedule_point_skipped` (past points), `point_caught_up`,
 * `point_missed`, `schedule_created`,
 * `schedule_updated`, `compose_job_queued`, `schedule_time_passed`, `schedule_deleted`,
 * `schedule_kept` (about to fire), `replan_requested` and a `release_scheduled` summary; names,
 * times and counts only, never addresses.
 * @throws ContractError when the body is not a release.snapshot (permanent).
 * @throws PermanentError `schedule_input_too_large` / `invalid_schedule_name` (see desiredSchedules).
 */
export const processRecord = async (
  record: Pick<SQSRecord, 'body'>,
  ctx: Pick<RecordContext, 'logger' | 'remainingTimeMs'> & Partial<Pick<RecordContext, 'receiveCount'>>,
  deps: ScheduleDeps,
): Promise<void> => {
  const incoming = parseJsonContract('release.snapshot', releaseSnapshotMessage, record.body);
  const snapshot = incoming.payload;
  const logger = ctx.logger.child({ versionId: snapshot.versionId, projectKey: snapshot.projectKey });
  // The retry ladder's failure logs use ctx.logger: give them the release too.
  ctx.logger = logger;

  await withSpan(
    'schedule.record',
    () =>
      scheduleRelease({
        snapshot,
        redelivered: (ctx.receiveCount ?? 1) > 1 || incoming.reschedules > 0,
        deps,
        logger,
        retry: tracedRetry({ remainingTimeMs: ctx.remainingTimeMs, logger }),
        traceparent: currentTraceparent() ?? incoming.traceparent,
        fireWindowMs: deps.fireWindowMs ?? FIRE_WINDOW_MS,
      }),
    { attributes: { 'herald.version_id': snapshot.versionId, 'herald.release_state': snapshot.state } },
    contextFromTraceparent(incoming.traceparent),
  );
};

/** The steps of {@link processRecord} inside its span. */
const scheduleRelease = async (run: ScheduleRun): Promise<void> => {
  const { snapshot, deps, logger, retry } = run;
  const claim = await retry('ledger.claim_release', () =>
    deps.ledger.claimRelease(snapshot.versionId, snapshot.readAt, {
      state: snapshot.state,
      releaseDate: snapshot.version?.releaseDate,
    }),
  );
  if (claim.status === 'stale') return dropOutOfOrder(run, claim.watermark);

  const desired = desiredAt(run, deps.now());
  const existing = await retry('scheduler.list', () => deps.scheduler.list(desired.listPrefix));
  const newest = newestSnapshotAt(existing);
  if (newest !== undefined && newest > snapshot.readAt) return dropOutOfOrder(run, newest);
  for (const s of desired.skipped) {
    logger.info(
      { pointId: s.pointId, timeZone: s.timeZone, dueAt: s.dueAt.toISOString(), reason: s.reason },
      'schedule_point_skipped',
    );
  }
  // Points already due: caught up (queued now) or recorded missed, never dropped silently.
  const late = await resolveLatePoints(
    { versionId: snapshot.versionId, schedulePrefix: deps.schedulePrefix },
    desired.late,
    existing,
    { ledger: deps.ledger, logger, retry },
  );
  desired.schedules.push(...late.catchUp);
  const plan = planChanges(desired, existing, { now: deps.now(), fireWindowMs: run.fireWindowMs });
  let applied: Awaited<ReturnType<typeof applyPlan>>;
  try {
    applied = await applyPlan(run, plan);
  } catch (err) {
    // A newer snapshot may have planned from schedules this run then changed: hand the
    // release to a fresh read now rather than after the retry ladder.
    await replanIfOvertaken(run, 'failed_overtaken').catch((checkErr: unknown) => {
      logger.warn({ err: checkErr }, 'replan_check_failed');
    });
    throw err;
  }
  for (const k of plan.keep) {
    if (k.reason === 'about_to_fire') {
      logger.info(
        { name: k.existing.name, at: k.existing.at, timeZone: k.existing.timeZone },
        'schedule_kept',
      );
    }
  }
  await replanIfOvertaken(run, 'overtaken');

  logger.info(
    {
      event: snapshot.event,
      state: snapshot.state,
      releaseDate: snapshot.version?.releaseDate,
      redelivered: claim.redelivered,
      desired: desired.schedules.length,
      ...applied,
      kept: plan.keep.length,
      skipped: desired.skipped.length,
      caughtUp: late.caughtUp,
      missed: late.missed,
    },
    'release_scheduled',
  );
};
