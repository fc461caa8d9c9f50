import { replanKey, replanRequest } from '#contracts/replanRequest';
import { queueName } from '#topology/topology';
import { desiredAt, type ScheduleRun } from './ScheduleRun.ts';
import { queueComposeJob } from './queueComposeJob.ts';

/** Why a re-plan of the release was requested. */
export type ReplanReason = 'overtaken' | 'failed_overtaken' | 'redelivered_out_of_order';

/**
 * Asks enrich for a fresh snapshot of the release (a newer one overtook this one): a
 * release.changed keyed `<versionId>:replan:<readAt>` on the enrich queue. Logs `replan_requested`.
 */
export const requestReplan = async (
  run: ScheduleRun,
  watermark: number,
  reason: ReplanReason,
): Promise<void> => {
  const { snapshot, deps } = run;
  const envelope = replanRequest({
    versionId: snapshot.versionId,
    projectId: snapshot.projectId,
    occurredAt: deps.now().getTime(),
    key: replanKey.overtakenSnapshot(snapshot.versionId, snapshot.readAt),
    traceparent: run.traceparent,
  });
  const body = JSON.stringify(envelope);
  await run.retry('sqs.send_replan', () =>
    deps.queue.send(queueName('enrich', 'main', deps.env), [{ body }]),
  );
  run.logger.info({ readAt: snapshot.readAt, newestSnapshotAt: watermark, reason }, 'replan_requested');
};

/** Requests a re-plan when the release's watermark has moved past this snapshot's `readAt`. */
export const replanIfOvertaken = async (run: ScheduleRun, reason: ReplanReason): Promise<void> => {
  const { snapshot, deps } = run;
  const watermark = await run.retry('ledger.get_release_watermark', () =>
    deps.ledger.getReleaseWatermark(snapshot.versionId),
  );
  if (watermark !== null && watermark > snapshot.readAt) await requestReplan(run, watermark, reason);
};

/**
 * Drops an out-of-order snapshot (`snapshot_out_of_order`), keeping what belongs to its event:
 * a `jira:version_released` snapshot still queues its on-release compose.jobs; a redelivered one
 * requests a re-plan, since an earlier attempt of it may have written before it failed or died.
 */
export const dropOutOfOrder = async (run: ScheduleRun, newest: number): Promise<void> => {
  const { snapshot, deps } = run;
  run.logger.info(
    { event: snapshot.event, state: snapshot.state, readAt: snapshot.readAt, newestSnapshotAt: newest },
    'snapshot_out_of_order',
  );
  if (snapshot.event === 'jira:version_released') {
    for (const d of desiredAt(run, deps.now()).schedules) {
      if (d.pointKind === 'on_release') await queueComposeJob(run, d, 'out_of_order_release');
    }
  }
  if (run.redelivered) await requestReplan(run, newest, 'redelivered_out_of_order');
};
