import { describe, expect, it } from 'vitest';
import { InvalidEmailError, SesRejectedError } from '#adapters/mailer/errors';
import { SesAmbiguousError } from '#adapters/mailer/SesAmbiguousError';
import { DRAFT_PLACEHOLDERS, type EmailDraft } from '#contracts/emailDraft';
import { ContractError } from '#contracts/errors';
import { type SendJob, sendKey } from '#contracts/sendJob';
import { sendTag } from '#contracts/sendTag';
import { isRetryable } from '#retry/isRetryable';
import { OutOfTimeError } from '#retry/withRetry';
import { PermanentError, RetryableError } from '#shared/errors';
import { openUnsubscribeToken } from '#shared/unsubscribeToken';
import { renderEmail } from '#stages/compose/renderEmail';
import { processRecord, SEND_BUDGET_MS } from '#stages/send/processRecord';
import type { RateLimiter } from '#stages/send/rateLimiter';
import { FakeDirectory } from '#test/factories/FakeDirectory';
import { FakeLedger } from '#test/factories/FakeLedger';
import { llmEmail } from '#test/factories/FakeLlm';
import { envelopeRecord, sqsRecord } from '#test/factories/lambda';
import { memoryLogger } from '#test/factories/memoryLogger';
import { recordContext } from '#test/factories/recordContext';
import { FakeMailer, SEND_SETTINGS, sendDeps } from './fakes.ts';

const KEYS = SEND_SETTINGS.signingKeys;
const NOW = new Date('2026-12-14T08:00:10.000Z');
const DRAFT_KEY = 'draft:10042:b1d0h0m0900@2026-12-15:en';

const job = (overrides: Partial<SendJob> = {}): SendJob => ({
  versionId: '10042',
  projectKey: 'BILL',
  pointId: 'b1d0h0m0900',
  releaseDate: '2026-12-15',
  draftKey: DRAFT_KEY,
  recipient: { email: 'ada@example.com', name: 'Ada <Lovelace> & Co', locale: 'en' },
  ...overrides,
});

const draft = (overrides: Partial<EmailDraft> = {}): EmailDraft => ({
  key: DRAFT_KEY,
  source: 'llm',
  model: 'gpt-test',
  locale: 'en',
  ...renderEmail(llmEmail(['BILL-1']), {
    projectName: 'Billing',
    versionName: 'Billing 2.4',
    releaseDate: '2026-12-15',
    siteUrl: 'https://acme.example.net',
    locale: 'en',
  }),
  issueKeys: ['BILL-1'],
  createdAt: '2026-12-14T08:00:00.000Z',
  ...overrides,
});

/** The recipient of `job()`, a contact of BILL. */
const ADA = { email: 'ada@example.com', optedOut: false };

const harness = () => {
  const ledger = new FakeLedger();
  ledger.drafts.set(DRAFT_KEY, draft());
  const mailer = new FakeMailer();
  const directory = new FakeDirectory();
  directory.contacts.set('BILL', [ADA]);
  const log = memoryLogger();
  let acquired = 0;
  /** Every wait between reads of SES's events, ms. */
  const slept: number[] = [];
  const rateLimiter: RateLimiter = {
    acquire: async () => {
      acquired += 1;
    },
  };
  const deps = sendDeps({
    ledger,
    mailer,
    directory,
    now: () => NOW,
    rateLimiter,
    sleep: async (ms) => {
      slept.push(ms);
    },
  });
  const run = (j: SendJob = job()) =>
    processRecord(
      envelopeRecord('send.job', sendKey(j, j.recipient.email), j),
      recordContext(log.logger, 60_000),
      deps,
    );
  return { ledger, mailer, directory, log, deps, run, slept, acquired: () => acquired };
};

const KEY = sendKey(job(), 'ada@example.com');

describe('Function: processRecord (send)', () => {
  it('sends the draft once, filled in for the recipient, and records it', async () => {
    // Arrange
    const h = harness();

    // Act
    await h.run();

    // Assert
    expect(h.mailer.sent).toHaveLength(1);
    const email = h.mailer.sent[0];
    expect(email).toMatchObject({
      from: 'releases@example.com',
      to: 'ada@example.com',
      subject: 'Billing 2.4 arrives tomorrow',
      tags: { 'herald-send': sendTag(KEY), project: 'BILL', version: '10042', point: 'b1d0h0m0900' },
    });
    expect(email?.html).toContain('Hi Ada &lt;Lovelace&gt; &amp; Co,');
    expect(email?.text).toContain('Hi Ada <Lovelace> & Co,');
    for (const part of [email?.html, email?.text]) {
      expect(part).not.toContain(DRAFT_PLACEHOLDERS.name);
      expect(part).not.toContain(DRAFT_PLACEHOLDERS.unsubscribeUrl);
    }
    expect(h.ledger.sends.get(KEY)).toEqual({ status: 'sent', messageId: 'ses-1' });
    expect(h.acquired()).toBe(1);
    expect(h.log.events('email_sent')).toEqual([
      expect.objectContaining({ messageId: 'ses-1', to: 'a***@e***.com' }),
    ]);
    expect(JSON.stringify(h.log.lines)).not.toContain('ada@example.com');
  });

  it("sends From the draft's display name and Reply-To, the envelope sender unchanged", async () => {
    // Arrange
    const h = harness();
    h.ledger.drafts.set(DRAFT_KEY, draft({ fromName: 'Billing releases', replyTo: 'accounts@example.com' }));

    // Act
    await h.run();

    // Assert
    expect(h.mailer.sent[0]).toMatchObject({
      from: 'releases@example.com',
      fromName: 'Billing releases',
      replyTo: 'accounts@example.com',
    });
  });

  it('sends a draft written before sender identities from the bare sender address', async () => {
    // Arrange: the default draft() has neither field.
    const h = harness();

    // Act
    await h.run();

    // Assert
    expect(h.mailer.sent[0]?.from).toBe('releases@example.com');
    expect(h.mailer.sent[0]).not.toHaveProperty('fromName');
    expect(h.mailer.sent[0]).not.toHaveProperty('replyTo');
  });

  it('sets the unsubscribe headers and link to a verifiable one-click URL', async () => {
    // Arrange
    const h = harness();

    // Act
    await h.run();

    // Assert
    const email = h.mailer.sent[0];
    const header = email?.headers['List-Unsubscribe'] ?? '';
    expect(header).toMatch(/^<https:\/\/hooks\.example\.com\/unsubscribe\?.+>$/);
    const url = new URL(header.slice(1, -1));
    // Opaque: the link carries only the sealed token, which opens to this project and address.
    expect([...url.searchParams.keys()]).toEqual(['t']);
    expect(header).not.toContain('ada');
    expect(openUnsubscribeToken(KEYS, url.searchParams.get('t') ?? '')).toEqual({
      projectKey: 'BILL',
      email: 'ada@example.com',
    });
    expect(email?.headers).toEqual({
      'List-Unsubscribe': header,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-Herald-Release': '10042',
      'X-Herald-Point': 'b1d0h0m0900',
      'X-Herald-Draft-Source': 'llm',
    });
    expect(email?.text).toContain(`Unsubscribe: ${url.toString()}`);
    expect(email?.html).toContain(`href="${url.toString().replaceAll('&', '&amp;')}"`);
  });

  it('greets with the neutral word of the draft’s language when the recipient has no name', async () => {
    // Arrange
    const h = harness();

    // Act
    await h.run(job({ recipient: { email: 'ada@example.com', locale: 'en' } }));

    // Assert
    expect(h.mailer.sent[0]?.text).toContain('Hi there,');
  });

  it('records an email SES accepted even when too little time is left for a retry', async () => {
    // Arrange: plenty of time before the SES call, 3 s after it (below withRetry's budget).
    const h = harness();
    const j = job();
    const ctx = {
      ...recordContext(h.log.logger, 60_000),
      remainingTimeMs: () => (h.mailer.sent.length > 0 ? 3_000 : 20_000),
    };

    // Act
    await processRecord(envelopeRecord('send.job', sendKey(j, j.recipient.email), j), ctx, h.deps);

    // Assert
    expect(h.mailer.sent).toHaveLength(1);
    expect(h.ledger.sends.get(KEY)).toEqual({ status: 'sent', messageId: 'ses-1' });
    expect(h.log.events('email_sent_unrecorded')).toEqual([]);
  });

  it('claims nothing and sends nothing when the SES call and its record would not fit in the time left', async () => {
    // Arrange
    const h = harness();
    const j = job();
    const ctx = { ...recordContext(h.log.logger, 60_000), remainingTimeMs: () => SEND_BUDGET_MS - 1 };

    // Act
    const act = processRecord(envelopeRecord('send.job', sendKey(j, j.recipient.email), j), ctx, h.deps);

    // Assert
    await expect(act).rejects.toBeInstanceOf(OutOfTimeError);
    expect(h.mailer.sent).toHaveLength(0);
    expect(h.ledger.sends.has(KEY)).toBe(false);
  });

  it('skips a duplicate job once the email was sent', async () => {
    // Arrange
    const h = harness();
    await h.run();

    // Act
    await h.run();

    // Assert
    expect(h.mailer.sent).toHaveLength(1);
    expect(h.log.events('email_duplicate_skipped')).toEqual([expect.objectContaining({ status: 'sent' })]);
  });

  it('skips an email that was rejected before', async () => {
    // Arrange
    const h = harness();
    h.ledger.sends.set(KEY, { status: 'rejected', reason: 'ses_rejected' });

    // Act
    await h.run();

    // Assert
    expect(h.mailer.sent).toHaveLength(0);
    expect(h.log.events('email_duplicate_skipped')).toEqual([
      expect.objectContaining({ status: 'rejected' }),
    ]);
  });

  it('never sends to an opted-out recipient records it, and claims nothing', async () => {
    // Arrange
    const h = harness();
    await h.directory.optOut('ada@example.com', 'complaint');

    // Act
    await h.run();

    // Assert
    expect(h.mailer.sent).toHaveLength(0);
    // Recorded as not sent (the report counts it), never claimed: the one ledger call.
    expect(h.ledger.calls).toEqual([`recordSendOutcome:${sendKey(job(), 'ada@example.com')}`]);
    expect(h.ledger.outcomes.get(`send#${sendKey(job(), 'ada@example.com')}`)).toMatchObject({
      status: 'opted_out',
      reason: 'opted_out_global',
    });
    expect(h.log.events('recipient_opted_out')).toEqual([expect.objectContaining({ scope: 'global' })]);
  });

  it('re-reads the recipient’s contact in the job’s project before sending', async () => {
    // Arrange
    const h = harness();

    // Act
    await h.run();

    // Assert
    expect(h.directory.checked).toEqual(
      expect.arrayContaining(['isOptedOut:ada@example.com', 'getContact:BILL:ada@example.com']),
    );
    expect(h.mailer.sent).toHaveLength(1);
  });

  it('skips a recipient opted out in the project only, records it, and claims nothing', async () => {
    // Arrange: enrich planned the release before the contact opted out of this project.
    const h = harness();
    await h.directory.putContact('BILL', { ...ADA, optedOut: true });

    // Act
    await h.run();

    // Assert
    expect(h.mailer.sent).toHaveLength(0);
    // Recorded as not sent (the report counts it), never claimed: the one ledger call.
    expect(h.ledger.calls).toEqual([`recordSendOutcome:${sendKey(job(), 'ada@example.com')}`]);
    expect(h.ledger.outcomes.get(`send#${sendKey(job(), 'ada@example.com')}`)).toMatchObject({
      status: 'opted_out',
      reason: 'opted_out_project',
    });
    expect(h.log.events('recipient_opted_out')).toEqual([expect.objectContaining({ scope: 'project' })]);
  });

  it('skips a recipient removed from the project since the release was planned, records it, and claims nothing', async () => {
    // Arrange
    const h = harness();
    await h.directory.removeContact('BILL', 'ada@example.com');

    // Act
    await h.run();

    // Assert
    expect(h.mailer.sent).toHaveLength(0);
    // Recorded as not sent (the report counts it), never claimed: the one ledger call.
    expect(h.ledger.calls).toEqual([`recordSendOutcome:${sendKey(job(), 'ada@example.com')}`]);
    expect(h.ledger.outcomes.get(`send#${sendKey(job(), 'ada@example.com')}`)).toMatchObject({
      status: 'removed',
      reason: 'not_a_contact',
    });
    expect(h.log.events('recipient_removed')).toEqual([expect.objectContaining({ projectKey: 'BILL' })]);
    expect(h.log.events('recipient_opted_out')).toEqual([]);
    expect(JSON.stringify(h.log.lines)).not.toContain('ada@example.com');
  });

  it('still sends to a contact of the job’s project when another project removed them', async () => {
    // Arrange
    const h = harness();
    await h.directory.putContact('OPS', ADA);
    await h.directory.removeContact('OPS', 'ada@example.com');

    // Act
    await h.run();

    // Assert
    expect(h.mailer.sent).toHaveLength(1);
  });

  it('throws a RetryableError while another worker holds the claim', async () => {
    // Arrange
    const h = harness();
    h.ledger.sends.set(KEY, { status: 'in_progress', leaseExpiresAt: NOW.getTime() + 30_000 });

    // Act
    const error = await h.run().catch((err: unknown) => err);

    // Assert
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as RetryableError).retryAfterSeconds).toBe(30);
    expect(h.mailer.sent).toHaveLength(0);
    expect(h.ledger.sends.get(KEY)).toEqual({
      status: 'in_progress',
      leaseExpiresAt: NOW.getTime() + 30_000,
    });
  });

  it('takes over a claim whose lease expired', async () => {
    // Arrange
    const h = harness();
    h.ledger.sends.set(KEY, { status: 'in_progress', leaseExpiresAt: NOW.getTime() - 1 });

    // Act
    await h.run();

    // Assert: no SES event of the earlier attempt, so it was not accepted: send.
    expect(h.mailer.sent).toHaveLength(1);
    expect(h.ledger.calls).toContain(`getSesEvents:${sendTag(KEY)}`);
    expect(h.log.events('email_send_unresolved')).toEqual([
      expect.objectContaining({ cause: 'claim_taken_over' }),
    ]);
    expect(h.ledger.sends.get(KEY)).toEqual({ status: 'sent', messageId: 'ses-1' });
  });

  it('records a taken-over claim as sent, without sending, when SES published its Send event', async () => {
    // Arrange: the holder died after SES took the email; feedback recorded SES's Send event.
    const h = harness();
    h.ledger.sends.set(KEY, { status: 'in_progress', leaseExpiresAt: NOW.getTime() - 1 });
    await h.ledger.recordSesEvent(sendTag(KEY), {
      type: 'Send',
      messageId: 'ses-earlier',
      at: '2026-12-14T08:00:01.000Z',
    });

    // Act
    await h.run();

    // Assert
    expect(h.mailer.sent).toHaveLength(0);
    expect(h.ledger.sends.get(KEY)).toEqual({ status: 'sent', messageId: 'ses-earlier' });
    expect(h.log.events('email_send_resolved')).toEqual([
      expect.objectContaining({
        messageId: 'ses-earlier',
        via: 'ses_event',
        evidence: 'Send',
        cause: 'claim_taken_over',
      }),
    ]);
    expect(h.log.events('email_sent')).toHaveLength(0);
  });

  it('waits for SES’s Send event after an ambiguous SES error and records the email as sent', async () => {
    // Arrange: SES took the email but the answer was lost; its Send event arrives on the third read.
    const h = harness();
    h.mailer.failWith = new SesAmbiguousError('TimeoutError', 'SES SendEmail failed with an unknown outcome');
    const tag = sendTag(KEY);
    let reads = 0;
    const getSesEvents = h.ledger.getSesEvents.bind(h.ledger);
    h.ledger.getSesEvents = async (t: string) => {
      reads += 1;
      if (reads === 3) await h.ledger.recordSesEvent(t, { type: 'Send', messageId: 'ses-lost', at: 'x' });
      return getSesEvents(t);
    };

    // Act
    await h.run();

    // Assert
    expect(reads).toBe(3);
    expect(h.slept).toEqual([500, 500]);
    expect(h.mailer.sent).toHaveLength(0);
    expect(h.ledger.sends.get(KEY)).toEqual({ status: 'sent', messageId: 'ses-lost' });
    expect(h.log.events('email_send_outcome_unknown')).toHaveLength(1);
    expect(h.log.events('email_send_resolved')).toEqual([
      expect.objectContaining({ messageId: 'ses-lost', cause: 'ses_error', evidence: 'Send' }),
    ]);
    expect(tag).toHaveLength(43);
  });

  it('waits no longer than SES_EVENT_WAIT_SECONDS, then leaves the ambiguous claim to its lease', async () => {
    // Arrange
    const h = harness();
    h.deps.sesEventWaitMs = 2_000;
    const fault = new SesAmbiguousError('InternalServiceErrorException', 'unknown outcome');
    h.mailer.failWith = fault;

    // Act
    const failure = await h.run().catch((err: unknown) => err);

    // Assert: 2 s at 500 ms a read = 5 reads, 4 pauses.
    expect(failure).toBe(fault);
    expect(h.slept).toEqual([500, 500, 500, 500]);
    expect(h.ledger.calls.filter((c) => c.startsWith('getSesEvents:'))).toHaveLength(5);
    expect(h.ledger.sends.get(KEY)).toMatchObject({ status: 'in_progress', ambiguous: true });
  });

  it('records as rejected, without sending, a taken-over email SES only rejected (Reject event)', async () => {
    // Arrange
    const h = harness();
    h.ledger.sends.set(KEY, { status: 'in_progress', leaseExpiresAt: NOW.getTime() - 1 });
    await h.ledger.recordSesEvent(sendTag(KEY), { type: 'Reject', messageId: 'ses-virus', at: 'x' });

    // Act
    await h.run();

    // Assert
    expect(h.mailer.sent).toHaveLength(0);
    expect(h.ledger.sends.get(KEY)).toEqual({ status: 'rejected', reason: 'ses_reject_event' });
  });

  it('records SES’s content-level rejection as final and succeeds without retrying', async () => {
    // Arrange
    const h = harness();
    h.mailer.failWith = new SesRejectedError(
      'ses_rejected',
      'MessageRejected',
      'message',
      'MessageRejected: ada@example.com is on the account suppression list',
    );

    // Act
    await h.run();

    // Assert
    expect(h.ledger.sends.get(KEY)).toEqual({ status: 'rejected', reason: 'ses_rejected' });
    expect(h.ledger.calls).not.toContain(`giveBackSendClaim:${KEY}`);
    expect(h.log.events('email_rejected')).toEqual([expect.objectContaining({ reason: 'ses_rejected' })]);
  });

  it.each([
    [
      'ses_bad_request',
      () =>
        new SesRejectedError(
          'ses_bad_request',
          'BadRequestException',
          'message',
          'BadRequestException: bad tag',
        ),
    ],
    ['email_invalid', () => new InvalidEmailError('header X-Herald-Point contains a line break')],
    [
      'a permanent error without a scope',
      () => new PermanentError('ses_rejected', 'rejected, scope unknown'),
    ],
  ])('gives the claim back and dead-letters %s instead of recording a rejection', async (_label, make) => {
    // Arrange
    const failure = make();
    const h = harness();
    h.mailer.failWith = failure;

    // Act
    const error = await h.run().catch((err: unknown) => err);

    // Assert: rethrown as permanent (the runner sends it to the DLQ); nothing blocks a redrive.
    expect(error).toBe(failure);
    expect(error).toBeInstanceOf(PermanentError);
    expect(isRetryable(error)).toBe(false);
    expect(h.ledger.calls).not.toContain(`markRejected:${KEY}`);
    expect(h.ledger.sends.has(KEY)).toBe(false);
    expect(h.log.events('email_send_blocked')).toEqual([expect.objectContaining({ reason: failure.reason })]);

    // And a redrive once the cause is fixed sends it.
    h.mailer.failWith = undefined;
    await h.run();
    expect(h.mailer.sent).toHaveLength(1);
  });

  it('records an email SES accepted without a MessageId as sent, under a placeholder id', async () => {
    // Arrange
    const h = harness();
    h.mailer.acceptWithoutId = true;

    // Act
    await h.run();

    // Assert
    const placeholder = `unknown:${NOW.toISOString()}`;
    expect(h.ledger.sends.get(KEY)).toEqual({ status: 'sent', messageId: placeholder });
    expect(h.ledger.calls).not.toContain(`giveBackSendClaim:${KEY}`);
    expect(h.log.events('email_message_id_missing')).toEqual([
      expect.objectContaining({ level: 40, messageId: placeholder }),
    ]);
    expect(h.log.events('email_sent')).toEqual([expect.objectContaining({ messageId: placeholder })]);

    // A redelivery does not send it again: the one email SES accepted without an id stays the only one.
    h.mailer.acceptWithoutId = false;
    await h.run();
    expect(h.mailer.sent).toHaveLength(1);
    expect(h.log.events('email_duplicate_skipped')).toEqual([expect.objectContaining({ status: 'sent' })]);
  });

  it('gives the claim back and rethrows when SES refuses the whole account', async () => {
    // Arrange
    const paused = new SesRejectedError(
      'ses_sending_paused',
      'SendingPausedException',
      'account',
      'sending paused',
    );
    const h = harness();
    h.mailer.failWith = paused;

    // Act / Assert
    await expect(h.run()).rejects.toBe(paused);
    expect(h.ledger.sends.has(KEY)).toBe(false);
    expect(h.log.events('email_send_blocked')).toEqual([
      expect.objectContaining({ reason: 'ses_sending_paused', scope: 'account' }),
    ]);
  });

  it('releases the claim and rethrows when SES throttles', async () => {
    // Arrange
    const throttled = new RetryableError('TooManyRequestsException', { retryAfterSeconds: 2 });
    const h = harness();
    h.mailer.failWith = throttled;

    // Act / Assert
    await expect(h.run()).rejects.toBe(throttled);
    expect(h.ledger.sends.has(KEY)).toBe(false);
    expect(h.ledger.calls).toContain(`giveBackSendClaim:${KEY}`);

    // And the redelivery sends it at once.
    h.mailer.failWith = undefined;
    await h.run();
    expect(h.mailer.sent).toHaveLength(1);
  });

  it('keeps the claim and rethrows when the outcome of the SES call is unknown', async () => {
    // Arrange
    const timeout = Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    const h = harness();
    h.mailer.failWith = timeout;

    // Act / Assert
    await expect(h.run()).rejects.toBe(timeout);
    expect(h.ledger.calls).not.toContain(`giveBackSendClaim:${KEY}`);
    expect(h.ledger.sends.get(KEY)).toEqual({
      status: 'in_progress',
      leaseExpiresAt: NOW.getTime() + 120_000,
      ambiguous: true,
      sesTag: sendTag(KEY),
    });
    expect(h.log.events('email_send_outcome_unknown')).toHaveLength(1);

    // A redelivery within the lease does not send again.
    h.mailer.failWith = undefined;
    await expect(h.run()).rejects.toBeInstanceOf(RetryableError);
    expect(h.mailer.sent).toHaveLength(0);
  });

  it('keeps the claim when SES answers 5xx, so a redelivery waits for the lease instead of sending again', async () => {
    // Arrange: SES's 5xx may come after it queued the email.
    const fault = new SesAmbiguousError(
      'InternalServiceErrorException',
      'SES SendEmail failed with an unknown outcome',
    );
    const h = harness();
    h.mailer.failWith = fault;

    // Act
    const failure = await h.run().catch((err: unknown) => err);

    // Assert
    expect(failure).toBe(fault);
    expect(isRetryable(failure)).toBe(true);
    expect(h.ledger.calls).not.toContain(`giveBackSendClaim:${KEY}`);
    expect(h.ledger.sends.get(KEY)).toMatchObject({ status: 'in_progress', ambiguous: true });
    expect(h.log.events('email_send_outcome_unknown')).toEqual([
      expect.objectContaining({ state: 'ambiguous' }),
    ]);
    expect(h.log.events('email_send_unresolved')).toEqual([expect.objectContaining({ cause: 'ses_error' })]);
    h.mailer.failWith = undefined;
    await expect(h.run()).rejects.toBeInstanceOf(RetryableError);
    expect(h.mailer.sent).toHaveLength(0);
  });

  it('releases the claim and fails permanently when the draft is missing', async () => {
    // Arrange
    const h = harness();
    h.ledger.drafts.clear();

    // Act
    const error = await h.run().catch((err: unknown) => err);

    // Assert
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).reason).toBe('draft_missing');
    expect(h.ledger.sends.has(KEY)).toBe(false);
    expect(h.mailer.sent).toHaveLength(0);
  });

  it('fills a name that looks like a placeholder only once', async () => {
    // Arrange
    const h = harness();

    // Act
    await h.run(
      job({ recipient: { email: 'ada@example.com', name: DRAFT_PLACEHOLDERS.unsubscribeUrl, locale: 'en' } }),
    );

    // Assert
    expect(h.mailer.sent[0]?.html).toContain('Hi &#123;&#123;unsubscribe_url&#125;&#125;,');
    expect(h.mailer.sent[0]?.text).toContain('Hi { {unsubscribe_url}},');
  });

  it('rejects a body that is not a send.job with a ContractError', async () => {
    // Arrange
    const h = harness();

    // Act / Assert
    await expect(
      processRecord(sqsRecord({ body: 'not json' }), recordContext(h.log.logger, 60_000), h.deps),
    ).rejects.toBeInstanceOf(ContractError);
    expect(h.directory.checked).toEqual([]);
  });
});

describe('Function: processRecord (send) lateness and release re-check', () => {
  it('records an email past its notAfter as missed and sends nothing; a redelivery records nothing new', async () => {
    // Arrange: the deadline passed 10 s ago.
    const h = harness();
    const late = job({ notAfter: '2026-12-14T08:00:00.000Z' });

    // Act
    await h.run(late);
    await h.run(late);

    // Assert
    expect(h.mailer.sent).toHaveLength(0);
    expect(h.ledger.sends.get(KEY)).toEqual({ status: 'rejected', reason: 'missed' });
    expect(h.ledger.outcomes.get(`send#${KEY}`)).toEqual({
      status: 'missed',
      reason: 'past_deadline',
      versionId: '10042',
      pointId: 'b1d0h0m0900',
      releaseDate: '2026-12-15',
    });
    expect(h.log.events('email_missed')).toEqual([
      expect.objectContaining({ reason: 'past_deadline', notAfter: '2026-12-14T08:00:00.000Z' }),
    ]);
    expect(h.log.events('email_duplicate_skipped')).toEqual([
      expect.objectContaining({ status: 'rejected', gate: 'past_deadline' }),
    ]);
  });

  it('sends an email still within its notAfter', async () => {
    // Arrange
    const h = harness();

    // Act
    await h.run(job({ notAfter: '2026-12-14T08:00:10.000Z' }));

    // Assert
    expect(h.mailer.sent).toHaveLength(1);
    expect(h.log.events('email_missed')).toEqual([]);
  });

  it.each([
    ['release_deleted', { readAt: 1, state: 'deleted' }],
    ['release_date_moved', { readAt: 1, state: 'active', releaseDate: '2026-12-22' }],
    ['release_date_moved', { readAt: 1, state: 'active' }],
  ])('skips an email whose release changed since compose (%s) and records it', async (reason, release) => {
    // Arrange
    const h = harness();
    h.ledger.releases.set('10042', release);

    // Act
    await h.run();

    // Assert
    expect(h.mailer.sent).toHaveLength(0);
    expect(h.ledger.outcomes.get(`send#${KEY}`)).toMatchObject({ status: 'skipped_release_changed', reason });
    expect(h.log.events('email_skipped_release_changed')).toEqual([expect.objectContaining({ reason })]);
  });

  it.each([
    ['the same date', { readAt: 1, state: 'active', releaseDate: '2026-12-15' }],
    ['no stamp (a row from before stamps)', { readAt: 1 }],
  ])('sends when the release watermark shows %s', async (_case, release) => {
    // Arrange
    const h = harness();
    h.ledger.releases.set('10042', release);

    // Act
    await h.run();

    // Assert
    expect(h.mailer.sent).toHaveLength(1);
    expect(h.ledger.outcomes.size).toBe(0);
  });

  it('never overwrites a sent email with a late verdict', async () => {
    // Arrange: sent on time, redelivered after the deadline.
    const h = harness();
    await h.run();

    // Act
    await h.run(job({ notAfter: '2026-12-14T08:00:00.000Z' }));

    // Assert
    expect(h.mailer.sent).toHaveLength(1);
    expect(h.ledger.sends.get(KEY)).toEqual({ status: 'sent', messageId: 'ses-1' });
    expect(h.log.events('email_duplicate_skipped')).toEqual([
      expect.objectContaining({ status: 'sent', gate: 'past_deadline' }),
    ]);
  });
});
