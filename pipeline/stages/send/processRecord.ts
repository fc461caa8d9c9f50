import type { SQSRecord } from 'aws-lambda';
import type { DirectoryPort } from '#adapters/directory/DirectoryPort';
import type { LedgerPort } from '#adapters/ledger/LedgerPort';
import { type MailerPort, type OutgoingEmail, SesRejectedError } from '#adapters/mailer/MailerPort';
import { parseJsonContract } from '#contracts/errors';
import { type SendJob, sendJobMessage, sendKey } from '#contracts/sendJob';
import { SEND_TAG_NAME, sendTag, sesTagText } from '#contracts/sendTag';
import type { RecordContext } from '#retry/createSqsHandler';
import { isRetryable } from '#retry/isRetryable';
import { type TracedRetry as Retry, tracedRetry } from '#retry/tracedRetry';
import { OutOfTimeError } from '#retry/withRetry';
import { PermanentError, RetryableError } from '#shared/errors';
import { type Log, maskEmail } from '#shared/logger';
import type { SigningKeys } from '#shared/signingKeys';
import { singleLine } from '#shared/text';
import { withSpan } from '#shared/tracing';
import { unsubscribeUrl } from '#shared/unsubscribeToken';
import { localeStrings } from '#stages/shared/localeStrings';
import { fillPlaceholders } from './fillPlaceholders.ts';
import type { RateLimiter } from './rateLimiter.ts';
import { recordNotSent } from './recordNotSent.ts';
import { emailSendKey, prepareReviewEmail } from './reviewSend.ts';
import { stopAtGate, stopReviewAtDeadline } from './sendGate.ts';
import { type AmbiguityCause, settleAmbiguous } from './settleAmbiguous.ts';

/**
 * Time a record must still have before it claims an email, ms: the SES call (its client's
 * 10 s request timeout) plus the ledger write that records it. With less, the record goes back
 * to its queue unclaimed (an {@link OutOfTimeError}) for a fresh invocation.
 */
export const SEND_BUDGET_MS = 12_000;

/** What the send stage needs. */
export interface SendDeps {
  ledger: LedgerPort;
  mailer: MailerPort;
  directory: DirectoryPort;
  /** Clock for claim leases. */
  now: () => Date;
  /** From address of every email (SENDER_EMAIL, an SES verified identity). */
  senderEmail: string;
  /** Base of one-click unsubscribe links (UNSUBSCRIBE_BASE_URL). */
  unsubscribeBaseUrl: string;
  /** Keys that seal unsubscribe tokens (the first signs); their own secret, never the webhook's. Never logged. */
  signingKeys: SigningKeys;
  /** How long a send claim blocks other workers, seconds (SEND_LEASE_SECONDS). */
  leaseSeconds: number;
  /** Paces SES calls; default none. */
  rateLimiter?: RateLimiter | undefined;
  /**
   * Longest wait for SES's events of an email whose SendEmail outcome is unknown before it is
   * left to its lease (after an ambiguous error) or sent (after a takeover), ms
   * (SES_EVENT_WAIT_SECONDS × 1000). Default {@link DEFAULT_SES_EVENT_WAIT_MS}; always bounded
   * by the invocation's remaining time.
   */
  sesEventWaitMs?: number | undefined;
  /** Waits between ledger reads while waiting for SES's events. Default a timer. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

/** Default {@link SendDeps.sesEventWaitMs}, ms: SES publishes a Send event within seconds. */
export const DEFAULT_SES_EVENT_WAIT_MS = 10_000;

/** Time kept back after waiting for SES's events, for the ledger writes that follow, ms. */
const SETTLE_MARGIN_MS = 2_000;

/**
 * True only for SES's content-level verdict on this email (MessageRejected: a virus, a
 * blocked address): the one permanent failure recorded as a final rejection. Every other
 * permanent failure (a bad request, a malformed email, the account) says nothing about the
 * recipient and must stay redrivable, so it goes to the DLQ with its claim given back.
 */
const isContentRejection = (err: unknown): err is SesRejectedError =>
  err instanceof SesRejectedError && err.reason === 'ses_rejected' && err.scope === 'message';

/** A tag value SES accepts, never empty (the mailer drops empty tags). */
const tagValue = (value: string): string => sesTagText(value) || '_';

/**
 * Send one send.job, exactly once per (release, point, recipient):
 * opted out everywhere, or in the project → `recipient_opted_out`; no longer a contact of the
 * project → `recipient_removed` (the job was planned before the directory changed); both are
 * recorded on the email's send row (`opted_out` / `removed`, {@link recordNotSent}); claim the
 * send key in the ledger (already sent or rejected → `email_duplicate_skipped`; another
 * worker's lease → RetryableError, the backoff retries after it); read the draft, fill the
 * recipient's name and unsubscribe link, send with SES, record it.
 *
 * Outcomes of the SES call:
 * - accepted → `markSent`, `email_sent`; accepted without a MessageId (`messageId: undefined`) →
 *   `markSent` with the placeholder id `unknown:<ISO time>`, `email_message_id_missing` (warn):
 *   SES took it, so it must never be sent again;
 * - SES's content-level rejection (`ses_rejected`, scope `message`) → `markRejected`,
 *   `email_rejected`, and the record succeeds: the rejection is recorded, never retried;
 * - any other PermanentError (`ses_bad_request`, `email_invalid`, a refusal of the whole account:
 *   sending paused, account suspended) → the claim is given back and the error rethrown, so the
 *   message waits in the DLQ for a redrive once a person fixes the cause (`email_send_blocked`);
 * - RetryableError (throttled or an SES fault: SES did not take the email) → the claim is
 *   given back and the error rethrown, so the redelivery sends it;
 * - anything else (SesAmbiguousError: a 5xx, a timeout, a connection dropped after the request
 *   left) → SES may have accepted the email: the claim is kept and marked `ambiguous`
 *   (`email_send_outcome_unknown`), and SES's own events decide (see below); with none within
 *   the wait the error is rethrown and the lease keeps everyone else off.
 *
 * Every email carries the SES message tag `herald-send` = `sendTag(sendKey)`; the feedback stage
 * records SES's Send, Delivery, Bounce, Complaint, Reject and DeliveryDelay events under it in the
 * ledger. Before anything sends an email whose earlier SendEmail may have reached SES (after an
 * ambiguous error, or when it takes over an expired claim), it reads those events, waiting up to
 * `sesEventWaitMs` (SES_EVENT_WAIT_SECONDS): SES accepted it → `markSent` with SES's message id,
 * `email_send_resolved`; only rejected → `markRejected`; nothing → a takeover sends, an ambiguous
 * holder leaves it to the lease. So an email is sent twice only if SES accepted it and its Send
 * event reached the ledger later than the lease (SEND_LEASE_SECONDS) after that SendEmail.
 *
 * The SES call is not retried in-call: only a claim holder may send, and a retry of an ambiguous
 * failure is exactly the duplicate the ledger exists to prevent.
 * @throws ContractError when the message breaks its contract (permanent).
 * @throws PermanentError `draft_missing` when the ledger has no draft under the job's key.
 */
export const processRecord = async (record: SQSRecord, ctx: RecordContext, deps: SendDeps): Promise<void> => {
  const incoming = parseJsonContract('send.job', sendJobMessage, record.body);
  const job = incoming.payload;
  const logger = ctx.logger.child({
    versionId: job.versionId,
    pointId: job.pointId,
    draftKey: job.draftKey,
    to: maskEmail(job.recipient.email),
  });
  const retry: Retry = tracedRetry({ remainingTimeMs: ctx.remainingTimeMs, logger });

  await withSpan('send.record', async () => {
    const review = job.kind === 'review';
    // A review email goes to an approver of the policy, not a contact: no opt-out, no release gate.
    const stop = review ? stopReviewAtDeadline : stopForRecipient;
    if (await stop(job, { ...deps, logger }, retry)) return;
    // Claim only when the SES call and the ledger write after it fit in what is left: a send
    // whose result cannot be recorded is the one path to a duplicate.
    const left = ctx.remainingTimeMs();
    if (left < SEND_BUDGET_MS) throw new OutOfTimeError('send.email', left, SEND_BUDGET_MS);
    const key = emailSendKey(job);
    const s: EmailSend = {
      job,
      key,
      tag: sendTag(key),
      deps,
      retry,
      logger,
      remainingTimeMs: ctx.remainingTimeMs,
    };
    const claim = await claimEmail(s);
    if (claim === undefined) return;
    // A taken-over claim's holder may have reached SES before it died: ask SES's events first.
    // Its SendEmail began at least a lease ago, so SES has had that long to publish them.
    if (claim.takenOver && (await settle(s, 'claim_taken_over', SEND_BUDGET_MS))) return;

    let outgoing: OutgoingEmail;
    try {
      outgoing = review ? await prepareReviewEmail(job, deps, retry) : await prepareEmail(job, deps, retry);
    } catch (err) {
      await giveBackClaim(s);
      throw err;
    }

    const messageId = await sendClaimed(s, outgoing);
    if (messageId === undefined) return;
    await recordSent(s, messageId);
    logger.info({ messageId, draftSource: outgoing.headers['X-Herald-Draft-Source'] }, 'email_sent');
  });
};

/** One email past its gates: its send key and SES tag, the record's ports, retry, logger and time. */
interface EmailSend {
  job: SendJob;
  key: string;
  /** `sendTag(key)`: the SES message tag its events come back under. */
  tag: string;
  deps: SendDeps;
  retry: Retry;
  logger: Log;
  remainingTimeMs: () => number;
}

/**
 * Claims the email's send key: the claim when this worker may send, undefined when it was already
 * sent or rejected (`email_duplicate_skipped`); another worker's lease → RetryableError, the
 * backoff retries after it.
 */
const claimEmail = async (s: EmailSend): Promise<{ takenOver?: boolean } | undefined> => {
  const { deps, job } = s;
  const now = deps.now().getTime();
  const claim = await s.retry('ledger.claim_send', () =>
    deps.ledger.claimSend(s.key, { leaseSeconds: deps.leaseSeconds, now, sesTag: s.tag }),
  );
  switch (claim.status) {
    case 'sent':
    case 'rejected':
      s.logger.info({ status: claim.status }, 'email_duplicate_skipped');
      return undefined;
    case 'in_progress': {
      const waitSeconds = Math.max(1, Math.ceil((claim.leaseExpiresAt - now) / 1000));
      throw new RetryableError(
        `send of version ${job.versionId} point ${job.pointId} is claimed by another worker for ${waitSeconds} s`,
        { retryAfterSeconds: waitSeconds },
      );
    }
    case 'claimed':
      return claim;
  }
};

/**
 * Settles the email from SES's events ({@link settleAmbiguous}), waiting at most
 * `sesEventWaitMs` and what the record has left after `reserveMs`. True when it must not be sent.
 */
const settle = (s: EmailSend, cause: AmbiguityCause, reserveMs: number): Promise<boolean> => {
  const { deps } = s;
  const waitMs = Math.max(
    0,
    Math.min(deps.sesEventWaitMs ?? DEFAULT_SES_EVENT_WAIT_MS, s.remainingTimeMs() - reserveMs),
  );
  return settleAmbiguous({
    ledger: deps.ledger,
    sendKey: s.key,
    sesTag: s.tag,
    cause,
    waitMs,
    retry: s.retry,
    logger: s.logger,
    now: () => deps.now().getTime(),
    sleep: deps.sleep,
  });
};

/** Gives the send claim back early, so a redelivery may take it. */
const giveBackClaim = async (s: EmailSend): Promise<void> => {
  try {
    await s.retry('ledger.give_back_send_claim', () => s.deps.ledger.giveBackSendClaim(s.key));
  } catch (err) {
    // The lease still expires on its own; the caller's error is the one that matters.
    s.logger.error({ err }, 'send_claim_give_back_failed');
  }
};

/**
 * The SES call of a claimed email (see {@link processRecord} for its outcomes): resolves to the
 * message id to record, or undefined when the email is settled otherwise (rejected, or sent as
 * SES's events say); rethrows what the ladder must retry or dead-letter.
 */
const sendClaimed = async (s: EmailSend, outgoing: OutgoingEmail): Promise<string | undefined> => {
  const { deps, logger } = s;
  await deps.rateLimiter?.acquire();
  try {
    const accepted = await withSpan('mailer.send', () => deps.mailer.send(outgoing));
    // SES took it without naming an id: recorded as sent all the same (a redelivery must not
    // send it again) under a placeholder id; feedback events cannot be matched to it.
    const messageId = accepted.messageId ?? `unknown:${deps.now().toISOString()}`;
    if (accepted.messageId === undefined) logger.warn({ messageId }, 'email_message_id_missing');
    return messageId;
  } catch (err) {
    if (isContentRejection(err)) {
      await s.retry('ledger.mark_rejected', () => deps.ledger.markRejected(s.key, err.reason));
      logger.warn({ reason: err.reason, err }, 'email_rejected');
      return undefined;
    }
    if (err instanceof PermanentError) {
      // Not a verdict on this recipient (a malformed request or email, sending paused, the
      // account suspended): give the claim back and dead-letter the job, so a DLQ redrive
      // after a person fixes the cause sends it. A rejected row would block that redrive.
      await giveBackClaim(s);
      const scope = err instanceof SesRejectedError ? err.scope : undefined;
      logger.error({ reason: err.reason, scope, err }, 'email_send_blocked');
      throw err;
    }
    if (err instanceof RetryableError) {
      // Throttled: SES did not take the email, so nobody holds it; the redelivery sends.
      await giveBackClaim(s);
      throw err;
    }
    // SES may have accepted it: keep the claim as `ambiguous` and wait for SES's events; with
    // none yet, the lease decides (the takeover asks the events again before sending).
    logger.error({ err, leaseSeconds: deps.leaseSeconds, state: 'ambiguous' }, 'email_send_outcome_unknown');
    await s
      .retry('ledger.mark_ambiguous', () => deps.ledger.markAmbiguous(s.key))
      .catch((markErr: unknown) => {
        logger.error({ err: markErr }, 'send_mark_ambiguous_failed');
      });
    if (await settle(s, 'ses_error', SETTLE_MARGIN_MS)) return undefined;
    throw err;
  }
};

/**
 * Enrich filtered the recipients when the release was planned; the directory may have changed
 * since (an unsubscribe, a contact removed or opted out in the project); then the release gate
 * ({@link stopAtGate}). True when the email must not go out (the record succeeds).
 */
const stopForRecipient = async (
  job: SendJob,
  deps: SendDeps & { logger: Log },
  retry: Retry,
): Promise<boolean> => {
  const email = job.recipient.email;
  const [optedOutEverywhere, contact] = await Promise.all([
    retry('directory.is_opted_out', () => deps.directory.isOptedOut(email)),
    retry('directory.get_contact', () => deps.directory.getContact(job.projectKey, email)),
  ]);
  // Both are recorded on the email's send row (`opted_out` / `removed`): herald report counts them.
  if (optedOutEverywhere || contact?.optedOut) {
    const scope = optedOutEverywhere ? 'global' : 'project';
    deps.logger.info({ scope }, 'recipient_opted_out');
    await recordNotSent(job, { status: 'opted_out', reason: `opted_out_${scope}` }, deps.ledger, retry);
    return true;
  }
  if (contact === null) {
    deps.logger.info({ projectKey: job.projectKey }, 'recipient_removed');
    await recordNotSent(job, { status: 'removed', reason: 'not_a_contact' }, deps.ledger, retry);
    return true;
  }
  // Past the point's deadline, or the release deleted or moved since compose: record, never send.
  return stopAtGate(job, deps, retry);
};

/** Reads the draft and fills it in for the job's recipient. */
const prepareEmail = async (job: SendJob, deps: SendDeps, retry: Retry): Promise<OutgoingEmail> => {
  const draft = await retry('ledger.get_draft', () => deps.ledger.getDraft(job.draftKey));
  if (!draft) {
    throw new PermanentError(
      'draft_missing',
      `no draft ${job.draftKey} in the ledger for version ${job.versionId} point ${job.pointId}`,
    );
  }
  const url = unsubscribeUrl(deps.unsubscribeBaseUrl, deps.signingKeys, {
    projectKey: job.projectKey,
    email: job.recipient.email,
  });
  const values = {
    name: job.recipient.name?.trim() || localeStrings(draft.locale).neutralName,
    unsubscribeUrl: url,
  };
  return {
    from: deps.senderEmail,
    to: job.recipient.email,
    subject: singleLine(draft.subject),
    html: fillPlaceholders(draft.html, values, 'html'),
    text: fillPlaceholders(draft.text, values, 'text'),
    headers: {
      'List-Unsubscribe': `<${url}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-Herald-Release': singleLine(job.versionId),
      'X-Herald-Point': singleLine(job.pointId),
      'X-Herald-Draft-Source': draft.source,
    },
    tags: {
      [SEND_TAG_NAME]: sendTag(sendKey(job, job.recipient.email)),
      project: tagValue(job.projectKey),
      version: tagValue(job.versionId),
      point: tagValue(job.pointId),
    },
    // From the draft, so what a reviewer saw is what goes out (see EmailDraft.fromName).
    ...(draft.fromName ? { fromName: singleLine(draft.fromName) } : {}),
    ...(draft.replyTo ? { replyTo: draft.replyTo } : {}),
  };
};

/** Marks the send done; a failure here is the crash window, so it is logged with the message id. */
const recordSent = async (s: EmailSend, messageId: string): Promise<void> => {
  const { ledger, leaseSeconds } = s.deps;
  try {
    // The first attempt always runs, whatever time is left: SES has the email, and a skipped
    // write would let the lease expire into a second send. Only further attempts are bounded.
    await withSpan('ledger.mark_sent', () => ledger.markSent(s.key, messageId)).catch((err: unknown) => {
      if (!isRetryable(err)) throw err;
      return s.retry('ledger.mark_sent', () => ledger.markSent(s.key, messageId));
    });
  } catch (err) {
    s.logger.error({ err, messageId, leaseSeconds }, 'email_sent_unrecorded');
    throw err;
  }
};
