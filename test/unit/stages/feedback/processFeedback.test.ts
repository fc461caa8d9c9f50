import type { EventBridgeEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ContractError } from '#contracts/errors';
import { type FeedbackDeps, processFeedback } from '#stages/feedback/processFeedback';
import { FakeDirectory } from '#test/factories/FakeDirectory';
import { FakeLedger } from '#test/factories/FakeLedger';
import { memoryLogger } from '#test/factories/memoryLogger';

const mail = {
  timestamp: '2026-01-05T09:00:00.000Z',
  source: 'releases@example.com',
  messageId: '0100019a-0000-0000-0000-000000000000-000000',
  destination: ['ana@example.com'],
};

/** An SES event as EventBridge delivers it to a Lambda target. */
const sesEvent = (
  detailType: string,
  detail: unknown,
  source = 'aws.ses',
): EventBridgeEvent<string, unknown> => ({
  version: '0',
  id: 'e0000000-0000-4000-8000-000000000002',
  'detail-type': detailType,
  source,
  account: '123456789012',
  time: '2026-01-05T09:00:05Z',
  region: 'us-east-1',
  resources: ['arn:aws:ses:us-east-1:123456789012:configuration-set/herald'],
  detail,
});

const bounce = (bounceType: string, ...emails: string[]) =>
  sesEvent('Email Bounced', {
    eventType: 'Bounce',
    mail,
    bounce: {
      feedbackId: 'feedback-1',
      bounceType,
      bounceSubType: bounceType === 'Permanent' ? 'General' : 'MailboxFull',
      bouncedRecipients: emails.map((emailAddress) => ({
        emailAddress,
        action: 'failed',
        status: '5.1.1',
        diagnosticCode: 'smtp; 550 5.1.1 user unknown',
      })),
      timestamp: '2026-01-05T09:00:04.000Z',
    },
  });

const setup = () => {
  const directory = new FakeDirectory();
  const log = memoryLogger();
  const ledger = new FakeLedger();
  const deps: FeedbackDeps = { directory, logger: log.logger, remainingTimeMs: () => 30_000, ledger };
  return { directory, ledger, log, deps };
};

describe('Function: processFeedback', () => {
  it('opts every permanently bounced address out with reason ses_bounce', async () => {
    // Arrange
    const { directory, log, deps } = setup();

    // Act
    const outcome = await processFeedback(bounce('Permanent', 'Ana@Example.com', 'bo@example.org'), deps);

    // Assert
    expect(outcome).toEqual({ optedOut: ['ana@example.com', 'bo@example.org'] });
    expect([...directory.optOuts]).toEqual([
      ['ana@example.com', 'ses_bounce'],
      ['bo@example.org', 'ses_bounce'],
    ]);
    expect(log.events('contact_opted_out')).toHaveLength(2);
    expect(JSON.stringify(log.lines)).not.toMatch(/ana@example\.com|bo@example\.org/i);
  });

  it.each(['Transient', 'Undetermined'])('ignores a %s bounce', async (bounceType) => {
    const { directory, log, deps } = setup();

    const outcome = await processFeedback(bounce(bounceType, 'ana@example.com'), deps);

    expect(outcome).toEqual({ optedOut: [], ignored: 'transient_bounce' });
    expect(directory.optOuts.size).toBe(0);
    expect(log.events('feedback_ignored')).toEqual([expect.objectContaining({ bounceType })]);
  });

  it('opts complaining addresses out with reason ses_complaint', async () => {
    // Arrange
    const { directory, deps } = setup();
    const event = sesEvent('Email Complaint Received', {
      eventType: 'Complaint',
      mail,
      complaint: {
        feedbackId: 'feedback-2',
        complaintFeedbackType: 'abuse',
        complainedRecipients: [{ emailAddress: 'Ana Lima <ana@example.com>' }],
        timestamp: '2026-01-05T10:00:00.000Z',
      },
    });

    // Act
    const outcome = await processFeedback(event, deps);

    // Assert
    expect(outcome).toEqual({ optedOut: ['ana@example.com'] });
    expect([...directory.optOuts]).toEqual([['ana@example.com', 'ses_complaint']]);
  });

  it('skips an address it cannot parse and still opts out the others', async () => {
    const { directory, log, deps } = setup();

    const outcome = await processFeedback(bounce('Permanent', 'not an address', 'bo@example.org'), deps);

    expect(outcome.optedOut).toEqual(['bo@example.org']);
    expect([...directory.optOuts.keys()]).toEqual(['bo@example.org']);
    expect(log.events('feedback_address_invalid')).toHaveLength(1);
  });

  it('ignores other SES events and events from other sources', async () => {
    const { directory, deps } = setup();

    const delivery = await processFeedback(
      sesEvent('Email Delivered', { eventType: 'Delivery', mail }),
      deps,
    );
    const foreign = await processFeedback(
      { ...bounce('Permanent', 'ana@example.com'), source: 'jira' },
      deps,
    );

    expect(delivery).toEqual({ optedOut: [], ignored: 'other_event' });
    expect(foreign).toEqual({ optedOut: [], ignored: 'not_ses' });
    expect(directory.optOuts.size).toBe(0);
  });

  it('records each SES event of a tagged email in the ledger under its herald-send tag, first time per type', async () => {
    // Arrange
    const { ledger, log, deps } = setup();
    const tagged = { ...mail, tags: { 'ses:configuration-set': ['herald-email'], 'herald-send': ['tag-1'] } };

    // Act
    const sent = await processFeedback(
      sesEvent('Email Sent', { eventType: 'Send', mail: tagged, send: {} }),
      deps,
    );
    const delivered = await processFeedback(
      sesEvent('Email Delivered', {
        eventType: 'Delivery',
        mail: tagged,
        delivery: { timestamp: '2026-01-05T09:00:03.000Z', recipients: ['ana@example.com'] },
      }),
      deps,
    );
    const delayed = await processFeedback(
      sesEvent('Email Delivery Delayed', { eventType: 'DeliveryDelay', mail: tagged, deliveryDelay: {} }),
      deps,
    );
    const bounced = await processFeedback(
      sesEvent('Email Bounced', {
        ...(bounce('Permanent', 'ana@example.com').detail as object),
        mail: tagged,
      }),
      deps,
    );
    const opened = await processFeedback(sesEvent('Email Opened', { eventType: 'Open', mail: tagged }), deps);
    const untagged = await processFeedback(
      sesEvent('Email Sent', { eventType: 'Send', mail, send: {} }),
      deps,
    );

    // Assert
    expect(sent).toEqual({ optedOut: [], ignored: 'other_event', recorded: 'Send' });
    expect(delivered.recorded).toBe('Delivery');
    expect(delayed.recorded).toBe('DeliveryDelay');
    expect(bounced).toEqual({ optedOut: ['ana@example.com'], recorded: 'Bounce' });
    expect(opened).toEqual({ optedOut: [], ignored: 'other_event' });
    expect(untagged).toEqual({ optedOut: [], ignored: 'other_event' });
    expect(await ledger.getSesEvents('tag-1')).toEqual({
      messageId: mail.messageId,
      events: {
        Send: mail.timestamp,
        Delivery: '2026-01-05T09:00:03.000Z',
        DeliveryDelay: mail.timestamp,
        Bounce: '2026-01-05T09:00:04.000Z',
      },
    });
    expect(log.events('ses_event_recorded')).toHaveLength(4);
  });

  it('fails when the ledger write fails, so the event is retried before any opt-out', async () => {
    // Arrange
    const { directory, ledger, deps } = setup();
    ledger.recordSesEvent = async () => {
      throw new Error('DynamoDB unavailable');
    };
    const tagged = { ...mail, tags: { 'herald-send': ['tag-2'] } };

    // Act
    const failure = processFeedback(
      sesEvent('Email Bounced', {
        ...(bounce('Permanent', 'ana@example.com').detail as object),
        mail: tagged,
      }),
      deps,
    );

    // Assert
    await expect(failure).rejects.toThrow('DynamoDB unavailable');
    expect(directory.optOuts.size).toBe(0);
  });

  it('throws a ContractError for a detail that is not an SES event record', async () => {
    const { deps } = setup();

    await expect(processFeedback(sesEvent('Email Bounced', { mail }), deps)).rejects.toBeInstanceOf(
      ContractError,
    );
    await expect(
      processFeedback(sesEvent('Email Bounced', { eventType: 'Bounce', mail }), deps),
    ).rejects.toThrow(/bounce: required/);
  });

  it('fails when the directory write fails, so the event is retried', async () => {
    const { directory, deps } = setup();
    directory.optOut = async () => {
      throw new Error('DynamoDB unavailable');
    };

    await expect(processFeedback(bounce('Permanent', 'ana@example.com'), deps)).rejects.toThrow(
      'DynamoDB unavailable',
    );
  });
});

describe('Function: processFeedback (review emails)', () => {
  it('records a permanent bounce of a review email against the approver, with its release and point', async () => {
    // Arrange
    const { ledger, log, deps } = setup();
    const event = bounce('Permanent', 'Lead@Example.com');
    const detail = event.detail as { mail: Record<string, unknown> };
    detail.mail = {
      ...mail,
      tags: {
        'herald-send': ['tag-1'],
        'herald-kind': ['review'],
        version: ['10042'],
        point: ['b1d0h0m0900'],
      },
    };

    // Act
    await processFeedback(event, deps);
    await processFeedback(event, deps);

    // Assert
    expect(ledger.approverBounces.get('lead@example.com')).toEqual({
      type: 'Bounce',
      at: mail.timestamp,
      versionId: '10042',
      pointId: 'b1d0h0m0900',
      count: 2,
    });
    expect(log.events('approver_bounced')).toHaveLength(2);
    expect(JSON.stringify(log.lines)).not.toMatch(/lead@example\.com/i);
  });

  it('records no approver bounce for a client email', async () => {
    const { ledger, deps } = setup();

    await processFeedback(bounce('Permanent', 'ana@example.com'), deps);

    expect(ledger.approverBounces.size).toBe(0);
  });
});
