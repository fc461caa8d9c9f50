import type { SQSRecord } from 'aws-lambda';
import { composeJobMessage } from '#contracts/composeJob';
import { parseJsonContract } from '#contracts/errors';
import { DEFAULT_SEND_POLICY } from '#contracts/sendPolicy';
import type { RecordContext } from '#retry/createSqsHandler';
import { peekEnvelope } from '#retry/peekEnvelope';
import { withSpan } from '#shared/tracing';
import { approvedDrafts } from './approval/approvedDrafts.ts';
import { processReviewJob } from './approval/processReviewJob.ts';
import { draftsByAudience } from './audiences.ts';
import type { ComposeDeps } from './ComposeDeps.ts';
import { composeRun } from './composeRun.ts';
import type { DraftContext } from './DraftContext.ts';
import { draftWriterOf } from './draftWriterOf.ts';
import { recordIfMissed } from './lateness.ts';
import { readFreshVersion } from './readFreshVersion.ts';
import { recordFanOut } from './recordFanOut.ts';
import { releaseScopeOf } from './releaseScopeOf.ts';
import { requestReplan } from './requestReplan.ts';
import { queueSendJobs } from './queueSendJobs.ts';

export type { ComposeDeps } from './ComposeDeps.ts';

/**
 * Compose one compose.job: re-read the version from Jira and skip the job when it is stale
 * (deleted, archived, date moved, released early, not released for an on-release point; logged as
 * `compose_skipped`, a success); when the date moved, also ask enrich to re-plan the release
 * (`replan_requested`: a release.changed on the enrich queue). Otherwise get the draft of each
 * distinct recipient locale from the ledger, or write it (LLM, citation and content policy
 * checks, one retry with feedback, else the template), render it and store it first-writer-wins;
 * then queue one send.job per recipient.
 *
 * The draft cache and its claim make one LLM call per release point, locale and audience: the
 * other chunks of the point, and any redelivery of this job, find the draft; chunks composing the
 * same draft at the same moment wait for the one that claimed it ({@link writeDraftOnce}), and
 * `putDraftIfAbsent` keeps the first draft even if a crashed writer's claim was taken over.
 *
 * Each external call runs under {@link withRetry} bounded by the Lambda's remaining time.
 * @throws ContractError when the message or an outgoing send.job breaks its contract (permanent).
 */
export const processRecord = async (
  record: SQSRecord,
  ctx: RecordContext,
  deps: ComposeDeps,
): Promise<void> => {
  // review.job (policy `approval`) shares the compose queue: drafts written ahead, for review.
  if (peekEnvelope(record.body)?.envelope.kind === 'review.job') return processReviewJob(record, ctx, deps);
  const incoming = parseJsonContract('compose.job', composeJobMessage, record.body);
  const job = incoming.payload;
  const run = composeRun(ctx, deps, {
    versionId: job.versionId,
    pointId: job.pointId,
    chunk: `${job.chunk.index + 1}/${job.chunk.count}`,
  });
  const { retry, logger } = run;
  const incomingTraceparent = incoming.traceparent;

  await withSpan('compose.record', async () => {
    const { version, staleness } = await readFreshVersion(job, run);
    if (staleness.stale) {
      logger.info({ reason: staleness.reason, releaseDate: job.releaseDate }, 'compose_skipped');
      if (staleness.reason === 'release_date_moved' && version !== null) {
        await requestReplan({ job, version, incomingTraceparent }, run);
      }
      return;
    }
    // checkStaleness calls a missing version stale; this narrows the type.
    if (version === null) return;
    // Past its deadline the point is recorded `missed` and nothing is sent (a success).
    if (await recordIfMissed(job, { ...deps, logger }, retry)) return;
    const policy = (await deps.directory.getPolicy(job.projectKey)) ?? DEFAULT_SEND_POLICY;
    const scope = releaseScopeOf(job, policy, deps, retry);
    const draft: DraftContext = { ...run, point: job, version, policy };
    if (policy.approval && !deps.ignoreApproval) {
      // Review before send: the point's approval record decides what (if anything) goes out.
      const approval = { ...draft, approval: policy.approval, scope, traceparent: incomingTraceparent, job };
      const drafts = await approvedDrafts(approval);
      if (drafts) await queueSendJobs({ job, policy, drafts, incomingTraceparent }, run);
      return;
    }
    const drafts = await draftsByAudience({
      job,
      policy,
      logger,
      cached: (key) => retry('ledger.get_draft', () => deps.ledger.getDraft(key)),
      scopeOf: (audience) => scope.of(audience),
      write: draftWriterOf(draft),
    });

    await queueSendJobs({ job, policy, drafts, incomingTraceparent }, run);
    await recordFanOut(
      { job, versionName: version.name, policy, drafts, traceparent: incomingTraceparent },
      deps,
      retry,
    );
  });
};
