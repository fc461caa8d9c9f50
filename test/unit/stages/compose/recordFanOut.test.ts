import { describe, expect, it } from 'vitest';
import type { EmailDraft } from '#contracts/emailDraft';
import { DEFAULT_SEND_POLICY, type SendPolicy } from '#contracts/sendPolicy';
import { groupKey } from '#stages/compose/audiences';
import { recordFanOut } from '#stages/compose/recordFanOut';
import { composeJob } from '#test/factories/billingRelease';
import { emailDraftOf } from '#test/factories/emailDraft';
import { FakeDeliveryRecords } from '#test/factories/FakeDeliveryRecords';
import { FakeQueue } from '#test/factories/FakeQueue';

const NOW = new Date('2026-12-14T08:00:03.000Z');
const retry = <T>(_name: string, fn: () => Promise<T>): Promise<T> => fn();

const job = composeJob({
  chunk: { index: 1, count: 3 },
  recipients: [
    { email: 'ada@example.com', locale: 'en' },
    { email: 'bea@example.com', locale: 'de' },
    { email: 'ada@example.com', locale: 'en' },
    { email: 'dev@example.com', locale: 'en', audience: 'developers' },
  ],
});

const policy: SendPolicy = {
  ...DEFAULT_SEND_POLICY,
  audiences: [{ name: 'developers', scope: 'component = API' }],
  notify: ['owner@example.com'],
};

/** Drafts for everyone but the developers (their audience had no issue in scope). */
const drafts = new Map<string, EmailDraft>([
  [groupKey('all', 'en'), emailDraftOf({ key: 'draft:en' })],
  [groupKey('all', 'de'), emailDraftOf({ key: 'draft:de', locale: 'de' })],
]);

describe('Function: recordFanOut', () => {
  it('records who gets which draft, each address once, those without a draft included', async () => {
    // Arrange
    const records = new FakeDeliveryRecords();
    const queue = new FakeQueue();

    // Act
    await recordFanOut(
      { job, versionName: 'Billing 2.4', policy, drafts },
      { records, queue, now: () => NOW },
      retry,
    );

    // Assert
    expect([...records.plans.values()]).toEqual([
      {
        versionId: '10042',
        projectKey: 'BILL',
        versionName: 'Billing 2.4',
        pointId: 'b1d0h0m0900',
        releaseDate: '2026-12-15',
        timeZone: 'Europe/Berlin',
        chunk: { index: 1, count: 3 },
        dueAt: '2026-12-14T08:00:00.000Z',
        fannedOutAt: NOW.toISOString(),
        groups: [
          { draftKey: 'draft:en', audience: 'all', locale: 'en', emails: ['ada@example.com'] },
          { draftKey: 'draft:de', audience: 'all', locale: 'de', emails: ['bea@example.com'] },
          { draftKey: undefined, audience: 'developers', locale: 'en', emails: ['dev@example.com'] },
        ],
      },
    ]);
  });

  it('queues the owners’ point.summary on the send queue, delayed, only when the policy names owners', async () => {
    // Arrange
    const records = new FakeDeliveryRecords();
    const queue = new FakeQueue();
    const quiet = new FakeQueue();

    // Act
    await recordFanOut(
      { job, versionName: 'Billing 2.4', policy, drafts },
      { records, queue, now: () => NOW, env: 'dev', summaryDelaySeconds: 45 },
      retry,
    );
    await recordFanOut(
      { job, versionName: 'Billing 2.4', policy: DEFAULT_SEND_POLICY, drafts },
      { records, queue: quiet, now: () => NOW },
      retry,
    );

    // Assert
    expect(queue.sent.map((s) => [s.queueName, s.message.delaySeconds])).toEqual([['herald-dev-send', 45]]);
    expect(queue.bodies('herald-dev-send')).toEqual([
      expect.objectContaining({
        kind: 'point.summary',
        key: 'summary:10042:b1d0h0m0900@2026-12-15:Europe/Berlin:1',
        payload: {
          versionId: '10042',
          projectKey: 'BILL',
          pointId: 'b1d0h0m0900',
          releaseDate: '2026-12-15',
          timeZone: 'Europe/Berlin',
          chunkCount: 3,
          fannedOutAt: NOW.toISOString(),
        },
      }),
    ]);
    expect(quiet.sent).toEqual([]);
  });

  it('records nothing and queues nothing without a place to record', async () => {
    // Arrange
    const queue = new FakeQueue();

    // Act
    await recordFanOut({ job, versionName: 'Billing 2.4', policy, drafts }, { queue, now: () => NOW }, retry);

    // Assert
    expect(queue.sent).toEqual([]);
  });
});
