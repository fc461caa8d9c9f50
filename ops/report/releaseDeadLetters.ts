import type { SQSClient } from '@aws-sdk/client-sqs';
import { peekDeadLetters } from '#ops/dlq/peekDeadLetters';
import { queueUrlOf, resolveQueue } from '#ops/sqs/queueRef';
import type { StageName } from '#topology/topology';

/** A dead letter of one release, as `herald report` lists it. */
export interface ReleaseDeadLetter {
  stage: StageName;
  kind: string | undefined;
  key: string | undefined;
  reason: string | undefined;
  error: string | undefined;
  failedAt: string | undefined;
}

/** What {@link releaseDeadLetters} found. */
export interface ReleaseDeadLetters {
  messages: ReleaseDeadLetter[];
  /** DLQs holding more messages than were read (the release may have more there). */
  notFullyRead: StageName[];
}

/** Stages whose messages carry a version id (enrich's release.changed onwards). */
const RELEASE_STAGES = ['enrich', 'schedule', 'compose', 'send'] as const satisfies readonly StageName[];

/** The version id a dead letter belongs to: its envelope payload's `versionId`. */
const versionIdOf = (body: unknown): string | undefined => {
  const payload = (body as { payload?: { versionId?: unknown } } | undefined)?.payload;
  return typeof payload?.versionId === 'string' ? payload.versionId : undefined;
};

/**
 * The dead letters of one release in the enrich, schedule, compose and send DLQs, read without
 * consuming them (`peekDeadLetters`: received, then made visible again), at most `limit` per DLQ.
 * A DLQ that does not exist is skipped.
 */
export const releaseDeadLetters = async (
  sqs: SQSClient,
  queues: Record<StageName, { dlq: string }>,
  versionId: string,
  limit = 100,
): Promise<ReleaseDeadLetters> => {
  const found: ReleaseDeadLetters = { messages: [], notFullyRead: [] };
  for (const stage of RELEASE_STAGES) {
    const name = queues[stage].dlq;
    if ((await queueUrlOf(sqs, name)) === undefined) continue;
    const result = await peekDeadLetters(sqs, await resolveQueue(sqs, name), { limit });
    if (result.depth.visible + result.depth.inFlight > result.messages.length) found.notFullyRead.push(stage);
    for (const view of result.messages) {
      if (versionIdOf(view.body) !== versionId) continue;
      found.messages.push({
        stage,
        kind: view.kind,
        key: view.key,
        reason: view.reason,
        error: view.error,
        failedAt: view.failedAt,
      });
    }
  }
  return found;
};
