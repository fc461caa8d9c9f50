import type { SQSRecord } from 'aws-lambda';
import type { QueuePort } from '#adapters/queue/QueuePort';
import { wrap } from '#contracts/envelope';
import { ContractError, parseContract, parseJsonContract } from '#contracts/errors';
import { eventBridgeJiraEvent, JIRA_EVENT_SOURCE } from '#contracts/eventBridgeJiraEvent';
import { isVersionEventName, jiraVersionWebhook } from '#contracts/jiraVersionWebhook';
import { type ReleaseChanged, releaseChangedKey } from '#contracts/releaseChanged';
import type { RecordContext } from '#retry/createSqsHandler';
import { withRetry } from '#retry/withRetry';
import { currentTraceparent, withSpan } from '#shared/tracing';
import { queueName } from '#topology/topology';

/** What the ingest stage needs. */
export interface IngestDeps {
  /** Where release.changed goes (the enrich queue). */
  queue: QueuePort;
  /** HERALD_ENV, for queue names. Default none. */
  env?: string;
}

/** Contract names ingest reports in its ContractErrors. */
export const INGEST_CONTRACTS = {
  event: 'eventbridge.jira_event',
  webhook: 'jira.version_webhook',
} as const;

/**
 * Ingest one SQS record: an EventBridge event wrapping a Jira webhook.
 *
 * - Not JSON or not an EventBridge event: {@link ContractError} (permanent; the runner sends it
 *   to the DLQ).
 * - Not a version event (or not from the Jira source): logs `event_dropped` and succeeds.
 * - A version event whose body breaks the schema: {@link ContractError} naming each field.
 * - Otherwise one `release.changed` on the enrich queue, keyed by version, event and webhook
 *   timestamp so Jira's duplicate deliveries collapse downstream.
 */
export const processRecord = async (
  record: SQSRecord,
  ctx: RecordContext,
  deps: IngestDeps,
): Promise<void> => {
  const event = parseJsonContract(INGEST_CONTRACTS.event, eventBridgeJiraEvent, record.body);
  const detailType = event['detail-type'];
  if (event.source !== JIRA_EVENT_SOURCE) {
    ctx.logger.info(
      { eventId: event.id, source: event.source, reason: 'unexpected_source' },
      'event_dropped',
    );
    return;
  }
  if (!isVersionEventName(detailType)) {
    ctx.logger.info({ eventId: event.id, detailType, reason: 'not_a_version_event' }, 'event_dropped');
    return;
  }

  const webhook = parseContract(INGEST_CONTRACTS.webhook, jiraVersionWebhook, event.detail);
  if (webhook.webhookEvent !== detailType) {
    throw new ContractError(INGEST_CONTRACTS.webhook, [
      `webhookEvent: "${webhook.webhookEvent}" does not match the event's detail-type "${detailType}"`,
    ]);
  }

  const { version } = webhook;
  // The runner's failure logs use ctx.logger: give them the version too.
  const logger = ctx.logger.child({ versionId: version.id });
  ctx.logger = logger;
  const payload: ReleaseChanged = {
    event: webhook.webhookEvent,
    versionId: version.id,
    projectId: version.projectId,
    occurredAt: webhook.timestamp,
    hint: {
      ...(version.name !== undefined ? { name: version.name } : {}),
      ...(version.releaseDate !== undefined ? { releaseDate: version.releaseDate } : {}),
      ...(version.released !== undefined ? { released: version.released } : {}),
      ...(version.archived !== undefined ? { archived: version.archived } : {}),
    },
  };
  const key = releaseChangedKey(payload);

  await withSpan('ingest.emit', async () => {
    const body = JSON.stringify(wrap('release.changed', key, payload, currentTraceparent()));
    const target = queueName('enrich', 'main', deps.env);
    await withRetry('sqs.send', () => deps.queue.send(target, [{ body }]), {
      remainingTimeMs: ctx.remainingTimeMs,
      logger,
    });
  });
  logger.info({ projectId: payload.projectId, event: payload.event, key }, 'release_changed_emitted');
};
