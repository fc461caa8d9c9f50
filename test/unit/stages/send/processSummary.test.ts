import { describe, expect, it } from 'vitest';
import type { ChunkPlan } from '#adapters/ledger/DeliveryRecordsPort';
import { SesAmbiguousError } from '#adapters/mailer/SesAmbiguousError';
import { wrap } from '#contracts/envelope';
import type { PointSummaryJob } from '#contracts/pointSummary';
import { sendKey } from '#contracts/sendJob';
import { DEFAULT_SEND_POLICY } from '#contracts/sendPolicy';
import { RetryableError } from '#shared/errors';
import {
  isPointSummary,
  processSummary,
  type SummaryDeps,
  summarySendKey,
} from '#stages/send/processSummary';
import { chunkPlanOf } from '#test/factories/chunkPlan';
import { emailDraftOf } from '#test/factories/emailDraft';
import { FakeDeliveryRecords } from '#test/factories/FakeDeliveryRecords';
import { FakeDirectory } from '#test/factories/FakeDirectory';
import { FakeLedger } from '#test/factories/FakeLedger';
import { FakeQueue } from '#test/factories/FakeQueue';
import { sqsRecord } from '#test/factories/lambda';
import { memoryLogger } from '#test/factories/memoryLogger';
import { recordContext } from '#test/factories/recordContext';
import { FakeMailer } from './fakes.ts';

const FANNED_OUT = '2026-12-14T09:00:02.000Z';
const DRAFT = 'draft:10001:b1d0h0m0900@2026-12-15:en';
const OWNER = 'owner@example.com';

const job = (overrides: Partial<PointSummaryJob> = {}): PointSummaryJob => ({
  versionId: '10001',
  projectKey: 'SHOP',
  pointId: 'b1d0h0m0900',
  releaseDate: '2026-12-15',
  timeZone: 'UTC',
  chunkCount: 1,
  fannedOutAt: FANNED_OUT,
  ...overrides,
});

const plan = (emails: string[]): ChunkPlan =>
  chunkPlanOf({ groups: [{ draftKey: DRAFT, audience: 'all', locale: 'en', emails }] });

const keyOf = (email: string) =>
  sendKey({ versionId: '10001', pointId: 'b1d0h0m0900', releaseDate: '2026-12-15' }, email);
const at = '2026-12-14T09:00:05.000Z';

const harness = (options: { now?: string; owners?: string[] } = {}) => {
  const records = new FakeDeliveryRecords();
  records.plans.set('chunk0', plan(['ada@example.com', 'bob@example.com']));
  records.emails.set(keyOf('ada@example.com'), { status: 'sent', events: { Send: at, Delivery: at } });
  records.emails.set(keyOf('bob@example.com'), { status: 'sent', events: { Send: at, Bounce: at } });
  const ledger = new FakeLedger();
  ledger.drafts.set(DRAFT, emailDraftOf({ key: DRAFT }));
  const directory = new FakeDirectory();
  // Owners are not contacts of the project.
  directory.policies.set('SHOP', { ...DEFAULT_SEND_POLICY, notify: options.owners ?? [OWNER] });
  const mailer = new FakeMailer();
  const queue = new FakeQueue();
  const log = memoryLogger();
  const deps: SummaryDeps = {
    ledger,
    records,
    directory,
    mailer,
    queue,
    now: () => new Date(options.now ?? '2026-12-14T09:02:00.000Z'),
    senderEmail: 'releases@example.com',
    leaseSeconds: 120,
    env: 'test',
    recheckSeconds: 30,
  };
  const body = (j: PointSummaryJob = job()) =>
    JSON.stringify(wrap('point.summary', `summary:${j.pointId}`, j));
  const run = (j?: PointSummaryJob) =>
    processSummary(sqsRecord({ body: body(j) }), recordContext(log.logger, 60_000), deps);
  return { records, ledger, directory, mailer, queue, log, deps, run, body };
};

describe('Function: processSummary', () => {
  it('emails each owner one summary with the point’s figures and its bounce once every email settled', async () => {
    // Arrange
    const h = harness();

    // Act
    await h.run();

    // Assert
    expect(h.mailer.sent).toHaveLength(1);
    const [email] = h.mailer.sent;
    expect(email?.to).toBe(OWNER);
    expect(email?.subject).toBe(
      '[release-herald] SHOP 2026.12 -1d@09:00 (UTC): 1 delivered, 1 bounced, 0 complained',
    );
    expect(email?.text).toContain('Bounced (opted out): bob@example.com');
    expect(email?.text).toMatch(/planned\s+2\n/);
    expect(email?.html).toContain('bob@example.com');
    expect(email?.tags['herald-send']).toBeDefined();
    expect(h.ledger.sends.get(summarySendKey(job(), OWNER))).toMatchObject({ status: 'sent' });
    expect(h.log.events('summary_sent')).toHaveLength(1);
  });

  it('sends it once through duplicates and redeliveries (the ledger claim per owner)', async () => {
    // Arrange
    const h = harness();

    // Act: the summaries of two chunks and a redelivery.
    await h.run();
    await h.run();
    await h.run(job({ fannedOutAt: '2026-12-14T09:00:03.000Z' }));

    // Assert
    expect(h.mailer.sent).toHaveLength(1);
    expect(h.log.events('summary_duplicate_skipped')).toHaveLength(2);
  });

  it('waits on the send queue while an email is not settled, then sends after 15 minutes anyway', async () => {
    // Arrange: bob's email has no SES event yet.
    const h = harness();
    h.records.emails.set(keyOf('bob@example.com'), { status: 'sent', events: { Send: at } });

    // Act
    await h.run();

    // Assert: put back 30 s later, nothing sent.
    expect(h.mailer.sent).toHaveLength(0);
    expect(h.queue.sent).toEqual([
      { queueName: 'herald-test-send', message: { body: h.body(), delaySeconds: 30 } },
    ]);
    expect(h.log.events('summary_waiting')).toEqual([expect.objectContaining({ delaySeconds: 30 })]);

    // Act: 15 minutes after the fan-out, bob's send job still in retry (no row).
    const late = harness({ now: '2026-12-14T09:15:03.000Z' });
    late.records.emails.set(keyOf('bob@example.com'), { events: {} });
    await late.run();

    // Assert
    expect(late.queue.sent).toEqual([]);
    expect(late.mailer.sent).toHaveLength(1);
    expect(late.mailer.sent[0]?.text).toContain('not every email settled within the wait');
    expect(late.mailer.sent[0]?.text).toContain('Not settled after the wait: 1 email(s)');
  });

  it('never waits past the 15 minutes: the last delay is what is left of them', async () => {
    // Arrange
    const h = harness({ now: '2026-12-14T09:14:52.000Z' });
    h.records.emails.set(keyOf('bob@example.com'), { events: {} });

    // Act
    await h.run();

    // Assert
    expect(h.queue.sent[0]?.message.delaySeconds).toBe(10);
  });

  it('waits for every chunk of the zone and names the missing ones after the wait', async () => {
    // Arrange: 2 chunks, only the first fanned out.
    const h = harness();

    // Act
    await h.run(job({ chunkCount: 2 }));

    // Assert
    expect(h.mailer.sent).toHaveLength(0);
    expect(h.log.events('summary_waiting')).toEqual([
      expect.objectContaining({ chunks: { fannedOut: 1, count: 2 } }),
    ]);

    // Act
    const late = harness({ now: '2026-12-14T09:20:00.000Z' });
    await late.run(job({ chunkCount: 2 }));

    // Assert
    expect(late.mailer.sent[0]?.text).toContain('Only 1 of 2 chunk(s) were composed');
  });

  it('never sends to an owner who is a client of the project, and sends nothing without owners', async () => {
    // Arrange
    const h = harness({ owners: [OWNER, 'ada@example.com'] });
    await h.directory.putContact('SHOP', { email: 'ada@example.com', optedOut: false });
    const none = harness({ owners: [] });

    // Act
    await h.run();
    await none.run();

    // Assert
    expect(h.mailer.sent.map((e) => e.to)).toEqual([OWNER]);
    expect(h.log.events('summary_owner_is_client')).toHaveLength(1);
    expect(JSON.stringify(h.log.lines)).not.toContain('ada@example.com');
    expect(none.mailer.sent).toEqual([]);
    expect(none.log.events('summary_skipped')).toEqual([expect.objectContaining({ reason: 'no_owners' })]);
  });

  it('sends nothing more to an owner address that bounced or complained (opted out everywhere)', async () => {
    // Arrange
    const h = harness({ owners: [OWNER, 'lead@example.com'] });
    await h.directory.optOut(OWNER, 'bounce');

    // Act
    await h.run();

    // Assert
    expect(h.mailer.sent.map((e) => e.to)).toEqual(['lead@example.com']);
    expect(h.log.events('summary_owner_opted_out')).toHaveLength(1);
  });

  it('gives the claim back when SES did not take it, and keeps it when SES may have', async () => {
    // Arrange
    const throttled = harness();
    throttled.mailer.failWith = new RetryableError('throttled');
    const ambiguous = harness();
    ambiguous.mailer.failWith = new SesAmbiguousError('TimeoutError', 'SES timed out', {
      cause: new Error('timeout'),
    });

    // Act
    const first = throttled.run();
    const second = ambiguous.run();

    // Assert
    await expect(first).rejects.toThrow('throttled');
    expect(throttled.ledger.sends.has(summarySendKey(job(), OWNER))).toBe(false);
    await expect(second).rejects.toThrow('SES timed out');
    expect(ambiguous.ledger.sends.get(summarySendKey(job(), OWNER))).toMatchObject({ ambiguous: true });
  });
});

describe('Function: isPointSummary', () => {
  it('tells a point.summary from a send.job on the send queue', () => {
    // Act / Assert
    expect(isPointSummary(JSON.stringify(wrap('point.summary', 'k', job())))).toBe(true);
    expect(isPointSummary(JSON.stringify(wrap('send.job', 'k', {})))).toBe(false);
    expect(isPointSummary('not json')).toBe(false);
  });
});

describe('Function: processSummary (review before send)', () => {
  it('names the drafts held for review when it has the point’s approval record', async () => {
    // Arrange
    const h = harness();
    h.deps.approvals = {
      getApproval: async () => ({
        approvalKey: 'approval:10001:b1d0h0m0900@2026-12-15',
        versionId: '10001',
        projectKey: 'SHOP',
        pointId: 'b1d0h0m0900',
        releaseDate: '2026-12-15',
        revision: 1,
        contentHash: 'h',
        inputHash: 'i',
        draftKeys: [DRAFT],
        groups: [],
        state: 'held',
        dueAt: '2026-12-14T09:00:00.000Z',
        decisions: [],
        updatedAt: '2026-12-13T09:00:00.000Z',
      }),
    };

    // Act
    await h.run();

    // Assert
    expect(h.mailer.sent[0]?.text).toContain('Held for review: all/en');
  });
});
