import type { SQSRecord } from 'aws-lambda';
import type { SchedulerPort } from '#adapters/scheduler/SchedulerPort';
import { parseJsonContract } from '#contracts/errors';
import { releaseSnapshotMessage } from '#contracts/releaseSnapshot';
import type { RecordContext } from '#retry/createSqsHandler';
import { withRetry } from '#retry/withRetry';
import type { Log } from '#shared/logger';
import { contextFromTraceparent, currentTraceparent, withSpan } from '#shared/tracing';
import { type DesiredSchedule, desiredSchedules } from './desiredSchedules.ts';
import { planChanges } from './planChanges.ts';
import { newestSnapshotAt } from './scheduleInput.ts';

/** What the schedule stage needs. */
export interface ScheduleDeps {
  scheduler: SchedulerPort;
  /** ARN of the compose queue, the target of every send-point schedule. */
  composeQueueArn: string;
  /** Clock. */
  now: () => Date;
  /** Scheduler calls in flight at once per record. Default 4. */
  concurrency?: number;
  /** Default `topology.schedulePrefix`. */
  schedulePrefix?: string;
  /** Scheduler Input limit, bytes. Default `topology.scheduleInputLimit`. */
  inputLimit?: number;
}

/** Runs one named external call with tracing and in-call retries. */
type Retry = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

/**
 * Schedule one release.snapshot: work out the send-point schedules the release should have now
 * ({@link desiredSchedules}), list what Scheduler has under the release's prefix, diff
 * ({@link planChanges}) and apply the difference. Idempotent: a second run of the same snapshot
 * finds nothing to change and makes no Scheduler write.
 *
 * Out of order: SQS may deliver an older snapshot of a release after a newer one. Each schedule
 * carries the `readAt` of the snapshot it was made from (`snapshotAt`); a snapshot older than the
 * newest of those is dropped (`snapshot_out_of_order`, the record succeeds), and every applied
 * snapshot refreshes `snapshotAt` on the schedules it keeps (see planChanges). The watermark
 * lives only in the schedules: once a release has none left (deleted, cancelled or all fired),
 * a late older snapshot is applied; compose's staleness check against Jira at fire time then
 * drops what it scheduled.
 *
 * Crash safety (records are delivered at least once, so a run that dies midway is simply run
 * again and converges, every Scheduler call being idempotent by name): creates and updates go
 * first, deletes only after all of them succeeded. A crash in between leaves extra schedules,
 * never missing ones: an extra chunk repeats recipients that the send ledger sends to once, a
 * cancelled point that fires anyway is dropped by compose's staleness check, while a missing
 * schedule would be an email lost for good if its time passed before the redelivery.
 *
 * Each Scheduler call runs under `withRetry`, bounded by the Lambda's remaining time; the first
 * failure stops new calls, waits for those in flight, and is rethrown for the retry ladder.
 * Logs `snapshot_out_of_order`, `schedule_point_skipped` (past points), `schedule_created`, `schedule_updated`,
 * `schedule_deleted`, `schedule_kept` (about to fire) and a `release_scheduled` summary; names,
 * times and counts only, never addresses.
 * @throws ContractError when the body is not a release.snapshot (permanent).
 * @throws PermanentError `schedule_input_too_large` / `invalid_schedule_name` (see desiredSchedules).
 */
export const processRecord = async (
  record: Pick<SQSRecord, 'body'>,
  ctx: Pick<RecordContext, 'logger' | 'remainingTimeMs'>,
  deps: ScheduleDeps,
): Promise<void> => {
  const incoming = parseJsonContract('release.snapshot', releaseSnapshotMessage, record.body);
  const snapshot = incoming.payload;
  const logger = ctx.logger.child({ versionId: snapshot.versionId, projectKey: snapshot.projectKey });
  // The retry ladder's failure logs use ctx.logger: give them the release too.
  ctx.logger = logger;
  const retry: Retry = (name, fn) =>
    withSpan(name, () => withRetry(name, fn, { remainingTimeMs: ctx.remainingTimeMs, logger }));

  await withSpan(
    'schedule.record',
    async () => {
      const now = deps.now();
      const desired = desiredSchedules(snapshot, {
        now,
        targetArn: deps.composeQueueArn,
        traceparent: currentTraceparent() ?? incoming.traceparent,
        ...(deps.schedulePrefix !== undefined ? { schedulePrefix: deps.schedulePrefix } : {}),
        ...(deps.inputLimit !== undefined ? { inputLimit: deps.inputLimit } : {}),
      });
      const existing = await retry('scheduler.list', () => deps.scheduler.list(desired.listPrefix));
      const newest = newestSnapshotAt(existing);
      if (newest !== undefined && newest > snapshot.readAt) {
        logger.info(
          { event: snapshot.event, state: snapshot.state, readAt: snapshot.readAt, newestSnapshotAt: newest },
          'snapshot_out_of_order',
        );
        return;
      }
      for (const s of desired.skipped) {
        logger.info(
          { pointId: s.pointId, timeZone: s.timeZone, dueAt: s.dueAt.toISOString(), reason: s.reason },
          'schedule_point_skipped',
        );
      }
      const plan = planChanges(desired, existing, { now });
      const concurrency = deps.concurrency ?? 4;

      await runLimited(
        [
          ...plan.create.map((d) => async () => {
            await retry('scheduler.create', () => deps.scheduler.create(d.schedule));
            logger.info(describe(d), 'schedule_created');
          }),
          ...plan.update.map(({ desired: d, existing: e, changes }) => async () => {
            await retry('scheduler.update', () => deps.scheduler.update(d.schedule));
            logger.info(
              { ...describe(d), changes, previousAt: e.at, previousTimeZone: e.timeZone },
              'schedule_updated',
            );
          }),
        ],
        concurrency,
        logger,
      );
      await runLimited(
        plan.delete.map(({ existing: e, reason }) => async () => {
          await retry('scheduler.delete', () => deps.scheduler.delete(e.name));
          logger.info({ name: e.name, at: e.at, timeZone: e.timeZone, reason }, 'schedule_deleted');
        }),
        concurrency,
        logger,
      );
      for (const k of plan.keep) {
        if (k.reason === 'about_to_fire') {
          logger.info(
            { name: k.existing.name, at: k.existing.at, timeZone: k.existing.timeZone },
            'schedule_kept',
          );
        }
      }

      logger.info(
        {
          event: snapshot.event,
          state: snapshot.state,
          releaseDate: snapshot.version?.releaseDate,
          desired: desired.schedules.length,
          created: plan.create.length,
          updated: plan.update.length,
          deleted: plan.delete.length,
          kept: plan.keep.length,
          skipped: desired.skipped.length,
        },
        'release_scheduled',
      );
    },
    { attributes: { 'herald.version_id': snapshot.versionId, 'herald.release_state': snapshot.state } },
    contextFromTraceparent(incoming.traceparent),
  );
};

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
