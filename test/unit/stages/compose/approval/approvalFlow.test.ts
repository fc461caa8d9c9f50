import { describe, expect, it } from 'vitest';
import { type ApprovalPolicy, approvalKey } from '#contracts/approval';
import type { ComposeJob } from '#contracts/composeJob';
import type { ReviewJob } from '#contracts/reviewJob';
import { sendJobMessage } from '#contracts/sendJob';
import { DEFAULT_SEND_POLICY, type SendPolicy } from '#contracts/sendPolicy';
import { openApprovalToken } from '#shared/approvalToken';
import type { SigningKeys } from '#shared/signingKeys';
import { type ComposeDeps, processRecord } from '#stages/compose/processRecord';
import { billingJira, billingPoint, composeJob, issues } from '#test/factories/billingRelease';
import { emailDraftOf } from '#test/factories/emailDraft';
import { FakeDirectory } from '#test/factories/FakeDirectory';
import { FakeLedger } from '#test/factories/FakeLedger';
import { FakeLlm, llmEmail } from '#test/factories/FakeLlm';
import { FakeQueue } from '#test/factories/FakeQueue';
import { envelopeRecord } from '#test/factories/lambda';
import { memoryLogger } from '#test/factories/memoryLogger';
import { recordContext } from '#test/factories/recordContext';

const KEYS: SigningKeys = { keys: ['r'.repeat(43)] };
const REVIEW_BASE = 'https://hooks.example.com/review';
const APPROVERS = ['lead@example.com', 'pm@example.org'];
const DUE = '2026-12-14T08:00:00.000Z';
const NOT_AFTER = '2026-12-14T14:00:00.000Z';
const REVIEW_AT = new Date('2026-12-13T08:00:00.000Z');
const SEND_AT = new Date('2026-12-14T08:00:05.000Z');
const KEY = approvalKey({ versionId: '10042', pointId: 'b1d0h0m0900', releaseDate: '2026-12-15' });

const policyWith = (approval: Partial<ApprovalPolicy> = {}): SendPolicy => ({
  ...DEFAULT_SEND_POLICY,
  minCoverage: 0,
  approval: { approvers: APPROVERS, lead: '24h', onTimeout: 'hold', ...approval },
});

const reviewJob = (overrides: Partial<ReviewJob> = {}): ReviewJob => ({
  ...billingPoint,
  dueAt: DUE,
  notAfter: NOT_AFTER,
  groups: [{ audience: 'all', locale: 'en', recipients: 3 }],
  ...overrides,
});

const harness = (policy: SendPolicy = policyWith()) => {
  const jira = billingJira();
  const ledger = new FakeLedger();
  const queue = new FakeQueue();
  const log = memoryLogger();
  const directory = new FakeDirectory();
  directory.policies.set('BILL', policy);
  let now = REVIEW_AT;
  const llm = new FakeLlm([llmEmail(['BILL-1', 'BILL-2', 'BILL-3'])]);
  const deps: ComposeDeps = {
    jira,
    directory,
    llm,
    ledger,
    queue,
    now: () => now,
    env: '',
    review: async () => ({ baseUrl: REVIEW_BASE, keys: KEYS }),
    approvalRecheckSeconds: 60,
  };
  const ctx = recordContext(log.logger, 60_000);
  return {
    jira,
    ledger,
    queue,
    llm,
    log,
    directory,
    setNow: (d: Date) => {
      now = d;
    },
    review: (job: ReviewJob = reviewJob()) =>
      processRecord(envelopeRecord('review.job', 'r', job), ctx, deps),
    compose: (job: ComposeJob = composeJob({ notAfter: NOT_AFTER })) =>
      processRecord(envelopeRecord('compose.job', 'c', job), ctx, deps),
    sendJobs: () => queue.bodies('herald-send').map((b) => sendJobMessage.parse(b).payload),
    composeRequeues: () => queue.sent.filter((s) => s.queueName === 'herald-compose'),
    runBody: (body: string) => processRecord({ ...envelopeRecord('compose.job', 'c', {}), body }, ctx, deps),
  };
};

const decide = (
  h: ReturnType<typeof harness>,
  decision: 'approve' | 'hold',
  contentHash: string,
  revision = 1,
) =>
  h.ledger.decide(KEY, {
    decision,
    by: 'lead@example.com',
    via: 'link',
    at: '2026-12-13T09:00:00.000Z',
    contentHash,
    revision,
  });

describe('Function: processRecord (review.job, policy approval)', () => {
  it('writes revision 1 under today draft keys, pending, and queues one review email per approver', async () => {
    // Arrange
    const h = harness();

    // Act
    await h.review();

    // Assert
    const record = await h.ledger.getApproval(KEY);
    expect(record).toMatchObject({
      revision: 1,
      state: 'pending_approval',
      draftKeys: ['draft:10042:b1d0h0m0900@2026-12-15:en'],
      inScopeKeys: ['BILL-1', 'BILL-2', 'BILL-3'],
      dueAt: DUE,
    });
    expect(record?.changes).toBeUndefined();
    const draft = h.ledger.drafts.get('draft:10042:b1d0h0m0900@2026-12-15:en');
    expect(draft?.content?.subject).toBe('Billing 2.4 arrives tomorrow');
    const reviews = h.sendJobs();
    expect(reviews.map((j) => [j.kind, j.recipient.email, j.notAfter])).toEqual([
      ['review', 'lead@example.com', DUE],
      ['review', 'pm@example.org', DUE],
    ]);
    const reviewDraft = h.ledger.drafts.get(reviews[0]?.draftKey ?? '');
    expect(reviewDraft?.subject).toContain('Review: Billing 2.4 (BILL)');
    expect(reviewDraft?.html).toContain('Billing 2.4 arrives tomorrow');
    expect(reviewDraft?.text).toContain('in scope BILL-1, BILL-2, BILL-3');
    // The Approve link is bound to this revision's hash, the approver and the send time.
    const approve = /Approve: (\S+)/.exec(reviewDraft?.text ?? '')?.[1] ?? '';
    expect(approve.startsWith(`${REVIEW_BASE}?t=`)).toBe(true);
    const claims = openApprovalToken(KEYS, new URL(approve).searchParams.get('t') ?? '');
    expect(claims).toEqual({
      approvalKey: KEY,
      contentHash: record?.contentHash,
      approver: 'lead@example.com',
      decision: 'approve',
      expiresAt: Date.parse(DUE),
    });
  });

  it('writes nothing again for the same input, and queues the same review emails again (idempotent keys)', async () => {
    // Arrange
    const h = harness();
    await h.review();
    const first = h.sendJobs().map((j) => [j.draftKey, j.recipient.email]);
    const reviewDrafts = h.ledger.drafts.size;

    // Act
    await h.review();

    // Assert: no new revision, no model call, no new draft; the review emails of revision 1 again
    // (the send stage sends each review send key once).
    expect((await h.ledger.getApproval(KEY))?.revision).toBe(1);
    expect(h.llm.requests).toHaveLength(1);
    expect(h.ledger.drafts.size).toBe(reviewDrafts);
    expect(h.sendJobs().map((j) => [j.draftKey, j.recipient.email])).toEqual([...first, ...first]);
    expect(h.log.events('review_unchanged')).toHaveLength(1);
  });

  it('queues the review emails of a revision stored by someone else (herald drafts edit) at the next review.job', async () => {
    // Arrange: revision 2 stored with the same input (an operator's edit), no review email yet.
    const h = harness();
    await h.review();
    const first = await h.ledger.getApproval(KEY);
    const edited = emailDraftOf({
      key: 'draft:10042:b1d0h0m0900@2026-12-15:en#r2',
      source: 'edited',
      subject: 'Billing 2.4: edited',
      text: 'Billing 2.4: edited by the release manager',
    });
    h.ledger.drafts.set(edited.key, edited);
    await h.ledger.putApprovalRevision({
      ...(first as NonNullable<typeof first>),
      revision: 2,
      contentHash: 'e'.repeat(64),
      draftKeys: [edited.key],
      changes: { added: [], removed: [], editedBy: 'ops' },
    });

    // Act
    await h.review();

    // Assert
    const revision2 = h.sendJobs().filter((j) => j.draftKey.includes('#r2:'));
    expect(revision2.map((j) => j.recipient.email)).toEqual(APPROVERS);
    const text = h.ledger.drafts.get(revision2[0]?.draftKey ?? '')?.text ?? '';
    expect(text).toContain('Edited by ops.');
    expect(text).toContain('Billing 2.4: edited');
  });

  it('makes revision 2 under #r2 keys saying which issues were added and removed when the release changed', async () => {
    // Arrange
    const h = harness();
    await h.review();
    const first = await h.ledger.getApproval(KEY);
    h.jira.issues.set('10042', [...issues(2), { key: 'BILL-9', summary: 'New export', issueType: 'Story' }]);
    h.llm.script = [llmEmail(['BILL-1', 'BILL-2', 'BILL-9'])];

    // Act
    await h.review();

    // Assert
    const second = await h.ledger.getApproval(KEY);
    expect(second).toMatchObject({
      revision: 2,
      state: 'pending_approval',
      draftKeys: ['draft:10042:b1d0h0m0900@2026-12-15:en#r2'],
      changes: { added: ['BILL-9'], removed: ['BILL-3'] },
    });
    expect(second?.contentHash).not.toBe(first?.contentHash);
    const reviews = h.sendJobs().filter((j) => j.draftKey.includes('#r2:'));
    expect(reviews).toHaveLength(2);
    expect(h.ledger.drafts.get(reviews[0]?.draftKey ?? '')?.text).toContain('added BILL-9; removed BILL-3');
  });

  it('skips the review when the policy no longer asks for approval', async () => {
    // Arrange
    const h = harness({ ...DEFAULT_SEND_POLICY });

    // Act
    await h.review();

    // Assert
    expect(await h.ledger.getApproval(KEY)).toBeNull();
    expect(h.log.events('review_skipped')[0]).toMatchObject({ reason: 'approval_off' });
  });
});

describe('Function: processRecord (compose.job at the send time, policy approval)', () => {
  it('sends the approved revision at the send time and settles it once', async () => {
    // Arrange
    const h = harness();
    await h.review();
    const record = await h.ledger.getApproval(KEY);
    await decide(h, 'approve', record?.contentHash ?? '');
    h.setNow(SEND_AT);
    const reviewsBefore = h.sendJobs().length;

    // Act
    await h.compose();

    // Assert
    const clientJobs = h.sendJobs().slice(reviewsBefore);
    expect(clientJobs.map((j) => [j.recipient.email, j.draftKey, j.kind])).toEqual([
      ['ada@example.com', 'draft:10042:b1d0h0m0900@2026-12-15:en', undefined],
    ]);
    expect((await h.ledger.getApproval(KEY))?.settled).toEqual({
      outcome: 'sent',
      at: SEND_AT.toISOString(),
      revision: 1,
    });
    expect(h.llm.requests).toHaveLength(1);
  });

  it('sends nothing for a held point and records the point held', async () => {
    // Arrange
    const h = harness();
    await h.review();
    await decide(h, 'hold', (await h.ledger.getApproval(KEY))?.contentHash ?? '');
    h.setNow(SEND_AT);
    const before = h.sendJobs().length;

    // Act
    await h.compose();

    // Assert
    expect(h.sendJobs()).toHaveLength(before);
    expect((await h.ledger.getApproval(KEY))?.settled?.outcome).toBe('held');
    expect(h.ledger.outcomes.get('point#10042:b1d0h0m0900@2026-12-15:Europe/Berlin')).toMatchObject({
      status: 'held',
      reason: 'held',
    });
  });

  it.each([
    ['hold', 'timeout_held', 0],
    ['send', 'timeout_sent', 1],
  ] as const)('applies onTimeout %s to a pending point (%s)', async (onTimeout, outcome, sends) => {
    // Arrange
    const h = harness(policyWith({ onTimeout }));
    await h.review();
    h.setNow(SEND_AT);
    const before = h.sendJobs().length;

    // Act
    await h.compose();

    // Assert
    expect(h.sendJobs().length - before).toBe(sends);
    expect((await h.ledger.getApproval(KEY))?.settled?.outcome).toBe(outcome);
  });

  it('follows the first settlement in every later chunk, whatever is decided after it', async () => {
    // Arrange
    const h = harness(policyWith({ onTimeout: 'send' }));
    await h.review();
    h.setNow(SEND_AT);
    await h.compose();
    await decide(h, 'hold', (await h.ledger.getApproval(KEY))?.contentHash ?? '');
    const before = h.sendJobs().length;

    // Act
    await h.compose(
      composeJob({
        notAfter: NOT_AFTER,
        chunk: { index: 1, count: 2 },
        recipients: [{ email: 'bo@example.com', locale: 'en' }],
      }),
    );

    // Assert
    expect(
      h
        .sendJobs()
        .slice(before)
        .map((j) => j.recipient.email),
    ).toEqual(['bo@example.com']);
    expect((await h.ledger.getApproval(KEY))?.settled?.outcome).toBe('timeout_sent');
  });

  it('makes a new revision for a chunk whose locale the review did not cover, and waits for it', async () => {
    // Arrange: the review covered English only; a German contact arrived since.
    const h = harness();
    await h.review();
    await decide(h, 'approve', (await h.ledger.getApproval(KEY))?.contentHash ?? '');
    h.setNow(SEND_AT);
    const before = h.sendJobs().length;

    // Act
    await h.compose(
      composeJob({
        notAfter: NOT_AFTER,
        recipients: [
          { email: 'ada@example.com', locale: 'en' },
          { email: 'bea@example.com', locale: 'de' },
        ],
      }),
    );

    // Assert: revision 2 has both drafts, nothing is sent yet, the approvers get its review.
    const record = await h.ledger.getApproval(KEY);
    expect(record).toMatchObject({
      revision: 2,
      state: 'pending_approval',
      draftKeys: ['draft:10042:b1d0h0m0900@2026-12-15:de#r2', 'draft:10042:b1d0h0m0900@2026-12-15:en#r2'],
    });
    expect(
      h
        .sendJobs()
        .slice(before)
        .map((j) => j.kind),
    ).toEqual(['review', 'review']);
    expect(h.composeRequeues()).toHaveLength(1);
  });

  it('makes a new revision when the release changed after approval, emails the approvers, and waits', async () => {
    // Arrange
    const h = harness();
    await h.review();
    await decide(h, 'approve', (await h.ledger.getApproval(KEY))?.contentHash ?? '');
    h.jira.issues.set('10042', issues(4));
    h.llm.script = [llmEmail(['BILL-1', 'BILL-2', 'BILL-3', 'BILL-4'])];
    h.setNow(SEND_AT);
    const before = h.sendJobs().length;

    // Act
    await h.compose();

    // Assert: no client email, two review emails of revision 2, the job queued again with a delay.
    const record = await h.ledger.getApproval(KEY);
    expect(record).toMatchObject({
      revision: 2,
      state: 'pending_approval',
      changes: { added: ['BILL-4'], removed: [] },
    });
    expect(record?.waitUntil).toBe('2026-12-14T13:55:00.000Z');
    expect(record?.settled).toBeUndefined();
    expect(
      h
        .sendJobs()
        .slice(before)
        .map((j) => j.kind),
    ).toEqual(['review', 'review']);
    const requeued = h.composeRequeues();
    expect(requeued).toHaveLength(1);
    expect(requeued[0]?.message.delaySeconds).toBe(60);
    expect((await decide(h, 'approve', 'stale-hash')).status).toBe('superseded');

    // Act again: approved on the new revision, the re-check sends revision 2's draft.
    await decide(h, 'approve', record?.contentHash ?? '', 2);
    await h.runBody(requeued[0]?.message.body ?? '');

    // Assert
    const clientJobs = h.sendJobs().filter((j) => j.kind === undefined);
    expect(clientJobs.map((j) => j.draftKey)).toEqual(['draft:10042:b1d0h0m0900@2026-12-15:en#r2']);
    expect((await h.ledger.getApproval(KEY))?.settled).toMatchObject({ outcome: 'sent', revision: 2 });
  });
});

describe('Function: processRecord (policy approval, an audience with nothing in scope)', () => {
  const emptyAdmins = (approval: Partial<ApprovalPolicy> = {}): SendPolicy => ({
    ...policyWith(approval),
    audiences: [{ name: 'admins', scope: 'labels = nothing-matches' }],
  });
  const bothGroups = reviewJob({
    groups: [
      { audience: 'all', locale: 'en', recipients: 1 },
      { audience: 'admins', locale: 'en', recipients: 1 },
    ],
  });
  const bothRecipients = composeJob({
    notAfter: NOT_AFTER,
    recipients: [
      { email: 'ada@example.com', name: 'Ada', locale: 'en' },
      { email: 'bob@example.com', name: 'Bob', locale: 'en', audience: 'admins' },
    ],
  });

  it('keeps the draft-less group in the record and writes nothing on a re-review with the same input', async () => {
    // Arrange
    const h = harness(emptyAdmins());
    await h.review(bothGroups);
    const first = await h.ledger.getApproval(KEY);
    await decide(h, 'approve', first?.contentHash ?? '');
    const jobsBefore = h.sendJobs().length;

    // Act
    await h.review(bothGroups);

    // Assert: still revision 1, approved, the same review emails again (no "release changed" one).
    const record = await h.ledger.getApproval(KEY);
    expect(record).toMatchObject({ revision: 1, state: 'approved', contentHash: first?.contentHash });
    expect(record?.draftKeys).toEqual(['draft:10042:b1d0h0m0900@2026-12-15:en']);
    expect(record?.groups).toEqual([
      { audience: 'all', locale: 'en', recipients: 1 },
      { audience: 'admins', locale: 'en', recipients: 1 },
    ]);
    expect(h.llm.requests).toHaveLength(1);
    expect(h.log.events('review_unchanged')).toHaveLength(1);
    expect(
      h
        .sendJobs()
        .slice(jobsBefore)
        .every((j) => j.draftKey.includes('#r1:')),
    ).toBe(true);
  });

  it('sends an approved point at the send time (the empty audience gets nothing)', async () => {
    // Arrange: a row under the admins group's key that no revision reviewed (e.g. a compose
    // before approval was turned on) must never go out.
    const h = harness(emptyAdmins());
    const unreviewed = 'draft:10042:b1d0h0m0900@2026-12-15:en:admins';
    h.ledger.drafts.set(unreviewed, emailDraftOf({ key: unreviewed, subject: 'Never reviewed' }));
    await h.review(bothGroups);
    await decide(h, 'approve', (await h.ledger.getApproval(KEY))?.contentHash ?? '');
    h.setNow(SEND_AT);
    const before = h.sendJobs().length;

    // Act
    await h.compose(bothRecipients);

    // Assert
    const record = await h.ledger.getApproval(KEY);
    expect(record?.revision).toBe(1);
    expect(record?.settled).toEqual({ outcome: 'sent', at: SEND_AT.toISOString(), revision: 1 });
    expect(
      h
        .sendJobs()
        .slice(before)
        .map((j) => [j.recipient.email, j.draftKey, j.kind]),
    ).toEqual([['ada@example.com', 'draft:10042:b1d0h0m0900@2026-12-15:en', undefined]]);
    expect(h.composeRequeues()).toEqual([]);
  });

  it('sends the approved revision when a contact of an audience with nothing in scope appears at the send time', async () => {
    // Arrange: the review knew the `all` audience only.
    const h = harness(emptyAdmins());
    await h.review();
    await decide(h, 'approve', (await h.ledger.getApproval(KEY))?.contentHash ?? '');
    h.setNow(SEND_AT);
    const before = h.sendJobs().length;

    // Act
    await h.compose(bothRecipients);

    // Assert
    expect((await h.ledger.getApproval(KEY))?.settled).toMatchObject({ outcome: 'sent', revision: 1 });
    expect(
      h
        .sendJobs()
        .slice(before)
        .map((j) => j.recipient.email),
    ).toEqual(['ada@example.com']);
  });

  it('keeps a held point held at the send time', async () => {
    // Arrange
    const h = harness(emptyAdmins({ onTimeout: 'send' }));
    await h.review(bothGroups);
    await decide(h, 'hold', (await h.ledger.getApproval(KEY))?.contentHash ?? '');
    h.setNow(SEND_AT);
    const before = h.sendJobs().length;

    // Act
    await h.compose(bothRecipients);

    // Assert
    expect(h.sendJobs()).toHaveLength(before);
    expect((await h.ledger.getApproval(KEY))?.settled).toMatchObject({ outcome: 'held', revision: 1 });
  });
});

describe('Function: processRecord (policy approval, a hold and a new revision)', () => {
  const typoFixed = () => issues(3).map((i, n) => (n === 0 ? { ...i, summary: 'typo fixed' } : i));

  it('starts the revision after a hold held, says so in its review email, and sends nothing under onTimeout send', async () => {
    // Arrange
    const h = harness(policyWith({ onTimeout: 'send' }));
    await h.review();
    await decide(h, 'hold', (await h.ledger.getApproval(KEY))?.contentHash ?? '');
    h.jira.issues.set('10042', typoFixed());
    await h.review();
    h.setNow(SEND_AT);
    const before = h.sendJobs().length;

    // Act
    await h.compose();

    // Assert
    const record = await h.ledger.getApproval(KEY);
    expect(record).toMatchObject({
      revision: 2,
      state: 'held',
      heldFrom: { revision: 1, by: 'lead@example.com', at: '2026-12-13T09:00:00.000Z' },
      decisions: [],
      settled: { outcome: 'held', revision: 2 },
    });
    expect(h.sendJobs().slice(before)).toEqual([]);
    const review = h.sendJobs().find((j) => j.kind === 'review' && j.draftKey.includes('#r2:'));
    const text = h.ledger.drafts.get(review?.draftKey ?? '')?.text ?? '';
    expect(text).toContain(
      'Held: held on revision 1 by lead@example.com: nothing is sent unless you approve this revision',
    );
    expect(text).toContain('No decision by then: it stays held (nothing sent)');
  });

  it('sends the revision after a hold once it is approved', async () => {
    // Arrange
    const h = harness(policyWith({ onTimeout: 'send' }));
    await h.review();
    await decide(h, 'hold', (await h.ledger.getApproval(KEY))?.contentHash ?? '');
    h.jira.issues.set('10042', typoFixed());
    await h.review();
    const second = await h.ledger.getApproval(KEY);
    expect((await decide(h, 'approve', second?.contentHash ?? '', 2)).status).toBe('recorded');
    h.setNow(SEND_AT);

    // Act
    await h.compose();

    // Assert
    expect((await h.ledger.getApproval(KEY))?.settled).toMatchObject({ outcome: 'sent', revision: 2 });
    expect(
      h
        .sendJobs()
        .filter((j) => j.kind === undefined)
        .map((j) => j.draftKey),
    ).toEqual(['draft:10042:b1d0h0m0900@2026-12-15:en#r2']);
  });

  it('waits for an Approve of a held revision written at the send time, then keeps it held', async () => {
    // Arrange: held, then the release changes at the send time.
    const h = harness(policyWith({ onTimeout: 'send' }));
    await h.review();
    await decide(h, 'hold', (await h.ledger.getApproval(KEY))?.contentHash ?? '');
    h.jira.issues.set('10042', typoFixed());
    h.setNow(SEND_AT);
    const before = h.sendJobs().length;

    // Act
    await h.compose();

    // Assert: revision 2 held, waiting (queued again), not settled, nothing sent.
    const record = await h.ledger.getApproval(KEY);
    expect(record).toMatchObject({ revision: 2, state: 'held', waitUntil: '2026-12-14T13:55:00.000Z' });
    expect(record?.settled).toBeUndefined();
    expect(h.composeRequeues()).toHaveLength(1);

    // Act again: no decision until the wait ends.
    h.setNow(new Date('2026-12-14T13:55:00.000Z'));
    await h.runBody(h.composeRequeues()[0]?.message.body ?? '');

    // Assert
    expect((await h.ledger.getApproval(KEY))?.settled).toMatchObject({ outcome: 'held', revision: 2 });
    expect(
      h
        .sendJobs()
        .slice(before)
        .filter((j) => j.kind === undefined),
    ).toEqual([]);
  });

  it('starts a new revision pending after an approval (an approval does not carry)', async () => {
    // Arrange
    const h = harness();
    await h.review();
    await decide(h, 'approve', (await h.ledger.getApproval(KEY))?.contentHash ?? '');
    h.jira.issues.set('10042', typoFixed());

    // Act
    await h.review();

    // Assert
    const record = await h.ledger.getApproval(KEY);
    expect(record).toMatchObject({ revision: 2, state: 'pending_approval', decisions: [] });
    expect(record?.heldFrom).toBeUndefined();
  });
});
