import { describe, expect, it } from 'vitest';
import { approvalKey } from '#contracts/approval';
import { reviewDraftKey } from '#contracts/reviewKeys';
import type { SendJob } from '#contracts/sendJob';
import { sendTag } from '#contracts/sendTag';
import { PermanentError } from '#shared/errors';
import { processRecord } from '#stages/send/processRecord';
import { emailDraftOf } from '#test/factories/emailDraft';
import { FakeDirectory } from '#test/factories/FakeDirectory';
import { FakeLedger } from '#test/factories/FakeLedger';
import { envelopeRecord } from '#test/factories/lambda';
import { memoryLogger } from '#test/factories/memoryLogger';
import { recordContext } from '#test/factories/recordContext';
import { FakeMailer, sendDeps } from './fakes.ts';

const NOW = new Date('2026-12-13T08:00:10.000Z');
const APPROVER = 'lead@example.com';
const KEY = approvalKey({ versionId: '10042', pointId: 'b1d0h0m0900', releaseDate: '2026-12-15' });
const DRAFT_KEY = reviewDraftKey(KEY, 1, APPROVER);

const reviewJob = (overrides: Partial<SendJob> = {}): SendJob => ({
  versionId: '10042',
  projectKey: 'BILL',
  pointId: 'b1d0h0m0900',
  releaseDate: '2026-12-15',
  draftKey: DRAFT_KEY,
  recipient: { email: APPROVER, locale: 'en' },
  notAfter: '2026-12-14T08:00:00.000Z',
  kind: 'review',
  ...overrides,
});

const harness = () => {
  const ledger = new FakeLedger();
  ledger.drafts.set(
    DRAFT_KEY,
    emailDraftOf({
      key: DRAFT_KEY,
      source: 'template',
      subject: 'Review: Billing 2.4 (BILL) sends 2026-12-14 08:00 UTC',
      html: '<p>Approve: <a href="https://hooks.example.com/review?t=abc">Approve</a></p>',
      text: 'Approve: https://hooks.example.com/review?t=abc',
    }),
  );
  const mailer = new FakeMailer();
  const directory = new FakeDirectory();
  // The approver is no contact of the project and opted out of client emails: a review still goes.
  directory.optOuts.set(APPROVER, 'complaint');
  const log = memoryLogger();
  const deps = sendDeps({ ledger, mailer, directory, now: () => NOW });
  const run = (job: SendJob = reviewJob()) =>
    processRecord(envelopeRecord('send.job', job.draftKey, job), recordContext(log.logger, 60_000), deps);
  return { ledger, mailer, log, run };
};

describe('Function: processRecord (send.job of kind review)', () => {
  it('sends the review email once to the approver, without unsubscribe, tagged as a review', async () => {
    // Arrange
    const h = harness();

    // Act
    await h.run();
    await h.run();

    // Assert
    expect(h.mailer.sent).toHaveLength(1);
    const email = h.mailer.sent[0];
    const sendKey = `review:${KEY}#r1:${APPROVER}`;
    expect(email).toMatchObject({
      to: APPROVER,
      subject: 'Review: Billing 2.4 (BILL) sends 2026-12-14 08:00 UTC',
      text: 'Approve: https://hooks.example.com/review?t=abc',
      tags: {
        'herald-send': sendTag(sendKey),
        'herald-kind': 'review',
        version: '10042',
        point: 'b1d0h0m0900',
      },
    });
    expect(email?.headers['List-Unsubscribe']).toBeUndefined();
    expect(h.ledger.sends.get(sendKey)).toMatchObject({ status: 'sent' });
    expect(h.log.events('email_duplicate_skipped')).toHaveLength(1);
  });

  it('records a review email past its links expiry missed and sends nothing', async () => {
    // Arrange
    const h = harness();

    // Act
    await h.run(reviewJob({ notAfter: '2026-12-13T08:00:00.000Z' }));

    // Assert
    expect(h.mailer.sent).toEqual([]);
    expect(h.ledger.outcomes.get(`send#review:${KEY}#r1:${APPROVER}`)).toMatchObject({
      status: 'missed',
      reason: 'review_expired',
    });
    expect(h.log.events('review_email_expired')).toHaveLength(1);
  });

  it('refuses a review job whose draft key is not a review draft key (permanent)', async () => {
    // Arrange
    const h = harness();

    // Act
    const run = h.run(reviewJob({ draftKey: 'draft:10042:b1d0h0m0900@2026-12-15:en' }));

    // Assert
    await expect(run).rejects.toMatchObject({ reason: 'invalid_review_job' });
    await expect(run).rejects.toBeInstanceOf(PermanentError);
    expect(h.mailer.sent).toEqual([]);
  });
});
