import { DynamoDirectory } from '#adapters/directory/DynamoDirectory';
import { stackNames } from '#local/stackNames';
import { type BenchContext, freshEnv, STANDIN_CREDENTIALS, startWorker } from './BenchContext.ts';
import {
  deliverWebhook,
  FAN_OUT,
  offsetPastLastRelease,
  seedWorkload,
  versionCreatedBody,
} from './fixtures.ts';
import { type RawHopsResult, rawHops, until } from './queues.ts';
import { allSent } from './sendStageBench.ts';
import { countDeliveries, type DeliveryCount, readStoredEmails } from './sesStore.ts';
import type { LogLine } from './WorkerProcess.ts';

/** Options of {@link benchPipeline}. */
export interface PipelineBenchOptions {
  releases: number;
  recipients: number;
  /** Issues per release (the size of the LLM prompt). */
  issues: number;
}

/** LLM usage of a run. */
export interface LlmFigures {
  /** Release points composed (releases × points). */
  releasePoints: number;
  /** Distinct locale × audience pairs among each project's recipients (drafts per point). */
  localeAudiences: number;
  /** Chat completion requests the OpenAI stand-in received. */
  standInCalls: number;
  /** `email_composed` lines (one per draft written). */
  drafts: number;
  /** Sum of `llmCalls` over the `email_composed` lines. */
  loggedCalls: number;
  promptTokens: number;
  completionTokens: number;
  /** Emails sent. */
  emails: number;
}

/** Whole-pipeline throughput beside the emulator's raw hops, and LLM usage. */
export interface PipelineFigures {
  releases: number;
  points: number;
  recipients: number;
  emails: number;
  /** SQS hops the pipeline made: per release ingest, enrich, schedule, one compose per point, one send per email. */
  hops: number;
  ms: number;
  emailsPerSecond: number;
  hopsPerSecond: number;
  raw: RawHopsResult;
  llm: LlmFigures;
  delivery: DeliveryCount;
}

/**
 * Releases × points × recipients from signed webhooks to emails in the SES store, through every
 * stage and the local scheduler in one worker. Releases are dated weeks ahead (so the schedule
 * stage, on the real clock, plans every point) and the worker's scheduler clock is set a day past
 * the last release date before the first webhook, so each schedule fires as soon as it exists.
 * Timed from the first webhook until `email_sent` was logged for every expected email.
 */
export const benchPipeline = async (
  ctx: BenchContext,
  options: PipelineBenchOptions,
): Promise<PipelineFigures> => {
  const env = freshEnv('bpipe');
  const worker = await startWorker(ctx, env, { schedulerTickMs: 250 });
  const composed: LogLine[] = [];
  const unsubscribe = worker.onLine((line) => {
    if (line.msg === 'email_composed') composed.push(line);
  });
  try {
    const directory = new DynamoDirectory({
      client: ctx.documents,
      tableName: stackNames(env).tables.directory,
    });
    const workload = await seedWorkload(ctx.jira, directory, {
      releases: options.releases,
      recipients: options.recipients,
      issues: options.issues,
      tag: env,
      fanOut: true,
    });
    worker.setClockOffset(offsetPastLastRelease(workload));
    const emails = workload.expected.size;
    const points = workload.points.length;
    const callsBefore = ctx.openai.calls.count;
    const sentBefore = worker.count('email_sent');

    const started = performance.now();
    await Promise.all(
      workload.releases.map((release) =>
        deliverWebhook(
          () => worker.ready.webhookUrl,
          STANDIN_CREDENTIALS.webhookSecret,
          versionCreatedBody(release, Date.now()),
        ),
      ),
    );
    await until(`${emails} emails sent`, () => allSent(worker, sentBefore, emails), {
      timeoutMs: 120_000 + emails * 1000,
      intervalMs: 100,
    });
    const ms = performance.now() - started;

    // The baseline runs on an idle emulator: no worker polling beside it.
    await worker.close();
    const hops = options.releases * (3 + points + points * options.recipients);
    const raw = await rawHops(ctx.sqs, `herald-${env}-raw`, hops, '{"v":1}'.padEnd(1000, ' '));
    const stored = await readStoredEmails(ctx.endpoint, (e) => e.to.some((to) => to.includes(env)));
    const sum = (field: string) => composed.reduce((s, line) => s + (Number(line[field]) || 0), 0);
    return {
      releases: options.releases,
      points,
      recipients: options.recipients,
      emails,
      hops,
      ms,
      emailsPerSecond: (emails * 1000) / ms,
      hopsPerSecond: (hops * 1000) / ms,
      raw,
      llm: {
        releasePoints: options.releases * points,
        localeAudiences: Math.min(options.recipients, FAN_OUT.locales.length * FAN_OUT.audiences.length),
        standInCalls: ctx.openai.calls.count - callsBefore,
        drafts: composed.length,
        loggedCalls: sum('llmCalls'),
        promptTokens: sum('promptTokens'),
        completionTokens: sum('completionTokens'),
        emails,
      },
      delivery: countDeliveries(workload.expected, stored),
    };
  } finally {
    unsubscribe();
    await worker.close();
  }
};
