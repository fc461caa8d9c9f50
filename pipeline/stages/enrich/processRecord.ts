import type { SQSRecord } from 'aws-lambda';
import type { DirectoryPort } from '#adapters/directory/DirectoryPort';
import type { JiraPort } from '#adapters/jira/JiraPort';
import type { QueuePort } from '#adapters/queue/QueuePort';
import type { Contact } from '#contracts/contact';
import { wrap } from '#contracts/envelope';
import { parseContract, parseJsonContract } from '#contracts/errors';
import { releaseChangedMessage } from '#contracts/releaseChanged';
import {
  type ReleaseSnapshot,
  releaseSnapshotMessage,
  type ScheduledRecipient,
  type VersionState,
} from '#contracts/releaseSnapshot';
import { DEFAULT_SEND_POLICY, type SendPolicy } from '#contracts/sendPolicy';
import type { RecordContext } from '#retry/createSqsHandler';
import { type TracedRetry as Retry, tracedRetry } from '#retry/tracedRetry';
import { withRetry } from '#retry/withRetry';
import { PermanentError } from '#shared/errors';
import { mapLimit } from '#shared/mapLimit';
import { currentTraceparent } from '#shared/tracing';
import { queueName } from '#topology/topology';

/** What the enrich stage needs. */
export interface EnrichDeps {
  jira: JiraPort;
  directory: DirectoryPort;
  /** Where release.snapshot goes (the schedule queue). */
  queue: QueuePort;
  /** Clock: stamps each snapshot's `readAt`. */
  now: () => Date;
  /** HERALD_ENV, for queue names. Default none. */
  env?: string;
  /** Global opt-out lookups run this many at a time. Default 8. */
  optOutConcurrency?: number;
}

/**
 * Largest release.snapshot body, bytes: SQS's classic 256 KiB message limit. A directory large
 * enough to exceed it needs recipients paged out of the message, not a bigger queue message.
 */
export const MAX_SNAPSHOT_BYTES = 256 * 1024;

/** Lifecycle state of a version read from Jira (null = 404, deleted). */
export const releaseStateOf = (version: VersionState | null): ReleaseSnapshot['state'] => {
  if (version === null) return 'deleted';
  if (version.archived) return 'archived';
  if (version.released) return 'released';
  return 'active';
};

/**
 * Enrich one release.changed: read the version fresh from Jira (404 → `deleted`), the project's
 * key, its contacts and send policy (default {@link DEFAULT_SEND_POLICY}), and emit one
 * release.snapshot to the schedule queue under the same key, carrying the trace and `readAt`
 * (the clock just before the Jira read, epoch ms).
 *
 * Recipients are the contacts neither opted out in the project nor globally (one
 * `isOptedOut` read per contact: fine for directories of hundreds of contacts per project),
 * each with its time zone (the contact's, else the policy's) and locale (the contact's, else the
 * policy's `defaultLocale`). A deleted version has
 * no recipients: there is nothing left to send, only schedules to cancel.
 *
 * Each external call runs in its own span (under the runner's record span, which is parented on
 * the envelope's traceparent) and under {@link withRetry}, bounded by the record's remaining time.
 * @throws ContractError when the message or the snapshot breaks its contract (permanent).
 * @throws PermanentError `snapshot_too_large` over {@link MAX_SNAPSHOT_BYTES}.
 */
export const processRecord = async (
  record: SQSRecord,
  ctx: RecordContext,
  deps: EnrichDeps,
): Promise<void> => {
  const incoming = parseJsonContract('release.changed', releaseChangedMessage, record.body);
  const change = incoming.payload;
  // The runner's failure logs use ctx.logger: give them the version too.
  ctx.logger = ctx.logger.child({ versionId: change.versionId, key: incoming.key });
  const { logger } = ctx;
  const retry: Retry = tracedRetry({ remainingTimeMs: ctx.remainingTimeMs, logger });

  // Taken before the read: whatever Jira answers is at least this fresh. The schedule stage
  // orders snapshots of one release by it (SQS may deliver an older one after a newer one).
  const readAt = deps.now().getTime();
  const [version, project] = await Promise.all([
    retry('jira.get_version', ({ signal }) => deps.jira.getVersion(change.versionId, { signal })),
    retry('jira.get_project', ({ signal }) => deps.jira.getProject(change.projectId, { signal })),
  ]);
  const projectKey = project.key;
  const state = releaseStateOf(version);
  const [policy, contacts] = await Promise.all([
    retry('directory.get_policy', () => deps.directory.getPolicy(projectKey)),
    state === 'deleted'
      ? Promise.resolve<Contact[]>([])
      : retry('directory.list_contacts', () => deps.directory.listContacts(projectKey)),
  ]);
  const effectivePolicy: SendPolicy = policy ?? DEFAULT_SEND_POLICY;
  const recipients = await recipientsOf(contacts, effectivePolicy, deps, retry);

  const payload: ReleaseSnapshot = {
    event: change.event,
    occurredAt: change.occurredAt,
    versionId: change.versionId,
    projectId: change.projectId,
    projectKey,
    state,
    version,
    readAt,
    policy: effectivePolicy,
    recipients,
  };
  const envelope = parseContract(
    'release.snapshot',
    releaseSnapshotMessage,
    wrap('release.snapshot', incoming.key, payload, currentTraceparent() ?? incoming.traceparent),
  );
  const body = JSON.stringify(envelope);
  const bytes = Buffer.byteLength(body);
  if (bytes > MAX_SNAPSHOT_BYTES) {
    throw new PermanentError(
      'snapshot_too_large',
      `release.snapshot of version ${change.versionId} is ${bytes} bytes with ${recipients.length} recipients; the limit is ${MAX_SNAPSHOT_BYTES}`,
    );
  }
  const target = queueName('schedule', 'main', deps.env);
  await retry('sqs.send', () => deps.queue.send(target, [{ body }]));
  logger.info({ projectKey, event: change.event, state, recipients: recipients.length }, 'release_enriched');
};

/** Contacts not opted out (in the project or globally) as schedulable recipients. */
const recipientsOf = async (
  contacts: readonly Contact[],
  policy: SendPolicy,
  deps: EnrichDeps,
  retry: Retry,
): Promise<ScheduledRecipient[]> => {
  const candidates = contacts.filter((c) => !c.optedOut);
  const optedOut = await mapLimit(candidates, deps.optOutConcurrency ?? 8, (c) =>
    retry('directory.is_opted_out', () => deps.directory.isOptedOut(c.email)),
  );
  return candidates
    .filter((_, i) => !optedOut[i])
    .map((c) => ({
      email: c.email,
      ...(c.name !== undefined ? { name: c.name } : {}),
      locale: c.locale ?? policy.defaultLocale,
      timeZone: c.timeZone ?? policy.timeZone,
      ...(c.audience !== undefined ? { audience: c.audience } : {}),
    }));
};
