import { describe, expect, it } from 'vitest';
import type { ChunkPlan, EmailState, ReleaseRows } from '#adapters/ledger/DeliveryRecordsPort';
import type { ApprovalRecord } from '#contracts/approval';
import type { EmailDraft } from '#contracts/emailDraft';
import { sendKey } from '#contracts/sendJob';
import { estimateCost } from '#shared/report/priceTable';
import { readReleaseReport } from '#shared/report/readReleaseReport';
import { buildReleaseReport } from '#shared/report/releaseReport';
import { chunkPlanOf } from '#test/factories/chunkPlan';
import { emailDraftOf } from '#test/factories/emailDraft';
import { FakeDeliveryRecords } from '#test/factories/FakeDeliveryRecords';

const NOW = new Date('2026-12-14T09:30:00.000Z');
const EN = 'draft:10001:b1d0h0m0900@2026-12-15:en';
const DE = 'draft:10001:b1d0h0m0900@2026-12-15:de';

const plan = (overrides: Partial<ChunkPlan> = {}): ChunkPlan =>
  chunkPlanOf({
    groups: [
      {
        draftKey: EN,
        audience: 'all',
        locale: 'en',
        emails: [
          'ada@example.com',
          'bob@example.com',
          'cy@example.com',
          'dee@example.com',
          'eve@example.com',
        ],
      },
      { draftKey: DE, audience: 'all', locale: 'de', emails: ['fritz@example.org', 'gisela@example.org'] },
      { draftKey: undefined, audience: 'developers', locale: 'en', emails: ['hal@example.net'] },
    ],
    ...overrides,
  });

const key = (email: string): string =>
  sendKey({ versionId: '10001', pointId: 'b1d0h0m0900', releaseDate: '2026-12-15' }, email);

const at = '2026-12-14T09:00:05.000Z';
const sent = (events: EmailState['events']): EmailState => ({
  status: 'sent',
  events: { Send: at, ...events },
});

/** ada delivered, bob bounced, cy complained, dee opted out, eve not sent yet; fritz delivered, gisela missed. */
const emails = new Map<string, EmailState>([
  [key('ada@example.com'), sent({ Delivery: at })],
  [key('bob@example.com'), sent({ Bounce: at })],
  [key('cy@example.com'), sent({ Delivery: at, Complaint: at })],
  [key('dee@example.com'), { status: 'opted_out', reason: 'opted_out_global', events: {} }],
  [key('fritz@example.org'), sent({ Delivery: at })],
  [key('gisela@example.org'), { status: 'missed', reason: 'past_deadline', events: {} }],
]);

const drafts = new Map<string, EmailDraft | null>([
  [EN, emailDraftOf({ key: EN, usage: { llmCalls: 2, promptTokens: 1200, completionTokens: 400 } })],
  [
    DE,
    emailDraftOf({
      key: DE,
      locale: 'de',
      source: 'template',
      model: undefined,
      usage: { llmCalls: 0, promptTokens: 0, completionTokens: 0 },
    }),
  ],
]);

const rowsOf = (plans: ChunkPlan[], pointOutcomes: ReleaseRows['pointOutcomes'] = []): ReleaseRows => ({
  versionId: '10001',
  projectKey: 'SHOP',
  versionName: '2026.12',
  plans,
  pointOutcomes,
});

describe('Function: buildReleaseReport', () => {
  it('counts each planned email once by what the ledger says happened to it', () => {
    // Act
    const report = buildReleaseReport({ rows: rowsOf([plan()]), emails, drafts, now: NOW });

    // Assert
    const [point] = report.points;
    expect(point?.rows.map((r) => [r.audience, r.locale, r.source, r.counts])).toEqual([
      [
        'all',
        'de',
        'template',
        {
          planned: 2,
          sent: 1,
          delivered: 1,
          bounced: 0,
          complained: 0,
          delayed: 0,
          optedOut: 0,
          skipped: { missed: 1 },
          pending: 0,
        },
      ],
      [
        'all',
        'en',
        'llm',
        {
          planned: 5,
          sent: 3,
          delivered: 2,
          bounced: 1,
          complained: 1,
          delayed: 0,
          optedOut: 1,
          skipped: {},
          pending: 1,
        },
      ],
      [
        'developers',
        'en',
        undefined,
        {
          planned: 1,
          sent: 0,
          delivered: 0,
          bounced: 0,
          complained: 0,
          delayed: 0,
          optedOut: 0,
          skipped: { no_issue_in_scope: 1 },
          pending: 0,
        },
      ],
    ]);
    expect(report.totals).toMatchObject({
      planned: 8,
      sent: 4,
      delivered: 3,
      bounced: 1,
      complained: 1,
      optedOut: 1,
      pending: 1,
    });
    expect(report.totals.skipped).toEqual({ missed: 1, no_issue_in_scope: 1 });
    expect(point?.attention).toEqual({
      bounced: ['bob@example.com'],
      complained: ['cy@example.com'],
      rejected: [],
      pending: ['eve@example.com'],
    });
    // eve has no outcome yet.
    expect(point?.settled).toBe(false);
  });

  it('prices each draft’s tokens at its model and leaves the approval placeholder empty', () => {
    // Act
    const report = buildReleaseReport({ rows: rowsOf([plan()]), emails, drafts, now: NOW });

    // Assert
    const en = report.points[0]?.rows.find((r) => r.locale === 'en' && r.audience === 'all');
    const expected = estimateCost('gpt-4.1-mini', { promptTokens: 1200, completionTokens: 400 }).usd;
    expect(en).toMatchObject({
      model: 'gpt-4.1-mini',
      llmCalls: 2,
      promptTokens: 1200,
      completionTokens: 400,
    });
    expect(en?.estimatedCostUsd).toBeCloseTo(expected, 10);
    expect(en?.approval).toBeUndefined();
    expect(report.estimatedCostUsd).toBeCloseTo(expected, 10);
    expect(report.points[0]?.rows.find((r) => r.locale === 'de')?.estimatedCostUsd).toBe(0);
  });

  it('calls a point settled once every email was delivered, bounced, complained or not sent', () => {
    // Arrange
    const settled = new Map(emails);
    settled.set(key('eve@example.com'), sent({ Delivery: at }));

    // Act
    const report = buildReleaseReport({ rows: rowsOf([plan()]), emails: settled, drafts, now: NOW });

    // Assert
    expect(report.points[0]?.settled).toBe(true);
  });

  it('does not call a point settled while an email is only accepted or delayed', () => {
    // Arrange
    const delayed = new Map(emails);
    delayed.set(key('eve@example.com'), sent({ DeliveryDelay: at }));

    // Act
    const report = buildReleaseReport({ rows: rowsOf([plan()]), emails: delayed, drafts, now: NOW });

    // Assert
    expect(report.points[0]?.settled).toBe(false);
    expect(report.points[0]?.totals.delayed).toBe(1);
  });

  it('shows each zone of a point, a missed or held one with its reason, and narrows to one zone with a filter', () => {
    // Arrange
    const berlin = plan({
      timeZone: 'Europe/Berlin',
      dueAt: '2026-12-14T08:00:00.000Z',
      groups: [{ draftKey: EN, audience: 'all', locale: 'en', emails: ['ida@example.com'] }],
    });
    const missed = {
      key: '10001:b1d0h0m0900@2026-12-15:Asia/Tokyo',
      status: 'missed' as const,
      reason: 'past_deadline',
      versionId: '10001',
      pointId: 'b1d0h0m0900',
      releaseDate: '2026-12-15',
      timeZone: 'Asia/Tokyo',
      at: NOW.toISOString(),
    };
    const held = {
      ...missed,
      key: '10001:b1d0h0m0900@2026-12-15:Asia/Seoul',
      status: 'held' as const,
      reason: 'timeout_held',
      timeZone: 'Asia/Seoul',
    };
    const rows = rowsOf([plan(), berlin], [missed, held]);

    // Act
    const all = buildReleaseReport({ rows, emails, drafts, now: NOW });
    const berlinOnly = buildReleaseReport({
      rows,
      emails,
      drafts,
      now: NOW,
      filter: { pointId: 'b1d0h0m0900', releaseDate: '2026-12-15', timeZone: 'Europe/Berlin' },
    });

    // Assert
    expect(all.points[0]?.zones.map((z) => [z.timeZone, z.status, z.reason])).toEqual([
      ['Asia/Seoul', 'held', 'timeout_held'],
      ['Asia/Tokyo', 'missed', 'past_deadline'],
      ['Europe/Berlin', 'sent', undefined],
      ['UTC', 'sent', undefined],
    ]);
    expect(all.totals.planned).toBe(9);
    expect(berlinOnly.points[0]?.zones.map((z) => z.timeZone)).toEqual(['Europe/Berlin']);
    expect(berlinOnly.totals.planned).toBe(1);
    expect(berlinOnly.totals.pending).toBe(1);
  });

  it('keeps two release dates of one point apart (a moved release is a new point)', () => {
    // Act
    const report = buildReleaseReport({
      rows: rowsOf([plan(), plan({ releaseDate: '2026-12-20', dueAt: '2026-12-19T09:00:00.000Z' })]),
      emails,
      drafts,
      now: NOW,
    });

    // Assert
    expect(report.points.map((p) => p.releaseDate)).toEqual(['2026-12-15', '2026-12-20']);
    // Nothing is recorded under the new date's keys yet.
    expect(report.points[1]?.totals.pending).toBe(7);
  });
});

describe('Function: estimateCost', () => {
  it('prices a model by its list price, a dated snapshot by its family, an unknown model as the default', () => {
    // Act
    const mini = estimateCost('gpt-4.1-mini', { promptTokens: 1_000_000, completionTokens: 1_000_000 });
    const dated = estimateCost('gpt-4.1-mini-2025-04-14', { promptTokens: 1_000_000, completionTokens: 0 });
    const full = estimateCost('gpt-4.1', { promptTokens: 1_000_000, completionTokens: 0 });
    const unknown = estimateCost('stand-in-model', { promptTokens: 1_000_000, completionTokens: 0 });

    // Assert
    expect(mini).toEqual({ usd: 2, pricedAs: 'gpt-4.1-mini' });
    expect(dated).toEqual({ usd: 0.4, pricedAs: 'gpt-4.1-mini' });
    expect(full).toEqual({ usd: 2, pricedAs: 'gpt-4.1' });
    expect(unknown).toEqual({ usd: 0.4, pricedAs: 'gpt-4.1-mini' });
  });
});

describe('Function: buildReleaseReport (approval column)', () => {
  const record = (overrides: Partial<ApprovalRecord> = {}): ApprovalRecord => ({
    approvalKey: 'approval:10001:b1d0h0m0900@2026-12-15',
    versionId: '10001',
    projectKey: 'SHOP',
    pointId: 'b1d0h0m0900',
    releaseDate: '2026-12-15',
    revision: 2,
    contentHash: 'hash-2',
    inputHash: 'input-2',
    draftKeys: [EN, DE],
    groups: [],
    state: 'approved',
    dueAt: '2026-12-14T09:00:00.000Z',
    decisions: [
      {
        decision: 'approve',
        by: 'old@example.com',
        via: 'link',
        at: '2026-12-12T10:00:00.000Z',
        contentHash: 'hash-1',
        revision: 1,
      },
      {
        decision: 'approve',
        by: 'lead@example.com',
        via: 'link',
        at: '2026-12-13T10:00:00.000Z',
        contentHash: 'hash-2',
        revision: 2,
      },
    ],
    updatedAt: '2026-12-13T10:00:00.000Z',
    ...overrides,
  });

  it('shows who approved the current revision and when, and marks held drafts', () => {
    // Act
    const approved = buildReleaseReport({
      rows: rowsOf([plan()]),
      emails,
      drafts,
      approvals: new Map([['b1d0h0m0900@2026-12-15', record()]]),
      now: NOW,
    });
    const held = buildReleaseReport({
      rows: rowsOf([plan()]),
      emails,
      drafts,
      approvals: new Map([['b1d0h0m0900@2026-12-15', record({ state: 'held', decisions: [] })]]),
      now: NOW,
    });

    // Assert: the decision on revision 1 no longer applies; the group without a draft has none.
    expect(approved.points[0]?.rows.map((r) => [r.locale, r.audience, r.approval, r.held])).toEqual([
      ['de', 'all', { by: 'lead@example.com', at: '2026-12-13T10:00:00.000Z' }, false],
      ['en', 'all', { by: 'lead@example.com', at: '2026-12-13T10:00:00.000Z' }, false],
      ['en', 'developers', undefined, undefined],
    ]);
    expect(held.points[0]?.rows.map((r) => [r.approval, r.held])).toEqual([
      [undefined, true],
      [undefined, true],
      [undefined, undefined],
    ]);
  });

  it('reads each point’s approval record by its key when given the approval ledger', async () => {
    // Arrange
    const asked: string[] = [];
    const records = new FakeDeliveryRecords();
    records.plans.set('chunk0', plan());

    // Act
    const report = await readReleaseReport(
      {
        records,
        ledger: { getDraft: async (key) => drafts.get(key) ?? null },
        approvals: {
          getApproval: async (key) => {
            asked.push(key);
            return record();
          },
        },
        now: () => NOW,
      },
      '10001',
    );

    // Assert
    expect(asked).toEqual(['approval:10001:b1d0h0m0900@2026-12-15']);
    expect(report.points[0]?.rows[0]?.approval?.by).toBe('lead@example.com');
  });
});
