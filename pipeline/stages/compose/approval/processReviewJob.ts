import type { SQSRecord } from 'aws-lambda';
import { approvalKey } from '#contracts/approval';
import { parseJsonContract } from '#contracts/errors';
import { reviewJobMessage } from '#contracts/reviewJob';
import type { RecordContext } from '#retry/createSqsHandler';
import { contextFromTraceparent, withSpan } from '#shared/tracing';
import type { ComposeDeps } from '../ComposeDeps.ts';
import { composeRun } from '../composeRun.ts';
import { readFreshVersion } from '../readFreshVersion.ts';
import { releaseScopeOf } from '../releaseScopeOf.ts';
import { writeRevision } from './writeRevision.ts';

/**
 * Compose one review.job (policy `approval`, fired `lead` before the point's earliest send time):
 * re-read the version (a stale job is skipped, `review_skipped`; the schedule stage re-plans a
 * moved release), then {@link writeRevision} over every audience × locale of the point: the
 * drafts are written and the approvers emailed, or nothing happens when the stored revision was
 * written from the same input (a redelivery, or a re-plan that changed nothing). A project whose
 * policy no longer has `approval` is skipped (`review_skipped`, `approval_off`).
 * @throws ContractError when the message breaks its contract (permanent).
 */
export const processReviewJob = async (
  record: SQSRecord,
  ctx: RecordContext,
  deps: ComposeDeps,
): Promise<void> => {
  const incoming = parseJsonContract('review.job', reviewJobMessage, record.body);
  const job = incoming.payload;
  const run = composeRun(ctx, deps, { versionId: job.versionId, pointId: job.pointId, job: 'review' });
  const { retry, logger } = run;

  await withSpan(
    'compose.review',
    async () => {
      const { version, staleness } = await readFreshVersion(job, run);
      if (staleness.stale || version === null) {
        logger.info({ reason: staleness.stale ? staleness.reason : 'deleted' }, 'review_skipped');
        return;
      }
      const policy = await deps.directory.getPolicy(job.projectKey);
      if (!policy?.approval) {
        logger.info({ reason: 'approval_off' }, 'review_skipped');
        return;
      }
      const stored = await retry('ledger.get_approval', () => deps.ledger.getApproval(approvalKey(job)));
      const outcome = await writeRevision(
        {
          ...run,
          point: job,
          version,
          policy,
          approval: policy.approval,
          scope: releaseScopeOf(job, policy, deps, retry),
          traceparent: incoming.traceparent,
        },
        { groups: job.groups, stored, dueAt: job.dueAt, requeueReviews: true },
      );
      if (outcome.kind === 'unchanged') {
        logger.info(
          { revision: outcome.record.revision, settled: outcome.record.settled !== undefined },
          'review_unchanged',
        );
      }
    },
    {},
    contextFromTraceparent(incoming.traceparent),
  );
};
