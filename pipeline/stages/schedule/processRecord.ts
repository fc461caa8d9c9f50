import type { SQSRecord } from 'aws-lambda';
import type { LedgerPort } from '#adapters/ledger/LedgerPort';
import type { QueuePort } from '#adapters/queue/QueuePort';
import { ScheduleTimePassedError } from '#adapters/scheduler/errors';
import type { OneTimeSchedule, SchedulerPort } from '#adapters/scheduler/SchedulerPort';
import { wrap } from '#contracts/envelope';
import { parseJsonContract } from '#contracts/errors';
import { versionUpdatedChange } from '#contracts/releaseChanged';
import { releaseSnapshotMessage } from '#contracts/releaseSnapshot';
import type { RecordContext } from '#retry/createSqsHandler';
import { withRetry } from '#retry/withRetry';
import type { Log } from '#shared/logger';
import { currentTraceparent, withSpan } from '#shared/tracing';
import { queueName } from '#topology/topology';
import { type DesiredSchedule, desiredSchedules } from './desiredSchedules.ts';
import { resolveLatePoints } from './latePoints.ts';
import { FIRE_WINDOW_MS, planChanges } from './planChanges.ts';
import { newestSnapshotAt } from './scheduleInput.ts';

/** Longest SQS DelaySeconds, seconds. */
const MAX_DELAY_SECONDS = 900;

/** What the schedule stage needs. */
export interface ScheduleDeps {
  scheduler: SchedulerPort;
  /** The per-release watermark (ledger table) that orders snapshots of one release. */
  ledger: Pick<LedgerPort, 'claimRelease' | 'getReleaseWatermark' | 'getDraft' | 'recordPointOutcome'>;
  /** Where due compose.jobs (compose queue) and re-plans (enrich queue) are sent. */
  queue: Pick<QueuePort, 'send'>;
  /** ARN of the compose queue, the target of every send-point schedule. */
  composeQueueArn: string;
  /** Clock. Read afresh before each write. */
  now: () => Date;
  /** HERALD_ENV, for queue names. Default none. */
  env?: string;
  /** Scheduler calls in flight at once per record. Default 4. */
  concurrency?: number;
  /** Default `topology.schedulePrefix`. */
  schedulePrefix?: string;
  /** Scheduler Input limit, bytes. Default `topology.scheduleInputLimit`. */
  inputLimit?: number;
  /**
   * A point due within this many milliseconds is sent straight to the compose queue instead of
   * being scheduled. Default {@link FIRE_WINDOW_MS} (2 minutes).
   */
  fireWindowMs?: number;
}

/** Runs one named external call with tracing and in-call retries. */
type Retry = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

/** Why a compose.job went straight to the compose queue instead of into a schedule. */
type QueuedReason = 'due_soon' | 'time_passed' | 'out_of_order_release';

/** Why a re-plan of the release was requested. */
type ReplanReason = 'overtaken' | 'failed_overtaken' | 'redelivered_out_of_order';

/**
 * Schedule one release.snapshot: work out the send-point schedules the release should have now
 * ({@link desiredSchedules}), list what Scheduler has under the release's prefix, diff
 * ({@link planChanges}) and apply the difference. Idempotent: a second run of the same snapshot
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
 * Points already due when planned ({@link resolveLatePoints}): with `catchUp: now` and within
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
  const retry: Retry = (name, fn) =>
    withSpan(name, () => withRetry(name, fn, { remainingTimeMs: ctx.remainingTimeMs, logger }));
  const fireWindowMs = deps.fireWindowMs ?? FIRE_WINDOW_MS;
  const composeQueue = queueName('compose', 'main', deps.env);

  await withSpan(
    'schedule.record',
    async () => {
      const traceparent = currentTraceparent() ?? incoming.traceparent;
      const desiredAt = (now: Date) =>
        desiredSchedules(snapshot, {
          now,
          targetArn: deps.composeQueueArn,
          traceparent,
          ...(deps.schedulePrefix !== undefined ? { schedulePrefix: deps.schedulePrefix } : {}),
          ...(deps.inputLimit !== undefined ? { inputLimit: deps.inputLimit } : {}),
        });

      /** Sends a point's compose.job to the compose queue, delayed until it is due. */
      const queueJob = async (d: DesiredSchedule, reason: QueuedReason): Promise<void> => {
        const waitMs = d.dueAt.getTime() - deps.now().getTime();
        const delaySeconds = Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(waitMs / 1000)));
        await retry('sqs.send_compose_job', () =>
          deps.queue.send(composeQueue, [{ body: d.schedule.input, delaySeconds }]),
        );
        logger.info({ ...describe(d), delaySeconds, reason }, 'compose_job_queued');
      };

      /** Asks enrich for a fresh snapshot of the release (a newer one overtook this one). */
      const requestReplan = async (watermark: number, reason: ReplanReason): Promise<void> => {
        const change = versionUpdatedChange({
          versionId: snapshot.versionId,
          projectId: snapshot.projectId,
          occurredAt: deps.now().getTime(),
        });
        const key = `${snapshot.versionId}:replan:${snapshot.readAt}`;
        const body = JSON.stringify(wrap('release.changed', key, change, traceparent));
        await retry('sqs.send_replan', () =>
          deps.queue.send(queueName('enrich', 'main', deps.env), [{ body }]),
        );
        logger.info({ readAt: snapshot.readAt, newestSnapshotAt: watermark, reason }, 'replan_requested');
      };

      /** Requests a re-plan when the watermark has moved past this snapshot's `readAt`. */
      const replanIfOvertaken = async (reason: ReplanReason): Promise<void> => {
        const watermark = await retry('ledger.get_release_watermark', () =>
          deps.ledger.getReleaseWatermark(snapshot.versionId),
        );
        if (watermark !== null && watermark > snapshot.readAt) await requestReplan(watermark, reason);
      };

      /** Drops an out-of-order snapshot, keeping what belongs to its event. */
      const dropOutOfOrder = async (newest: number): Promise<void> => {
        logger.info(
          { event: snapshot.event, state: snapshot.state, readAt: snapshot.readAt, newestSnapshotAt: newest },
          'snapshot_out_of_order',
        );
        if (snapshot.event === 'jira:version_released') {
          for (const d of desiredAt(deps.now()).schedules) {
            if (d.pointKind === 'on_release') await queueJob(d, 'out_of_order_release');
          }
        }
        // An earlier attempt of this very record may have written before it failed or died.
        if ((ctx.receiveCount ?? 1) > 1 || incoming.reschedules > 0) {
          await requestReplan(newest, 'redelivered_out_of_order');
        }
      };

      const claim = await retry('ledger.claim_release', () =>
        deps.ledger.claimRelease(snapshot.versionId, snapshot.readAt, {
          state: snapshot.state,
          releaseDate: snapshot.version?.releaseDate,
        }),
      );
      if (claim.status === 'stale') {
        await dropOutOfOrder(claim.watermark);
        return;
      }

      const desired = desiredAt(deps.now());
      const existing = await retry('scheduler.list', () => deps.scheduler.list(desired.listPrefix));
      const newest = newestSnapshotAt(existing);
      if (newest !== undefined && newest > snapshot.readAt) {
        await dropOutOfOrder(newest);
        return;
      }
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
      const plan = planChanges(desired, existing, { now: deps.now(), fireWindowMs });
      const concurrency = deps.concurrency ?? 4;
      const done = { created: 0, updated: 0, queued: 0 };
      /** Existing schedules replaced by a job sent straight to the queue. */
      const superseded: OneTimeSchedule[] = [];

      /** Writes one desired schedule, or queues its job when its time is (about to be) up. */
      const apply = async (d: DesiredSchedule, current: OneTimeSchedule | undefined): Promise<boolean> => {
        if (d.dueAt.getTime() <= deps.now().getTime() + fireWindowMs) {
          await queueJob(d, 'due_soon');
          done.queued += 1;
          if (current !== undefined) superseded.push(current);
          return false;
        }
        try {
          if (current === undefined) await retry('scheduler.create', () => deps.scheduler.create(d.schedule));
          else await retry('scheduler.update', () => deps.scheduler.update(d.schedule));
          return true;
        } catch (err) {
          if (!(err instanceof ScheduleTimePassedError)) throw err;
          logger.info({ ...describe(d), reason: err.reason }, 'schedule_time_passed');
          await queueJob(d, 'time_passed');
          done.queued += 1;
          // A schedule that fired has deleted itself; one that was refused is still there.
          if (current !== undefined && err.reason !== 'fired') superseded.push(current);
          return false;
        }
      };

      try {
        await runLimited(
          [
            ...plan.create.map((d) => async () => {
              if (!(await apply(d, undefined))) return;
              done.created += 1;
              logger.info(describe(d), 'schedule_created');
            }),
            ...plan.update.map(({ desired: d, existing: e, changes }) => async () => {
              if (!(await apply(d, e))) return;
              done.updated += 1;
              logger.info(
                { ...describe(d), changes, previousAt: e.at, previousTimeZone: e.timeZone },
                'schedule_updated',
              );
            }),
          ],
          concurrency,
          logger,
        );
        const deletions: Array<{ existing: OneTimeSchedule; reason: DeleteReason }> = [
          ...plan.delete,
          ...superseded.map((e) => ({ existing: e, reason: 'superseded' as const })),
        ];
        await runLimited(
          deletions.map(({ existing: e, reason }) => async () => {
            await retry('scheduler.delete', () => deps.scheduler.delete(e.name));
            logger.info({ name: e.name, at: e.at, timeZone: e.timeZone, reason }, 'schedule_deleted');
          }),
          concurrency,
          logger,
        );
      } catch (err) {
        // A newer snapshot may have planned from schedules this run then changed: hand the
        // release to a fresh read now rather than after the retry ladder.
        try {
          await replanIfOvertaken('failed_overtaken');
        } catch (checkErr) {
          logger.warn({ err: checkErr }, 'replan_check_failed');
        }
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
      await replanIfOvertaken('overtaken');

      logger.info(
        {
          event: snapshot.event,
          state: snapshot.state,
          releaseDate: snapshot.version?.releaseDate,
          redelivered: claim.redelivered,
          desired: desired.schedules.length,
          ...done,
          deleted: plan.delete.length + superseded.length,
          kept: plan.keep.length,
          skipped: desired.skipped.length,
          caughtUp: late.caughtUp,
          missed: late.missed,
        },
        'release_scheduled',
      );
    },
    { attributes: { 'herald.version_id': snapshot.versionId, 'herald.release_state': snapshot.state } },
  );
};

/** Why an existing schedule is deleted (planChanges' reasons, plus replaced by a queued job). */
type DeleteReason = 'cancelled' | 'obsolete' | 'superseded';

/** Log fields of a desired schedule: name, time, point and counts, never recipients. */
const describe = (d: DesiredSchedule) => ({
  name: d.schedule.name,
  at: d.schedule.at,
  timeZone: d.schedule.timeZone,
  dueAt: d.dueAt.toISOString(),
  pointId: d.pointId,
  pointKind: d.pointKind,
  recipientTimeZone: d.recipientTimeZone,
  chunk: `${d.chunk.index + 1}/${d.chunk.count}`,
  recipients: d.recipientCount,
});

/**
 * Runs `tasks`, at most `limit` at a time. After the first failure no new task starts; the ones
 * in flight finish, then that first error is rethrown.
 */
const runLimited = async (
  tasks: ReadonlyArray<() => Promise<void>>,
  limit: number,
  logger: Log,
): Promise<void> => {
  let next = 0;
  let failure: { err: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < tasks.length) {
      const task = tasks[next++] as () => Promise<void>;
      try {
        await task();
      } catch (err) {
        if (failure === undefined) failure = { err };
        else logger.warn({ err }, 'schedule_change_failed');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), tasks.length) }, worker));
  if (failure !== undefined) throw failure.err;
};
