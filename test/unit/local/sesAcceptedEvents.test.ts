import { describe, expect, it } from 'vitest';
import { sesAcceptedEvents } from '#local/SesEventPublisher';
import { processFeedback } from '#stages/feedback/processFeedback';
import { FakeDirectory } from '#test/factories/FakeDirectory';
import { FakeLedger } from '#test/factories/FakeLedger';
import { memoryLogger } from '#test/factories/memoryLogger';

const AT = new Date('2026-12-14T08:00:00.000Z');
const body = {
  FromEmailAddress: 'releases@example.com',
  Destination: { ToAddresses: ['ada@example.com'] },
  ConfigurationSetName: 'herald-email',
  EmailTags: [
    { Name: 'herald-send', Value: 'tag-1' },
    { Name: 'project', Value: 'BILL' },
  ],
};

describe('Function: sesAcceptedEvents', () => {
  it('makes the Email Sent and Email Delivered events SES publishes for an accepted email', () => {
    // Act
    const entries = sesAcceptedEvents(body, 'ses-message-1', AT);

    // Assert
    expect(entries.map((e) => [e.Source, e.DetailType])).toEqual([
      ['aws.ses', 'Email Sent'],
      ['aws.ses', 'Email Delivered'],
    ]);
    const [sent, delivered] = entries.map((e) => JSON.parse(e.Detail ?? '{}'));
    expect(sent).toEqual({
      eventType: 'Send',
      send: {},
      mail: expect.objectContaining({
        messageId: 'ses-message-1',
        timestamp: AT.toISOString(),
        source: 'releases@example.com',
        destination: ['ada@example.com'],
        tags: expect.objectContaining({
          'ses:configuration-set': ['herald-email'],
          'herald-send': ['tag-1'],
          project: ['BILL'],
        }),
      }),
    });
    expect(delivered).toMatchObject({ eventType: 'Delivery', delivery: { recipients: ['ada@example.com'] } });
  });

  it('makes no event for an email sent without a configuration set, as SES publishes none', () => {
    // Act
    const entries = sesAcceptedEvents({ ...body, ConfigurationSetName: undefined }, 'ses-message-2', AT);

    // Assert
    expect(entries).toEqual([]);
  });

  it('makes events the feedback stage records under the email’s tag', async () => {
    // Arrange
    const ledger = new FakeLedger();
    const deps = {
      directory: new FakeDirectory(),
      ledger,
      logger: memoryLogger().logger,
      remainingTimeMs: () => 30_000,
    };

    // Act
    for (const entry of sesAcceptedEvents(body, 'ses-message-3', AT)) {
      await processFeedback(
        {
          version: '0',
          id: 'e-1',
          'detail-type': entry.DetailType ?? '',
          source: entry.Source ?? '',
          account: '123456789012',
          time: AT.toISOString(),
          region: 'us-east-1',
          resources: entry.Resources ?? [],
          detail: JSON.parse(entry.Detail ?? '{}'),
        },
        deps,
      );
    }

    // Assert
    expect(await ledger.getSesEvents('tag-1')).toEqual({
      messageId: 'ses-message-3',
      events: { Send: AT.toISOString(), Delivery: AT.toISOString() },
    });
  });
});

describe('Function: sesAcceptedEvents (simulated mailboxes)', () => {
  it('bounces an email to bounce.herald.test and complains about one to complaint.herald.test, as SES’s simulator does', async () => {
    // Arrange
    const to = (address: string) => ({ ...body, Destination: { ToAddresses: [address] } });

    // Act
    const bounced = sesAcceptedEvents(to('nobody@bounce.herald.test'), 'm-1', AT);
    const complained = sesAcceptedEvents(to('angry@complaint.herald.test'), 'm-2', AT);
    const directory = new FakeDirectory();
    const ledger = new FakeLedger();
    for (const entry of [...bounced, ...complained]) {
      await processFeedback(
        {
          id: 'e',
          version: '0',
          account: '123456789012',
          time: AT.toISOString(),
          region: 'us-east-1',
          resources: [],
          source: entry.Source ?? '',
          'detail-type': entry.DetailType ?? '',
          detail: JSON.parse(entry.Detail ?? '{}'),
        },
        { directory, ledger, logger: memoryLogger().logger, remainingTimeMs: () => 10_000 },
      );
    }

    // Assert: the feedback stage reads them as SES's own (opted out, events recorded).
    expect(bounced.map((e) => e.DetailType)).toEqual(['Email Sent', 'Email Bounced']);
    expect(complained.map((e) => e.DetailType)).toEqual([
      'Email Sent',
      'Email Delivered',
      'Email Complaint Received',
    ]);
    expect([...directory.optOuts.entries()].sort()).toEqual([
      ['angry@complaint.herald.test', 'ses_complaint'],
      ['nobody@bounce.herald.test', 'ses_bounce'],
    ]);
    expect(ledger.sesEvents.get('tag-1')?.events).toEqual({
      Send: AT.toISOString(),
      Bounce: AT.toISOString(),
      Delivery: AT.toISOString(),
      Complaint: AT.toISOString(),
    });
  });
});
