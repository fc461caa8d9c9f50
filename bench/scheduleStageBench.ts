import { ListSchedulesCommand } from '@aws-sdk/client-scheduler';
import { wrap } from '#contracts/envelope';
import { releaseSnapshotMessage } from '#contracts/releaseSnapshot';
import { parsePointSpecs } from '#contracts/sendPolicy';
import { type BenchContext, freshEnv, startWorker } from './BenchContext.ts';
import { BENCH_POINT_SPECS, RELEASE_LEAD_DAYS } from './fixtures.ts';
import { feedBounded, until } from './queues.ts';

/** Most release changes waiting in the schedule queue at once (see {@link feedBounded}). */
export const MAX_BACKLOG = 50;

/** Schedule stage throughput. */
export interface ScheduleStageFigures {
  /** release.snapshot messages handled (release changes). */
  changes: number;
  /** Points per release (schedules per change: one recipient, one time zone, one chunk). */
  points: number;
  /** `schedule_created` lines logged. */
  created: number;
  /** Schedules found in the group afterwards. */
  inGroup: number;
  ms: number;
  changesPerSecond: number;
  schedulesPerSecond: number;
}

/**
 * `changes` release.snapshot messages (each a different release with the three benchmark points
 * and one recipient) fed to the schedule queue, at most {@link MAX_BACKLOG} waiting at a time,
 * and drained by the real schedule handler in a worker (schedule stage only, no scheduler firing
 * them): from the first SendMessageBatch until every change logged `release_scheduled`.
 */
export const benchScheduleStage = async (
  ctx: BenchContext,
  changes: number,
): Promise<ScheduleStageFigures> => {
  const env = freshEnv('bsched');
  const worker = await startWorker(ctx, env, { stages: ['schedule'], rescheduler: false, scheduler: false });
  try {
    const points = parsePointSpecs(BENCH_POINT_SPECS);
    const releaseDate = new Date(Date.now() + RELEASE_LEAD_DAYS * 86_400_000).toISOString().slice(0, 10);
    const now = Date.now();
    const bodies = Array.from({ length: changes }, (_, i) => {
      const versionId = String(200_001 + i);
      const payload = {
        event: 'jira:version_updated' as const,
        occurredAt: now,
        versionId,
        projectId: '20000',
        projectKey: 'BSC',
        state: 'active' as const,
        version: { id: versionId, name: `Bench ${i + 1}`, releaseDate, released: false, archived: false },
        readAt: now,
        policy: { points, onRelease: false, timeZone: 'UTC', defaultLocale: 'en' },
        recipients: [
          { email: `s${i + 1}.${env}@example.com`, name: 'Client', locale: 'en', timeZone: 'UTC' },
        ],
      };
      return JSON.stringify(
        releaseSnapshotMessage.parse(wrap('release.snapshot', `${versionId}:bench:${now}`, payload)),
      );
    });

    const before = worker.count('release_scheduled');
    const createdBefore = worker.count('schedule_created');
    const started = performance.now();
    await feedBounded(
      ctx.sqs,
      worker.ready.queues.schedule.main.url,
      bodies,
      (sent) => sent - (worker.count('release_scheduled') - before),
      MAX_BACKLOG,
    );
    await until(
      `${changes} releases scheduled`,
      () => worker.count('release_scheduled') - before >= changes,
      {
        timeoutMs: 60_000 + changes * 500,
        intervalMs: 100,
      },
    );
    const ms = performance.now() - started;
    const created = worker.count('schedule_created') - createdBefore;

    let inGroup = 0;
    let NextToken: string | undefined;
    do {
      const page = await ctx.scheduler.send(
        new ListSchedulesCommand({ GroupName: worker.ready.scheduleGroup, MaxResults: 100, NextToken }),
      );
      inGroup += page.Schedules?.length ?? 0;
      NextToken = page.NextToken;
    } while (NextToken);
    return {
      changes,
      points: points.length,
      created,
      inGroup,
      ms,
      changesPerSecond: (changes * 1000) / ms,
      schedulesPerSecond: (created * 1000) / ms,
    };
  } finally {
    await worker.close();
  }
};
