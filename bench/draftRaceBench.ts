import { DynamoDirectory } from '#adapters/directory/DynamoDirectory';
import type { ComposeJob } from '#contracts/composeJob';
import { wrap } from '#contracts/envelope';
import { stackNames } from '#local/stackNames';
import { topology } from '#topology/topology';
import { type BenchContext, freshEnv, startWorker } from './BenchContext.ts';
import { sendAll, until } from './queues.ts';
import { allSent } from './sendStageBench.ts';

/** LLM calls of the chunks of one point composed at the same moment. */
export interface DraftRaceFigures {
  /** Compose jobs of the one point (one recipient each), all due at once. */
  chunks: number;
  /** Compose invocations running at once (the compose event source's maximum concurrency). */
  concurrency: number;
  /** Chat completions the OpenAI stand-in received. */
  llmCalls: number;
  /** Drafts the chunks share (one point × one locale × one audience). */
  drafts: number;
  /** Chunks that waited for the claim holder's draft (`draft_waited`). */
  waited: number;
  /** Chunks that found it already stored (`draft_cache_hit`). */
  cacheHits: number;
  emails: number;
  ms: number;
}

/**
 * One point of one release split into as many compose jobs as compose runs at once, queued
 * together with the model answering slowly (1.5 s), so every chunk misses the draft cache while
 * the first is still writing: what the draft claim must turn into one LLM call.
 */
export const benchDraftRace = async (ctx: BenchContext): Promise<DraftRaceFigures> => {
  const env = freshEnv('brace');
  const concurrency = topology.stages.compose.fn.maxConcurrency;
  const worker = await startWorker(ctx, env, { concurrency, rescheduler: false, scheduler: false });
  try {
    const project = { id: '90700', key: 'RACE', name: 'Race Shop' };
    const version = { id: '90701', projectId: project.id, name: 'Race Shop 1.0', releaseDate: '2031-01-01' };
    ctx.jira.putProject(project);
    ctx.jira.putVersion(version);
    ctx.jira.setIssues(version.id, [
      { key: 'RACE-1', summary: 'Reports open twice as fast', issueType: 'Story' },
    ]);
    const directory = new DynamoDirectory({
      client: ctx.documents,
      tableName: stackNames(env).tables.directory,
    });
    const recipients = Array.from({ length: concurrency }, (_, i) => ({
      email: `r${i + 1}.${env}@example.com`,
      locale: 'en',
    }));
    for (const r of recipients) await directory.putContact(project.key, { ...r, optedOut: false });
    const dueAt = new Date().toISOString();
    const bodies = recipients.map((recipient, index) =>
      JSON.stringify(
        wrap('compose.job', `${version.id}:b7d0h0m0900@${version.releaseDate}:UTC:${index}`, {
          versionId: version.id,
          projectKey: project.key,
          pointId: 'b7d0h0m0900',
          pointKind: 'before',
          releaseDate: version.releaseDate,
          timeZone: 'UTC',
          dueAt,
          chunk: { index, count: recipients.length },
          recipients: [recipient],
        } satisfies ComposeJob),
      ),
    );
    ctx.openai.faults.enqueue({ delayMs: 1500 }, { times: concurrency });
    const callsBefore = ctx.openai.calls.count;
    const sentBefore = worker.count('email_sent');
    const started = performance.now();
    await sendAll(ctx.sqs, worker.ready.queues.compose.main.url, bodies);
    await until(`${bodies.length} emails sent`, () => allSent(worker, sentBefore, bodies.length), {
      timeoutMs: 120_000,
      intervalMs: 100,
    });
    return {
      chunks: bodies.length,
      concurrency,
      llmCalls: ctx.openai.calls.count - callsBefore,
      drafts: 1,
      waited: worker.count('draft_waited'),
      cacheHits: worker.count('draft_cache_hit'),
      emails: worker.count('email_sent') - sentBefore,
      ms: performance.now() - started,
    };
  } finally {
    ctx.openai.faults.reset();
    await worker.close();
  }
};
