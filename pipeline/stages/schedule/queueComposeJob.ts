import { MAX_SQS_DELAY_SECONDS } from '#retry/backoffPolicy';
import { queueName } from '#topology/topology';
import type { DesiredSchedule } from './desiredSchedules.ts';
import { describeSchedule, type ScheduleRun } from './ScheduleRun.ts';

/** Why a compose.job went straight to the compose queue instead of into a schedule. */
export type QueuedReason = 'due_soon' | 'time_passed' | 'out_of_order_release';

/**
 * Sends a point's compose.job (its schedule's Input, same envelope key) straight to the compose
 * queue, delayed until it is due (SQS DelaySeconds, 0..900). Logs `compose_job_queued`.
 */
export const queueComposeJob = async (
  run: ScheduleRun,
  d: DesiredSchedule,
  reason: QueuedReason,
): Promise<void> => {
  const { deps } = run;
  const waitMs = d.dueAt.getTime() - deps.now().getTime();
  const delaySeconds = Math.min(MAX_SQS_DELAY_SECONDS, Math.max(0, Math.ceil(waitMs / 1000)));
  await run.retry('sqs.send_compose_job', () =>
    deps.queue.send(queueName('compose', 'main', deps.env), [{ body: d.schedule.input, delaySeconds }]),
  );
  run.logger.info({ ...describeSchedule(d), delaySeconds, reason }, 'compose_job_queued');
};
