import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { APPROVER_BOUNCE_PREFIX } from '#adapters/ledger/DynamoApprovals';
import type { DynamoLedger } from '#adapters/ledger/DynamoLedger';
import { ApprovalNotFoundError } from '#adapters/ledger/errors';
import { type ApprovalDecisionRecord, approvalKey } from '#contracts/approval';
import { readApprovals, renderApprovals } from '#ops/ledger/readApprovals';
import { approvalRecordOf } from '#test/factories/approvalRecord';
import { uniqueEnv } from '../local/support.ts';
import { useLedgerOnEmulator } from './ledgerOnEmulator.ts';

// The approval record's conditional writes, evaluated by DynamoDB on the emulator: revisions,
// decisions and the one settlement, also under concurrent writers.

const T0 = Date.parse('2026-03-01T08:00:00.000Z');

describe('Function: DynamoLedger approval records on DynamoDB (emulator)', () => {
  const table = `${uniqueEnv('approvals')}-ledger`;
  let documents: DynamoDBDocumentClient;
  let ledger: DynamoLedger;
  let sequence = 0;
  /** A record of a point of its own per test: the table is shared by the whole file. */
  const freshRecord = (versionId = `2000${++sequence}`) => {
    const point = { versionId, pointId: 'b7d0h0m0900', releaseDate: '2026-03-08' };
    return approvalRecordOf({ ...point, approvalKey: approvalKey(point) });
  };
  const decision = (overrides: Partial<ApprovalDecisionRecord> = {}): ApprovalDecisionRecord => ({
    decision: 'approve',
    by: 'lead@example.com',
    via: 'link',
    at: '2026-03-01T08:30:00.000Z',
    contentHash: 'a'.repeat(64),
    revision: 1,
    ...overrides,
  });
  const settlement = { outcome: 'sent', at: '2026-03-01T09:00:00.000Z', revision: 1 } as const;

  // Serialised like DynamoDB serialises writes per item (see ledgerOnEmulator).
  useLedgerOnEmulator(table, T0, (emulator) => {
    ({ documents, ledger } = emulator);
  });

  it('stores a first revision, reads it back, and keeps it against a redelivery', async () => {
    // Arrange
    const record = freshRecord();

    // Act
    const stored = await ledger.putApprovalRevision(record);
    const again = await ledger.putApprovalRevision({ ...record, contentHash: 'c'.repeat(64) });
    const row = (
      await documents.send(
        new GetCommand({
          TableName: table,
          Key: { pk: `approval#${record.approvalKey}` },
          ConsistentRead: true,
        }),
      )
    ).Item;

    // Assert
    expect(stored).toEqual(record);
    expect(again).toEqual(record);
    expect(await ledger.getApproval(record.approvalKey)).toEqual(record);
    expect(row).toMatchObject({
      seq: 1,
      state: 'pending_approval',
      revision: 1,
      versionId: record.versionId,
    });
    // TTL counted from the later of now and the due time.
    expect(row?.expiresAt).toBe(Math.floor(Date.parse(record.dueAt) / 1000) + 3600);
    expect(await ledger.getApproval('approval:0:none@none')).toBeNull();
  });

  it('replaces a revision with a higher one (decisions reset), never with an equal or lower one', async () => {
    // Arrange
    const record = freshRecord();
    await ledger.putApprovalRevision(record);
    await ledger.decide(record.approvalKey, decision());
    const second = {
      ...record,
      revision: 2,
      contentHash: 'd'.repeat(64),
      changes: { added: ['ABC-9'], removed: [] },
    };

    // Act
    const stored = await ledger.putApprovalRevision(second);
    const stale = await ledger.putApprovalRevision({ ...record, contentHash: 'e'.repeat(64) });

    // Assert
    expect(stored).toEqual(second);
    expect(stale).toEqual(second);
    expect(await ledger.getApproval(record.approvalKey)).toMatchObject({
      revision: 2,
      state: 'pending_approval',
      contentHash: 'd'.repeat(64),
    });
  });

  it('records approve then hold, answers "already" to a repeat and "superseded" to an old hash', async () => {
    // Arrange
    const record = freshRecord();
    await ledger.putApprovalRevision(record);

    // Act
    const approved = await ledger.decide(record.approvalKey, decision());
    const repeat = await ledger.decide(record.approvalKey, decision({ by: 'other@example.com' }));
    const held = await ledger.decide(record.approvalKey, decision({ decision: 'hold' }));
    const old = await ledger.decide(record.approvalKey, decision({ contentHash: 'f'.repeat(64) }));
    const missing = await ledger.decide('approval:1:none@none', decision());

    // Assert
    expect(approved).toMatchObject({ status: 'recorded', record: { state: 'approved' } });
    expect(repeat).toMatchObject({ status: 'already', record: { state: 'approved' } });
    expect(held).toMatchObject({ status: 'recorded', record: { state: 'held' } });
    expect(old).toMatchObject({ status: 'superseded', record: { state: 'held' } });
    expect(missing).toEqual({ status: 'not_found' });
    const stored = await ledger.getApproval(record.approvalKey);
    expect(stored?.decisions.map((d) => d.decision)).toEqual(['approve', 'hold']);
  });

  it('settles once: the first settlement stands, later decisions and revisions are refused', async () => {
    // Arrange
    const record = freshRecord();
    await ledger.putApprovalRevision(record);
    await ledger.decide(record.approvalKey, decision());

    // Act
    const first = await ledger.settleApproval(record.approvalKey, settlement);
    const second = await ledger.settleApproval(record.approvalKey, {
      ...settlement,
      outcome: 'timeout_held',
    });
    const late = await ledger.decide(record.approvalKey, decision({ decision: 'hold' }));
    const revision = await ledger.putApprovalRevision({
      ...record,
      revision: 2,
      contentHash: 'd'.repeat(64),
    });

    // Assert
    expect(first.settled).toEqual(settlement);
    expect(second.settled).toEqual(settlement);
    expect(late).toMatchObject({ status: 'closed', record: { state: 'approved' } });
    expect(revision).toMatchObject({ revision: 1, settled: settlement });
    await expect(ledger.settleApproval('approval:2:none@none', settlement)).rejects.toBeInstanceOf(
      ApprovalNotFoundError,
    );
  });

  it('lets exactly one of concurrent settlers win, and loses no concurrent decision', async () => {
    // Arrange
    const record = freshRecord();
    await ledger.putApprovalRevision(record);

    // Act
    const decisions = await Promise.all([
      ledger.decide(record.approvalKey, decision({ by: 'a@example.com' })),
      ledger.decide(record.approvalKey, decision({ by: 'b@example.com', decision: 'hold' })),
    ]);
    const outcomes = ['sent', 'held', 'timeout_sent', 'timeout_held'] as const;
    const settled = await Promise.all(
      outcomes.map((outcome) => ledger.settleApproval(record.approvalKey, { ...settlement, outcome })),
    );

    // Assert
    expect(decisions.map((d) => d.status)).toEqual(['recorded', 'recorded']);
    const stored = await ledger.getApproval(record.approvalKey);
    expect(stored?.decisions).toHaveLength(2);
    expect(new Set(settled.map((s) => s.settled?.outcome)).size).toBe(1);
    expect(stored?.settled).toEqual(settled[0]?.settled);
  });

  it('refuses a used link after a later decision (decide answers "used") and keeps the later one', async () => {
    // Arrange: approved, then held, by the same approver's links.
    const record = freshRecord();
    await ledger.putApprovalRevision(record);
    await ledger.decide(record.approvalKey, decision());
    await ledger.decide(record.approvalKey, decision({ decision: 'hold' }));

    // Act
    const replayed = await ledger.decide(record.approvalKey, decision());
    const byOperator = await ledger.decide(record.approvalKey, decision({ via: 'cli', by: 'ana' }));

    // Assert: the old link changes nothing; an operator's fresh decision does.
    expect(replayed).toMatchObject({ status: 'used', record: { state: 'held' } });
    expect(byOperator).toMatchObject({ status: 'recorded', record: { state: 'approved' } });
    const stored = await ledger.getApproval(record.approvalKey);
    expect(stored?.decisions.map((d) => [d.decision, d.via])).toEqual([
      ['approve', 'link'],
      ['hold', 'link'],
      ['approve', 'cli'],
    ]);
  });

  it('records approver bounces per address and herald status names the approver to fix', async () => {
    // Arrange
    const approver = `Bounce.${++sequence}@Example.com`;
    const address = approver.toLowerCase();

    // Act
    await ledger.recordApproverBounce(approver, {
      type: 'Bounce',
      at: '2026-03-01T08:10:00.000Z',
      versionId: '10001',
      pointId: 'b7d0h0m0900',
    });
    await ledger.recordApproverBounce(approver, { type: 'Complaint', at: '2026-03-01T08:20:00.000Z' });
    const report = await readApprovals({ documents, tableName: table });
    const lines = renderApprovals(report);

    // Assert: one row per approver, the latest event, a count; the address in clear for the operator.
    expect(report.approverBounces.filter((b) => b.approver === address)).toEqual([
      {
        approver: address,
        type: 'Complaint',
        at: '2026-03-01T08:20:00.000Z',
        versionId: '',
        pointId: '',
        count: 2,
      },
    ]);
    expect(lines).toContain(
      `  approver bounce: ${address} Complaint at 2026-03-01T08:20:00.000Z (2x; version ? point ?): fix the policy's --approvers`,
    );
    const row = (
      await documents.send(
        new GetCommand({
          TableName: table,
          Key: { pk: `${APPROVER_BOUNCE_PREFIX}${address}` },
          ConsistentRead: true,
        }),
      )
    ).Item;
    expect(row).toMatchObject({ type: 'Complaint', count: 2 });
    expect(typeof row?.expiresAt).toBe('number');
  });

  it('lists the approval records of one release, or of all, in due order', async () => {
    // Arrange
    const versionId = '30001';
    const early = { ...freshRecord(versionId), dueAt: '2026-03-01T09:00:00.000Z' };
    const latePoint = { versionId, pointId: 'a0d0h0m0900', releaseDate: '2026-03-08' };
    const late = approvalRecordOf({
      ...latePoint,
      approvalKey: approvalKey(latePoint),
      dueAt: '2026-03-08T09:00:00.000Z',
    });
    const other = freshRecord('30002');
    await Promise.all([late, early, other].map((r) => ledger.putApprovalRevision(r)));

    // Act
    const ofRelease = await ledger.listApprovals(versionId);
    const all = await ledger.listApprovals();

    // Assert
    expect(ofRelease.map((r) => r.approvalKey)).toEqual([early.approvalKey, late.approvalKey]);
    expect(all.map((r) => r.approvalKey)).toEqual(
      expect.arrayContaining([early.approvalKey, late.approvalKey, other.approvalKey]),
    );
  });
});
