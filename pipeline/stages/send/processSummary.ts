import type { SQSRecord } from 'aws-lambda';
import type { DirectoryPort } from '#adapters/directory/DirectoryPort';
import type { DeliveryRecordsPort } from '#adapters/ledger/DeliveryRecordsPort';
import type { LedgerPort } from '#adapters/ledger/LedgerPort';
import type { MailerPort } from '#adapters/mailer/MailerPort';
import type { QueuePort } from '#adapters/queue/QueuePort';
import { parseJsonContract } from '#contracts/errors';
import { pointOutcomeKey } from '#contracts/pointOutcomeKey';
import { type PointSummaryJob, pointSummaryMessage } from '#contracts/pointSummary';
import { SEND_TAG_NAME, sendTag } from '#contracts/sendTag';
import type { RecordContext } from '#retry/createSqsHandler';
import { peekEnvelope } from '#retry/peekEnvelope';
import { type TracedRetry as Retry, tracedRetry } from '#retry/tracedRetry';
import { PermanentError, RetryableError } from '#shared/errors';
import { type Log, maskEmail } from '#shared/logger';
import { type ReleaseReportDeps, readReleaseReport } from '#shared/report/readReleaseReport';
import { withSpan } from '#shared/tracing';
import { queueName } from '#topology/topology';
import { summaryEmail } from './summaryEmail.ts';

/** Default {@link SummaryDeps.recheckSeconds}. */
export const DEFAULT_SUMMARY_RECHECK_SECONDS = 60;

/** Default {@link SummaryDeps.settleWithinSeconds}: 15 minutes, SQS's longest delay. */
export const DEFAULT_SUMMARY_SETTLE_SECONDS = 900;

/** What {@link processSummary} needs. */
export interface SummaryDeps {
  ledger: Pick<
    LedgerPort,
    'getDraft' | 'claimSend' | 'markSent' | 'giveBackSendClaim' | 'markAmbiguous' | 'getSesEvents'
  >;
  records: Pick<DeliveryRecordsPort, 'readRelease' | 'readEmails'>;
  /** The points' approval records (review before send): held drafts in the summary. Default none. */
  approvals?: ReleaseReportDeps['approvals'];
  /** The owners (policy `notify`), and the check that none of them is a client of the project. */
  directory: Pick<DirectoryPort, 'getPolicy' | 'getContact' | 'isOptedOut'>;
  mailer: MailerPort;
  /** The send queue, where a summary not settled yet waits again. */
  queue: QueuePort;
  now: () => Date;
  senderEmail: string;
  /** Lease of a summary's claim, seconds (SEND_LEASE_SECONDS). */
  leaseSeconds: number;
  env?: string | undefined;
  /** Wait between looks at a point not settled yet, seconds (1..900). Default {@link DEFAULT_SUMMARY_RECHECK_SECONDS}. */
  recheckSeconds?: number | undefined;
  /** Longest wait after the fan-out before the summary goes out unsettled, seconds. Default {@link DEFAULT_SUMMARY_SETTLE_SECONDS}. */
  settleWithinSeconds?: number | undefined;
}

/** True when a send queue message is a point.summary (else it is a send.job). */
export const isPointSummary = (body: string): boolean =>
  peekEnvelope(body)?.envelope.kind === 'point.summary';

/** The ledger key of one owner's summary of one point in one zone (a send row like any email's). */
export const summarySendKey = (job: PointSummaryJob, owner: string): string =>
  `summary:${pointOutcomeKey(job)}:${owner}`;

/**
 * Handles one point.summary (queued delayed by compose with each chunk it fans out): reads the
 * point's report in this zone from the ledger; while a chunk is not fanned out or an email not
 * settled (see `isSettled`), and less than `settleWithinSeconds` passed since the fan-out, puts
 * itself back on the send queue `recheckSeconds` later (`summary_waiting`). Then emails the
 * owners (policy `notify`; an address that is a contact of the project is never sent to,
 * `summary_owner_is_client`; one opted out everywhere, e.g. after a bounce, neither:
 * `summary_owner_opted_out`), each once: the email's send row `summary:<point>:<zone>:<owner>` is
 * claimed like a client email's, so duplicates, other chunks' summaries and redeliveries find it
 * sent (`summary_duplicate_skipped`).
 */
export const processSummary = async (
  record: SQSRecord,
  ctx: RecordContext,
  deps: SummaryDeps,
): Promise<void> => {
  const incoming = parseJsonContract('point.summary', pointSummaryMessage, record.body);
  const job = incoming.payload;
  const logger = ctx.logger.child({ versionId: job.versionId, pointId: job.pointId, timeZone: job.timeZone });
  const retry = tracedRetry({ remainingTimeMs: ctx.remainingTimeMs, logger });
  await withSpan('send.summary', async () => {
    const policy = await retry('directory.get_policy', () => deps.directory.getPolicy(job.projectKey));
    const owners = [...new Set(policy?.notify ?? [])];
    if (owners.length === 0) {
      logger.info({ reason: 'no_owners' }, 'summary_skipped');
      return;
    }
    const report = await readReleaseReport({ ...deps, now: deps.now }, job.versionId, {
      pointId: job.pointId,
      releaseDate: job.releaseDate,
      timeZone: job.timeZone,
    });
    const point = report.points[0];
    const zone = point?.zones.find((z) => z.timeZone === job.timeZone);
    const chunks = { fannedOut: zone?.chunks.fannedOut ?? 0, count: job.chunkCount };
    const settled = point?.settled === true && chunks.fannedOut >= chunks.count;
    const leftMs =
      Date.parse(job.fannedOutAt) +
      (deps.settleWithinSeconds ?? DEFAULT_SUMMARY_SETTLE_SECONDS) * 1000 -
      deps.now().getTime();
    if (!settled && leftMs > 0) {
      const delaySeconds = Math.min(
        deps.recheckSeconds ?? DEFAULT_SUMMARY_RECHECK_SECONDS,
        Math.ceil(leftMs / 1000),
        900,
      );
      await retry('sqs.send', () =>
        deps.queue.send(queueName('send', 'main', deps.env ?? ''), [{ body: record.body, delaySeconds }]),
      );
      logger.info({ delaySeconds, pending: point?.totals.pending ?? 0, chunks }, 'summary_waiting');
      return;
    }
    if (point === undefined) {
      logger.warn({ reason: 'nothing_fanned_out' }, 'summary_skipped');
      return;
    }
    const content = summaryEmail({ report, point, timeZone: job.timeZone, settled, chunks });
    for (const owner of owners) {
      if (
        (await retry('directory.get_contact', () => deps.directory.getContact(job.projectKey, owner))) !==
        null
      ) {
        logger.warn({ owner: maskEmail(owner) }, 'summary_owner_is_client');
        continue;
      }
      // An owner address that bounced or complained (feedback opted it out) gets nothing more.
      if (await retry('directory.is_opted_out', () => deps.directory.isOptedOut(owner))) {
        logger.warn({ owner: maskEmail(owner) }, 'summary_owner_opted_out');
        continue;
      }
      await sendOnce({ key: summarySendKey(job, owner), owner, content, job }, deps, retry, logger);
    }
  });
};

/** One owner's summary email and its send key (`summarySendKey`). */
interface OwnerSummary {
  key: string;
  owner: string;
  content: ReturnType<typeof summaryEmail>;
  job: PointSummaryJob;
}

/** Sends one owner's summary under its ledger claim. */
const sendOnce = async (email: OwnerSummary, deps: SummaryDeps, retry: Retry, logger: Log): Promise<void> => {
  const { key } = email;
  const tag = sendTag(key);
  const now = deps.now().getTime();
  const claim = await retry('ledger.claim_send', () =>
    deps.ledger.claimSend(key, { leaseSeconds: deps.leaseSeconds, now, sesTag: tag }),
  );
  if (claim.status === 'sent' || claim.status === 'rejected') {
    logger.info({ owner: maskEmail(email.owner), status: claim.status }, 'summary_duplicate_skipped');
    return;
  }
  if (claim.status === 'in_progress') {
    throw new RetryableError(`the summary of ${key} is claimed by another worker`, {
      retryAfterSeconds: Math.max(1, Math.ceil((claim.leaseExpiresAt - now) / 1000)),
    });
  }
  if (claim.takenOver) {
    // The holder may have reached SES before it died: SES's events say.
    const events = await retry('ledger.get_ses_events', () => deps.ledger.getSesEvents(tag));
    if (events?.events.Send !== undefined || events?.events.Delivery !== undefined) {
      await retry('ledger.mark_sent', () => deps.ledger.markSent(key, events.messageId));
      return;
    }
  }
  let messageId: string;
  try {
    const accepted = await withSpan('mailer.send', () =>
      deps.mailer.send({
        from: deps.senderEmail,
        to: email.owner,
        ...email.content,
        headers: { 'X-Herald-Release': email.job.versionId, 'X-Herald-Summary': email.job.pointId },
        tags: { [SEND_TAG_NAME]: tag },
        fromName: 'release-herald',
      }),
    );
    // SES answered 200 without an id: it has the email, which must never go again.
    messageId = accepted.messageId ?? `unknown:${deps.now().toISOString()}`;
  } catch (err) {
    if (err instanceof RetryableError || err instanceof PermanentError) {
      // SES did not take it: give the claim back for the retry ladder (or the DLQ).
      await retry('ledger.give_back_send_claim', () => deps.ledger.giveBackSendClaim(key));
    } else {
      // SES may have taken it: keep the claim; the lease and SES's events decide.
      await retry('ledger.mark_ambiguous', () => deps.ledger.markAmbiguous(key));
    }
    throw err;
  }
  await retry('ledger.mark_sent', () => deps.ledger.markSent(key, messageId));
  logger.info({ owner: maskEmail(email.owner), messageId }, 'summary_sent');
};
