import type { ComposeJob } from '#contracts/composeJob';
import type { EmailDraft } from '#contracts/emailDraft';
import { wrap } from '#contracts/envelope';
import { parseContract } from '#contracts/errors';
import { sendJobMessage, sendKey } from '#contracts/sendJob';
import type { SendPolicy } from '#contracts/sendPolicy';
import { currentTraceparent } from '#shared/tracing';
import { queueName } from '#topology/topology';
import { groupKey, recipientAudience } from './audiences.ts';
import type { ComposeRun } from './DraftContext.ts';
import { notAfterOf } from './lateness.ts';

/** What {@link queueSendJobs} fans out: a compose job's recipients over the point's drafts. */
export interface SendJobsOf {
  job: ComposeJob;
  policy: SendPolicy;
  /** The point's drafts by group key (audience × locale). */
  drafts: ReadonlyMap<string, EmailDraft>;
  /** The compose.job's traceparent, when no span is active. */
  incomingTraceparent: string | undefined;
}

/**
 * One send.job per distinct recipient, pointing at the draft of the recipient's audience and
 * locale; a recipient whose audience has no issue in scope (no draft) gets none.
 */
export const queueSendJobs = async (
  { job, policy, drafts, incomingTraceparent }: SendJobsOf,
  { deps, retry, logger }: Pick<ComposeRun, 'deps' | 'retry' | 'logger'>,
): Promise<void> => {
  const traceparent = currentTraceparent() ?? incomingTraceparent;
  const seen = new Set<string>();
  const bodies: { body: string }[] = [];
  let unscoped = 0;
  for (const recipient of job.recipients) {
    if (seen.has(recipient.email)) continue;
    seen.add(recipient.email);
    const draft = drafts.get(groupKey(recipientAudience(policy, recipient).audience.name, recipient.locale));
    if (!draft) {
      unscoped += 1;
      continue;
    }
    const envelope = parseContract(
      'send.job',
      sendJobMessage,
      wrap(
        'send.job',
        sendKey(job, recipient.email),
        {
          versionId: job.versionId,
          projectKey: job.projectKey,
          pointId: job.pointId,
          ...(job.releaseDate !== undefined ? { releaseDate: job.releaseDate } : {}),
          draftKey: draft.key,
          recipient,
          notAfter: notAfterOf(job).toISOString(),
        },
        traceparent,
      ),
    );
    bodies.push({ body: JSON.stringify(envelope) });
  }
  const target = queueName('send', 'main', deps.env ?? '');
  if (bodies.length > 0) await retry('sqs.send', () => deps.queue.send(target, bodies));
  logger.info({ sendJobs: bodies.length, drafts: drafts.size, withoutScope: unscoped }, 'send_jobs_queued');
};
