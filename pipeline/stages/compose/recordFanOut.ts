import type { ChunkPlan, DeliveryRecordsPort, PlannedGroup } from '#adapters/ledger/DeliveryRecordsPort';
import type { QueuePort } from '#adapters/queue/QueuePort';
import type { ComposeJob } from '#contracts/composeJob';
import type { EmailDraft } from '#contracts/emailDraft';
import { wrap } from '#contracts/envelope';
import { parseContract } from '#contracts/errors';
import { pointOutcomeKey } from '#contracts/pointOutcomeKey';
import { pointSummaryMessage } from '#contracts/pointSummary';
import type { SendPolicy } from '#contracts/sendPolicy';
import { currentTraceparent } from '#shared/tracing';
import { queueName } from '#topology/topology';
import { groupKey, recipientAudience } from './audiences.ts';

/** Default {@link FanOutDeps.summaryDelaySeconds}: the sends of a chunk take seconds, SES's delivery events a few more. */
export const DEFAULT_SUMMARY_DELAY_SECONDS = 60;

/** What {@link recordFanOut} needs. */
export interface FanOutDeps {
  /** Where the chunk's plan is recorded; undefined: nothing is recorded and no summary queued. */
  records?: Pick<DeliveryRecordsPort, 'recordFanOut'> | undefined;
  /** The send queue, where the owners' point.summary goes (delayed). */
  queue: QueuePort;
  env?: string | undefined;
  now: () => Date;
  /** SQS DelaySeconds of the point.summary, 0..900. Default {@link DEFAULT_SUMMARY_DELAY_SECONDS}. */
  summaryDelaySeconds?: number | undefined;
}

/** What one chunk fanned out. */
export interface FanOut {
  job: ComposeJob;
  versionName: string;
  policy: SendPolicy;
  /** The drafts by `groupKey(audience, locale)`, as compose queued the send jobs from them. */
  drafts: ReadonlyMap<string, EmailDraft>;
  traceparent?: string | undefined;
}

/** The recipients of a job grouped by the draft they get (each address once). */
const groupsOf = ({ job, policy, drafts }: FanOut): PlannedGroup[] => {
  const groups = new Map<string, PlannedGroup>();
  const seen = new Set<string>();
  for (const recipient of job.recipients) {
    if (seen.has(recipient.email)) continue;
    seen.add(recipient.email);
    const audience = recipientAudience(policy, recipient).audience.name;
    const key = groupKey(audience, recipient.locale);
    const group = groups.get(key) ?? {
      draftKey: drafts.get(key)?.key,
      audience,
      locale: recipient.locale,
      emails: [],
    };
    group.emails.push(recipient.email);
    groups.set(key, group);
  }
  return [...groups.values()];
};

/**
 * After compose queued a chunk's send jobs: records who was planned to get which draft (the
 * report's "planned", {@link DeliveryRecordsPort.recordFanOut}) and, when the policy names owners
 * (`notify`), queues a delayed point.summary on the send queue. Every chunk and redelivery queues
 * one; the summary's ledger claim makes it one email per point and zone.
 */
export const recordFanOut = async (
  fanOut: FanOut,
  deps: FanOutDeps,
  retry: <T>(name: string, fn: () => Promise<T>) => Promise<T>,
): Promise<void> => {
  const { records } = deps;
  if (records === undefined) return;
  const { job } = fanOut;
  const fannedOutAt = deps.now().toISOString();
  const plan: ChunkPlan = {
    versionId: job.versionId,
    projectKey: job.projectKey,
    versionName: fanOut.versionName,
    pointId: job.pointId,
    releaseDate: job.releaseDate,
    timeZone: job.timeZone,
    chunk: job.chunk,
    dueAt: job.dueAt,
    fannedOutAt,
    groups: groupsOf(fanOut),
  };
  await retry('ledger.record_fan_out', () => records.recordFanOut(plan));
  if ((fanOut.policy.notify ?? []).length === 0) return;
  const envelope = parseContract(
    'point.summary',
    pointSummaryMessage,
    wrap(
      'point.summary',
      `summary:${pointOutcomeKey(job)}:${job.chunk.index}`,
      {
        versionId: job.versionId,
        projectKey: job.projectKey,
        pointId: job.pointId,
        ...(job.releaseDate !== undefined ? { releaseDate: job.releaseDate } : {}),
        timeZone: job.timeZone,
        chunkCount: job.chunk.count,
        fannedOutAt,
      },
      currentTraceparent() ?? fanOut.traceparent,
    ),
  );
  const delaySeconds = deps.summaryDelaySeconds ?? DEFAULT_SUMMARY_DELAY_SECONDS;
  await retry('sqs.send', () =>
    deps.queue.send(queueName('send', 'main', deps.env ?? ''), [
      { body: JSON.stringify(envelope), delaySeconds },
    ]),
  );
};
